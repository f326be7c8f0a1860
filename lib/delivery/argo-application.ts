import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { DeliveryConfig } from '../config/types';

/** The name of the Config Management Plugin in argocd/plugin.yaml. */
export const CMP_NAME = 'internal-registry-cdk8s';

export interface ArgoApplicationProps {
  readonly application: DeliveryConfig['argoApplication'];
  /** Namespace Argo CD deploys into by default (the registry's). */
  readonly destinationNamespace: string;
}

/** An Argo CD Application that renders this repo through the plugin and keeps it in sync. */
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
        source: {
          repoURL: a.repoURL,
          path: a.path,
          targetRevision: a.targetRevision,
          plugin: { name: CMP_NAME },
        },
        destination: { server: a.destinationServer, namespace: props.destinationNamespace },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
  }
}
