import { defaultOf } from './default-of';
import type { JsonSchema, Node } from './nodes';

const described = (node: Node, schema: JsonSchema): JsonSchema =>
  node.description ? { description: node.description, ...schema } : schema;

/**
 * The JSON Schema of `node`, for editors and other tools: exact where a check is a regex, a range or a
 * list of choices; synth checks the rest. Draft-07 keywords only and no `$ref` (yaml-language-server
 * validates with draft-07, which ignores a description or default beside a `$ref`).
 */
export function jsonSchemaOf(node: Node, header: JsonSchema = {}): JsonSchema {
  return { ...header, ...toJson(node) };
}

function toJson(node: Node): JsonSchema {
  switch (node.kind) {
    case 'string':
      return described(node, {
        ...(node.rule?.json ?? { type: 'string' }),
        ...(node.default !== undefined ? { default: node.default } : {}),
      });
    case 'integer':
      return described(node, {
        type: 'integer',
        minimum: node.min,
        maximum: node.max,
        default: node.default,
      });
    case 'boolean':
      return described(node, { type: 'boolean', default: node.default });
    case 'oneOf':
      return described(node, { enum: node.choices, default: node.default });
    case 'list':
      return described(node, {
        type: 'array',
        items: toJson(node.item),
        ...(node.nonEmpty ? { minItems: 1 } : {}),
        ...(node.unique ? { uniqueItems: true } : {}),
        default: defaultOf(node),
      });
    case 'object': {
      const required = Object.entries(node.fields)
        .filter(([, field]) => field.kind === 'string' && field.required)
        .map(([key]) => key);
      return described(node, {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(
          Object.entries(node.fields).map(([key, field]) => [
            key,
            required.includes(key) ? toJson(field) : nullable(toJson(field)),
          ]),
        ),
        ...(required.length > 0 ? { required } : {}),
        ...node.json,
      });
    }
    case 'custom':
      return described(node, {
        ...(node.shape ? toJson(node.shape) : {}),
        ...node.json,
        ...(node.default !== undefined ? { default: node.default } : {}),
      });
  }
}

/**
 * `schema` that also takes an empty value (`port:`, YAML's null), which synth reads as the key left
 * out (the built-in default; a cluster file's reset, README "Many clusters").
 */
function nullable(schema: JsonSchema): JsonSchema {
  if (schema.type === 'string') return { ...stringOnlyNots(schema), type: ['string', 'null'] };
  if (typeof schema.type === 'string') return { ...schema, type: [schema.type, 'null'] };
  if (Array.isArray(schema.enum)) return { ...schema, enum: [...schema.enum, null] };
  if (Array.isArray(schema.oneOf)) return { ...schema, oneOf: [...schema.oneOf, { type: 'null' }] };
  return schema;
}

/** A string's `not` (also inside `allOf`) refuses strings only: `pattern` passes any null. */
function stringOnlyNots(schema: JsonSchema): JsonSchema {
  const out: Record<string, unknown> = { ...schema };
  if (schema.not) out.not = { type: 'string', ...(schema.not as JsonSchema) };
  if (Array.isArray(schema.allOf)) out.allOf = schema.allOf.map((s: JsonSchema) => stringOnlyNots(s));
  return out;
}
