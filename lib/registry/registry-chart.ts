import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { RegistryConfig } from '../config/types';
import type { RegistryAddress } from '../registry-address';
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
}

/** Everything the registry needs in its namespace (the namespace itself, kube-system, exists). */
export class RegistryChart extends Chart {
  public readonly registry: InternalRegistry;

  constructor(scope: Construct, id: string, props: RegistryChartProps) {
    super(scope, id);
    this.registry = new InternalRegistry(this, 'Registry', props);
    if (props.advertise) {
      new LocalRegistryHosting(this, 'Advertisement', { address: props.address, ...props.advertise });
    }
  }
}
