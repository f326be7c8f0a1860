import { defaultOf } from './default-of';
import type { JsonSchema, Node, Rule } from './nodes';

const described = (node: Node, schema: JsonSchema): JsonSchema =>
  node.description ? { description: node.description, ...schema } : schema;

/**
 * The JSON Schema (draft 2020-12) of `node`, for editors (yaml-language-server) and other tools:
 * exact where a check is a regex, a range or a list of choices; synth checks the rest.
 */
export function jsonSchemaOf(node: Node, header: JsonSchema = {}): JsonSchema {
  const defs = new Map<string, JsonSchema>();
  const body = toJson(node, defs);
  return {
    ...header,
    ...body,
    $defs: Object.fromEntries([...defs.entries()].sort(([a], [b]) => a.localeCompare(b))),
  };
}

function ruleJson(rule: Rule | undefined, defs: Map<string, JsonSchema>): JsonSchema {
  if (!rule) return { type: 'string' };
  if (!rule.name) return rule.json;
  defs.set(rule.name, rule.json);
  return { $ref: `#/$defs/${rule.name}` };
}

function toJson(node: Node, defs: Map<string, JsonSchema>): JsonSchema {
  switch (node.kind) {
    case 'string':
      return described(node, {
        ...ruleJson(node.rule, defs),
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
        items: toJson(node.item, defs),
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
          Object.entries(node.fields).map(([key, field]) => [key, toJson(field, defs)]),
        ),
        ...(required.length > 0 ? { required } : {}),
        ...node.json,
      });
    }
    case 'custom':
      return described(node, {
        ...(node.shape ? toJson(node.shape, defs) : {}),
        ...node.json,
        ...(node.default !== undefined ? { default: node.default } : {}),
      });
  }
}
