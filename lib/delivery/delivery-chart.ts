import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { DeliveryConfig, RegistryConfig } from '../config/types';
import type { RegistryAddress } from '../registry/registry-address';
import { ArgoApplication } from './argo-application';
import { RegistrySmokeTest } from './registry-smoke-test';

export interface DeliveryChartProps {
  readonly delivery: DeliveryConfig;
  readonly registry: RegistryConfig;
  readonly address: RegistryAddress;
}

/** What comes after everything else: the optional smoke test and the optional Argo CD Application. */
export class DeliveryChart extends Chart {
  /** Whether the config asks for anything this chart makes. */
  public static wanted(delivery: DeliveryConfig): boolean {
    return delivery.smokeTest.enabled || delivery.argoApplication.enabled;
  }

  constructor(scope: Construct, id: string, props: DeliveryChartProps) {
    super(scope, id);
    const { delivery, registry, address } = props;
    if (delivery.smokeTest.enabled) {
      new RegistrySmokeTest(this, 'SmokeTest', {
        address,
        namespace: registry.namespace,
        image: delivery.smokeTest.image,
      });
    }
    if (delivery.argoApplication.enabled) {
      new ArgoApplication(this, 'Application', {
        application: delivery.argoApplication,
        destinationNamespace: registry.namespace,
      });
    }
  }
}
