import type { FieldReader } from '../field-reader';
import type { Infer, Node, ObjectNode, Siblings } from './nodes';

/** Reads raw YAML data as `node` describes it; a field with an issue takes its default. */
function read(reader: FieldReader, node: Node, path: string, raw: unknown, siblings: Siblings): unknown {
  switch (node.kind) {
    case 'string': {
      const derived = node.from?.(siblings) ?? (node.required === true ? '' : undefined);
      const value = raw ?? derived;
      if (typeof node.required === 'string' && (value === undefined || value === null || value === '')) {
        reader.fail(path, node.required);
        return '';
      }
      const check = node.rule?.check;
      if (node.optional) return reader.optionalString(path, value, check);
      return reader.string(path, value, derived ?? node.default ?? '', check);
    }
    case 'integer':
      return reader.integer(path, raw, node.default, node.min, node.max);
    case 'boolean':
      return reader.boolean(path, raw, node.default);
    case 'oneOf':
      return reader.oneOf(path, raw, node.default, node.choices);
    case 'list': {
      const items = reader.list(path, raw, node.default, (item, itemPath) =>
        read(reader, node.item, itemPath, item, {}),
      );
      if (node.nonEmpty && items.length === 0) reader.fail(path, node.nonEmpty);
      if (node.unique) {
        items.forEach((item, index) => {
          if (item && items.indexOf(item) !== index)
            reader.fail(`${path}[${index}]`, `'${item}' is listed twice`);
        });
      }
      node.after?.(reader, items as never, path);
      return items;
    }
    case 'object':
      return readObject(reader, node, path, raw);
    case 'custom':
      return node.read(reader, path, raw, siblings);
  }
}

/**
 * A section: only its own keys, each read in the schema's order, every issue reported on the reader;
 * then the section's own rules (`after`).
 */
export function readObject<N extends ObjectNode>(
  reader: FieldReader,
  node: N,
  path: string,
  raw: unknown,
): Infer<N> {
  const keys = Object.keys(node.fields);
  const section = reader.section(path, raw, keys);
  const value: Record<string, unknown> = {};
  for (const key of keys) {
    // An empty value (`port:`) is the key left out: the built-in default, as README "Many clusters"
    // promises for a cluster file's reset; before, only strings and sections read it so (issue 11 attack).
    const raw = section[key] === null ? undefined : section[key];
    const field = read(reader, node.fields[key], path ? `${path}.${key}` : key, raw, value);
    if (field !== undefined) value[key] = field;
  }
  node.after?.(reader, value as never, path);
  return value as Infer<N>;
}
