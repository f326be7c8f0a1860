import { integer, object, oneOf, optionalString } from './nodes';
import { expecting, printable } from './rules';

/** The `discovery` section: where the registry's ClusterIP comes from. */
export const discovery = object({
  source: oneOf(
    ['pinned', 'discover', 'auto'],
    'pinned',
    'pinned: registry.clusterIP; discover: the live Service; auto: discover, else pinned.',
  ),
  context: optionalString({
    rule: expecting(printable, 'is not a kubeconfig context name'),
    description: 'kubeconfig context to read; unset means the current context.',
  }),
  timeoutSeconds: integer(1, 60, 5),
});
