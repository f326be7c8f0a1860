import { object, string } from './nodes';
import { bytes, cpu } from './rules';

interface Amounts {
  readonly cpu: string;
  readonly memory: string;
  readonly ephemeralStorage: string;
}

const amounts = (given: Amounts) =>
  object({
    cpu: string({ default: given.cpu, rule: cpu }),
    memory: string({ default: given.memory, rule: bytes }),
    ephemeralStorage: string({
      default: given.ephemeralStorage,
      rule: bytes,
      description: 'Container logs and writable layers; kubelet evicts a pod past its limit.',
    }),
  });

/** Requests and limits of a container, with their defaults. */
export const resources = (requests: Amounts, limits: Amounts, description?: string) =>
  object({ requests: amounts(requests), limits: amounts(limits) }, { description });
