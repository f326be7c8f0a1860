import type { Infer, Node } from './nodes';

/** The value a node reads from a config that leaves it out: the built-in defaults. */
export function defaultOf<N extends Node>(node: N): Infer<N> {
  return valueOf(node, {}) as Infer<N>;
}

function valueOf(node: Node, siblings: Readonly<Record<string, unknown>>): unknown {
  switch (node.kind) {
    case 'string':
      return node.optional ? undefined : (node.from?.(siblings) ?? node.default ?? '');
    case 'list':
      return [...node.default];
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(node.fields)) {
        const fieldValue = valueOf(field, value);
        if (fieldValue !== undefined) value[key] = fieldValue;
      }
      return value;
    }
    default:
      return node.default;
  }
}
