import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { RegistryConfig } from '../config/types';
import type { RegistryAddress } from '../registry-address';
import { InternalRegistry } from './internal-registry';

export interface RegistryChartProps {
  readonly registry: RegistryConfig;
  readonly address: RegistryAddress;
}

/** Everything the registry needs in its namespace (the namespace itself, kube-system, exists). */
export class RegistryChart extends Chart {
  public readonly registry: InternalRegistry;

  constructor(scope: Construct, id: string, props: RegistryChartProps) {
    super(scope, id);
    this.registry = new InternalRegistry(this, 'Registry', props);
  }
}
