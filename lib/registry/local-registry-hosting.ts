import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { KubeConfigMap } from '../k8s/types';
import { ADDRESS_SOURCE_ANNOTATION, MANAGED_BY } from '../k8s/labels';
import type { RegistryAddress } from './registry-address';

export interface LocalRegistryHostingV1 {
  /** Where a developer pushes from outside the cluster. */
  readonly host: string;
  /** Where container runtimes on the nodes pull from. */
  readonly hostFromContainerRuntime: string;
  /** Where pods reach the registry. */
  readonly hostFromClusterNetwork: string;
  readonly help: string;
}

/** The `localRegistryHosting.v1` document of KEP-1755, as Tilt, Skaffold and ctlptl read it; pure. */
export function renderLocalRegistryHosting(hosting: LocalRegistryHostingV1): string {
  return stringify(hosting);
}

export interface LocalRegistryHostingProps {
  readonly address: RegistryAddress;
  /** Where a developer pushes from outside the cluster (the port-forward). */
  readonly pushHost: string;
  readonly help: string;
}

/** The ConfigMap `local-registry-hosting` in kube-public that advertises the registry (KEP-1755). */
export class LocalRegistryHosting extends Construct {
  public readonly configMap: KubeConfigMap;

  constructor(scope: Construct, id: string, props: LocalRegistryHostingProps) {
    super(scope, id);
    this.configMap = new KubeConfigMap(this, 'Resource', {
      metadata: {
        name: 'local-registry-hosting',
        namespace: 'kube-public',
        labels: {
          'app.kubernetes.io/part-of': 'internal-registry',
          'app.kubernetes.io/managed-by': MANAGED_BY,
        },
        annotations: { [ADDRESS_SOURCE_ANNOTATION]: props.address.source },
      },
      data: {
        'localRegistryHosting.v1': renderLocalRegistryHosting({
          host: props.pushHost,
          hostFromContainerRuntime: props.address.ipHost,
          hostFromClusterNetwork: props.address.serviceHost,
          help: props.help,
        }),
      },
    });
  }
}
