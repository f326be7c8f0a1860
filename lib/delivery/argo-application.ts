import { posix } from 'node:path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { DeliveryConfig } from '../config/types';

/**
 * The plugin's name as Argo CD registers it: `<metadata.name>-<spec.version>` of argocd/plugin.yaml
 * (argocd-cmp-server names its socket so, and an Application's `plugin.name` must match it;
 * Argo CD 2.4+ sidecar plugins). test/delivery.test.ts derives it from the file.
 */
export const CMP_NAME = 'internal-registry-cdk8s-v1.0';

/** The committed output folder, relative to the project (what CI's drift check compares). */
export const COMMITTED_OUTDIR = 'dist';

/**
 * Whether the folder synth writes (relative to the project) is the one Argo CD reads, `<path>/dist`
 * of the repository; pure. `reader` names what reads it (`the Application`, `the ApplicationSet`),
 * or is undefined when nothing does (a single Application with `source: plugin` renders at sync). A
 * folder inside the project that is not it would be committed and never synced (found in review,
 * issue 11): `refuse`; one outside the project is a preview, never committed: `warn`.
 */
export function argoOutputMismatch(
  a: DeliveryConfig['argoApplication'],
  outputFromProject: string,
  reader: string | undefined,
): { refuse?: string; warn?: string } {
  if (!a.enabled || reader === undefined) return {};
  const synced = posix.join(a.path, COMMITTED_OUTDIR);
  const output = outputFromProject.split('\\').join('/');
  if (output === '..' || output.startsWith('../') || posix.isAbsolute(output)) {
    return { warn: `${reader} reads ${synced}/ of the repository, not ${output}: this output is a preview` };
  }
  if (synced === output || synced.endsWith(`/${output}`)) return {};
  return {
    refuse:
      `delivery.argoApplication.path: ${reader} reads ${synced}/ of the repository, but synth writes ${output}/ ` +
      `(CDK8S_OUTDIR), which Argo CD would never read; leave CDK8S_OUTDIR unset, or write into <folder>/dist ` +
      `and set delivery.argoApplication.path to <folder>`,
  };
}

export interface ArgoApplicationProps {
  readonly application: DeliveryConfig['argoApplication'];
  /** Namespace Argo CD deploys into by default (the registry's). */
  readonly destinationNamespace: string;
}

/** The Application's `spec.source`: the committed output folder as a plain directory, or the plugin. */
export function argoSource(a: DeliveryConfig['argoApplication']): Record<string, unknown> {
  const common = { repoURL: a.repoURL, targetRevision: a.targetRevision };
  if (a.source === 'plugin') return { ...common, path: a.path, plugin: { name: CMP_NAME } };
  return {
    ...common,
    path: posix.join(a.path, COMMITTED_OUTDIR),
    directory: { recurse: false },
  };
}

/** An Argo CD Application for this repo that keeps the cluster in sync with it. */
export class ArgoApplication extends Construct {
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ArgoApplicationProps) {
    super(scope, id);
    const a = props.application;
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: a.name, namespace: a.namespace },
      spec: {
        project: a.project,
        source: argoSource(a),
        destination: { server: a.destinationServer, namespace: props.destinationNamespace },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
  }
}
