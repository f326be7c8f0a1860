import type { ResourcesConfig } from './config/types';
import { Quantity, type ResourceRequirements } from './k8s';

export function resourceRequirements(resources: ResourcesConfig): ResourceRequirements {
  const quantities = (pair: { cpu: string; memory: string }) => ({
    cpu: Quantity.fromString(pair.cpu),
    memory: Quantity.fromString(pair.memory),
  });
  return { requests: quantities(resources.requests), limits: quantities(resources.limits) };
}
