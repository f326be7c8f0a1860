import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { RegistryConfig } from '../config/types';
import type { RegistryAddress } from './registry-address';
import type { KubeNamespace } from '../k8s/types';
import { podSecurityNamespace } from '../k8s/namespace';
import { REGISTRY_NAMESPACE_POD_SECURITY } from '../k8s/pod-security';
import { InternalRegistry } from './internal-registry';
import { LocalRegistryHosting } from './local-registry-hosting';

export interface RegistryChartProps {
  readonly registry: RegistryConfig;
  readonly address: RegistryAddress;
  /**
   * Advertise the registry with the KEP-1755 ConfigMap in kube-public.
   * @default - not advertised
   */
  readonly advertise?: { readonly pushHost: string; readonly help: string };
  /**
   * Create the registry's namespace, first, at the Pod Security level the node agent needs.
   * @default false
   */
  readonly createNamespace?: boolean;
}

/** Everything the registry needs in its namespace, and the namespace when it is not a built-in one. */
export class RegistryChart extends Chart {
  public readonly registry: InternalRegistry;
  public readonly namespaceObject?: KubeNamespace;

  constructor(scope: Construct, id: string, props: RegistryChartProps) {
    super(scope, id);
    if (props.createNamespace ?? false) {
      this.namespaceObject = podSecurityNamespace(
        this,
        'Namespace',
        props.registry.namespace,
        REGISTRY_NAMESPACE_POD_SECURITY,
      );
    }
    this.registry = new InternalRegistry(this, 'Registry', props);
    if (this.namespaceObject) this.registry.node.addDependency(this.namespaceObject);
    if (props.advertise) {
      new LocalRegistryHosting(this, 'Advertisement', { address: props.address, ...props.advertise });
    }
  }
}
