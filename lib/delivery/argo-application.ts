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
