import type { ResourceAmounts, ResourcesConfig } from '../config/types';
import { Quantity, type ResourceRequirements } from './types';

export function resourceRequirements(resources: ResourcesConfig): ResourceRequirements {
  const quantities = (amounts: ResourceAmounts) => ({
    cpu: Quantity.fromString(amounts.cpu),
    memory: Quantity.fromString(amounts.memory),
    'ephemeral-storage': Quantity.fromString(amounts.ephemeralStorage),
  });
  return { requests: quantities(resources.requests), limits: quantities(resources.limits) };
}
