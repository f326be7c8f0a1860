import type { Check, FieldReader } from '../field-reader';

/** A fragment of a JSON Schema (draft-07, the draft yaml-language-server validates). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * A check of a string field together with the JSON Schema keywords that state the same check, where
 * JSON Schema can (a regex, a length); a check it cannot state has no keywords and is synth's alone.
 */
export interface Rule {
  readonly check: Check<string>;
  readonly json: JsonSchema;
}

interface Described {
  /** Shown by editors (the JSON Schema's description). */
  readonly description?: string;
}

/** The fields of an object read so far, for a field whose default or check depends on a sibling. */
export type Siblings = Readonly<Record<string, unknown>>;

export interface StringNode<Optional extends boolean = boolean> extends Described {
  readonly kind: 'string';
  readonly optional: Optional;
  readonly default?: string;
  readonly rule?: Rule;
  /** The value when the key is missing, taken from a field read before it (an app's namespace is its name). */
  from?(siblings: Siblings): string;
  /**
   * A message: a missing or empty value is refused with it. `true`: a missing value is read as `''`,
   * which the rule refuses in its own words.
   */
  readonly required?: string | true;
}

export interface IntegerNode extends Described {
  readonly kind: 'integer';
  readonly default: number;
  readonly min: number;
  readonly max: number;
}

export interface BooleanNode extends Described {
  readonly kind: 'boolean';
  readonly default: boolean;
}

export interface OneOfNode<T extends string = string> extends Described {
  readonly kind: 'oneOf';
  readonly choices: readonly T[];
  readonly default: T;
}

export interface ListNode<Item extends Node = Node> extends Described {
  readonly kind: 'list';
  readonly item: Item;
  readonly default: readonly unknown[];
  /** Refuses an item given twice (`'x' is listed twice`). */
  readonly unique?: boolean;
  /** Set: an empty list is refused with this message. */
  readonly nonEmpty?: string;
  /** Checks over the whole list, after its items (rules between items). */
  after?(reader: FieldReader, value: readonly Infer<Item>[], path: string): void;
}

export type Fields = Readonly<Record<string, Node>>;

export interface ObjectNode<F extends Fields = Fields> extends Described {
  readonly kind: 'object';
  readonly fields: F;
  /** Checks over the section, after its fields (rules between its fields). */
  after?(reader: FieldReader, value: InferObject<F>, path: string): void;
  /** JSON Schema keywords for those checks, where JSON Schema can state them (`if`/`then`). */
  readonly json?: JsonSchema;
}

/** A field read by its own function (a value of two shapes, a normalised path, a section that depends on a sibling). */
export interface CustomNode<T = unknown, Optional extends boolean = boolean> extends Described {
  readonly kind: 'custom';
  readonly optional: Optional;
  readonly default: T;
  read(reader: FieldReader, path: string, raw: unknown, siblings: Siblings): T;
  /** Its JSON Schema: the node that describes its shape, and further keywords. */
  readonly shape?: Node;
  readonly json?: JsonSchema;
}

export type Node =
  StringNode | IntegerNode | BooleanNode | OneOfNode | ListNode<Node> | ObjectNode<Fields> | CustomNode;

type OptionalKeys<F extends Fields> = {
  [K in keyof F]: F[K] extends { readonly optional: true } ? K : never;
}[keyof F];
type RequiredKeys<F extends Fields> = Exclude<keyof F, OptionalKeys<F>>;
type Flat<T> = { [K in keyof T]: T[K] } & {};

export type InferObject<F extends Fields> = Flat<
  { readonly [K in RequiredKeys<F>]: Infer<F[K]> } & { readonly [K in OptionalKeys<F>]?: Infer<F[K]> }
>;

/** The TypeScript type of the value a node reads. */
export type Infer<N> = N extends StringNode
  ? string
  : N extends IntegerNode
    ? number
    : N extends BooleanNode
      ? boolean
      : N extends OneOfNode<infer T>
        ? T
        : N extends ListNode<infer Item>
          ? readonly Infer<Item>[]
          : N extends ObjectNode<infer F>
            ? InferObject<F>
            : N extends CustomNode<infer T>
              ? Exclude<T, undefined>
              : never;

type StringOptions = Omit<StringNode, 'kind' | 'optional'>;

/** A string with a default (or, without one, `''` where it is missing). */
export const string = (options: StringOptions = {}): StringNode<false> => ({
  kind: 'string',
  optional: false,
  ...options,
});

/** A string that may be left out (or empty): then it is undefined. */
export const optionalString = (options: Omit<StringOptions, 'default' | 'from'> = {}): StringNode<true> => ({
  kind: 'string',
  optional: true,
  ...options,
});

export const integer = (
  min: number,
  max: number,
  defaultValue: number,
  description?: string,
): IntegerNode => ({
  kind: 'integer',
  min,
  max,
  default: defaultValue,
  description,
});

export const boolean = (defaultValue: boolean, description?: string): BooleanNode => ({
  kind: 'boolean',
  default: defaultValue,
  description,
});

export const oneOf = <const T extends string>(
  choices: readonly T[],
  defaultValue: NoInfer<T>,
  description?: string,
): OneOfNode<T> => ({ kind: 'oneOf', choices, default: defaultValue, description });

export const list = <Item extends Node>(
  item: Item,
  options: Omit<ListNode<Item>, 'kind' | 'item' | 'default'> & {
    readonly default?: readonly Infer<Item>[];
  } = {},
): ListNode<Item> => ({ kind: 'list', item, default: [], ...options });

export const object = <F extends Fields>(
  fields: F,
  options: Omit<ObjectNode<F>, 'kind' | 'fields'> = {},
): ObjectNode<F> => ({ kind: 'object', fields, ...options });

export const custom = <T, Optional extends boolean = false>(
  options: Omit<CustomNode<T, Optional>, 'kind' | 'optional'> & { readonly optional?: Optional },
): CustomNode<T, Optional> => ({ optional: false as Optional, ...options, kind: 'custom' });
