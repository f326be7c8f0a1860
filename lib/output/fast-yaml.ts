import { Yaml } from 'cdk8s';
import { stringify } from 'yaml';

/** The options cdk8s 2.70 passes to `yaml` in `Yaml.stringify` (node_modules/cdk8s/lib/yaml.js). */
const OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;

/** Thrown where the fast path does not know the library's answer; the document then goes through `yaml`. */
class NotSimple extends Error {}

// `yaml` quotes these at the start of a line only (document markers, directives).
const DEPENDS_ON_POSITION = /^(%|---|\.\.\.)/m;

// Written as they are by `yaml` 1.1: a letter, then letters, digits and `_./-`, not a word
// YAML 1.1 reads as a boolean or null. test/fast-yaml.test.ts checks the rule against `yaml`.
const PLAIN = /^[A-Za-z][A-Za-z0-9_./-]*$/;
const YAML11_WORDS = /^(y|yes|n|no|true|false|on|off|null)$/i;
// `yaml` 1.1 reads `e0`, `E01`, `e-1` as floats.
const NUMBER_LIKE = /^[-+._0-9eE]+$/;
// Paths and image references: no YAML 1.1 implicit type (number, timestamp, bool, null) has a `/`.
const PATH_LIKE = /^[A-Za-z0-9][A-Za-z0-9_./:-]*$/;
// Up to 1000 characters: `yaml` writes a key longer than 1024 as an explicit `? key`.
const isPlain = (text: string) =>
  text.length <= 1000 &&
  ((PLAIN.test(text) && !YAML11_WORDS.test(text) && !NUMBER_LIKE.test(text)) ||
    (PATH_LIKE.test(text) && text.includes('/') && !text.endsWith(':')));

const keys = new Map<string, string>();
const strings = new Map<string, string>();
// numbers, booleans and null, by type and value (`-0` apart from `0`)
const others = new Map<string, string>();

/** A map key as `yaml` writes it (asked once per distinct key). */
function keyText(key: string): string {
  if (isPlain(key)) return key;
  if (DEPENDS_ON_POSITION.test(key)) throw new NotSimple();
  let text = keys.get(key);
  if (text === undefined) {
    const rendered = stringify({ [key]: 0 }, OPTIONS);
    if (!rendered.endsWith(': 0\n') || rendered.indexOf('\n') !== rendered.length - 1) throw new NotSimple();
    text = rendered.slice(0, -4);
    keys.set(key, text);
  }
  return text;
}

/** A scalar as `yaml` writes it after `key: ` (asked once per distinct value); one line only. */
function scalarText(value: unknown): string {
  if (typeof value === 'string') {
    if (isPlain(value)) return value;
    if (DEPENDS_ON_POSITION.test(value)) throw new NotSimple();
  }
  const cache = typeof value === 'string' ? strings : others;
  const cacheKey =
    typeof value === 'string' ? value : `${typeof value}:${Object.is(value, -0) ? '-0' : String(value)}`;
  let text = cache.get(cacheKey);
  if (text === undefined) {
    const rendered = stringify({ k: value }, OPTIONS);
    if (!rendered.startsWith('k: ') || rendered.indexOf('\n') !== rendered.length - 1) throw new NotSimple();
    text = rendered.slice(3, -1);
    cache.set(cacheKey, text);
  }
  return text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `key: value` lines of a block map at `indent`; `first` replaces the first line's indentation (a seq item). */
function writeMap(
  map: Record<string, unknown>,
  indent: string,
  out: string[],
  seen: Set<object>,
  first = indent,
) {
  let lead = first;
  for (const [key, value] of Object.entries(map)) {
    out.push(lead, keyText(key), ':');
    writeValue(value, indent, out, seen);
    lead = indent;
  }
}

/** The value after `key:` or `- `: inline for a scalar or an empty collection, else on the next lines. */
function writeValue(value: unknown, indent: string, out: string[], seen: Set<object>) {
  if (Array.isArray(value)) {
    if (value.length === 0) return void out.push(' []\n');
    out.push('\n');
    writeSeq(value, `${indent}  `, out, seen);
  } else if (isPlainObject(value)) {
    if (Object.keys(value).length === 0) return void out.push(' {}\n');
    out.push('\n');
    visit(value, seen);
    writeMap(value, `${indent}  `, out, seen);
  } else {
    out.push(' ', scalarFor(value), '\n');
  }
}

function writeSeq(seq: unknown[], indent: string, out: string[], seen: Set<object>) {
  visit(seq, seen);
  for (const item of seq) {
    if (isPlainObject(item) && Object.keys(item).length > 0) {
      visit(item, seen);
      writeMap(item, `${indent}  `, out, seen, `${indent}- `);
    } else if (Array.isArray(item) && item.length > 0) {
      throw new NotSimple(); // `- - a`: not in any manifest here; left to the library
    } else {
      out.push(indent, '-');
      writeValue(item, indent, out, seen);
    }
  }
}

function scalarFor(value: unknown): string {
  if (value === undefined || (typeof value === 'object' && value !== null)) throw new NotSimple();
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean' && value !== null)
    throw new NotSimple();
  return scalarText(value);
}

// `yaml` writes an object met twice as an anchor and an alias: left to the library.
function visit(node: object, seen: Set<object>) {
  if (seen.has(node)) throw new NotSimple();
  seen.add(node);
}

/**
 * One document as `Yaml.stringify` of cdk8s writes it, byte for byte, without building `yaml`'s
 * document tree: each distinct key and scalar is still written by `yaml` itself, once. Anything
 * else (multi-line strings, empty or nested sequences in sequences, shared objects) goes through
 * `yaml` whole. The Kubernetes objects here are mostly small maps of short strings, where the tree
 * cost most of a 100-app synth (issue 11); test/fast-yaml.test.ts compares both on every output.
 */
export function stringifyDocument(doc: unknown): string {
  if (doc === undefined) return '\n';
  try {
    if (!isPlainObject(doc) || Object.keys(doc).length === 0) throw new NotSimple();
    const out: string[] = [];
    const seen = new Set<object>([doc]);
    writeMap(doc, '', out, seen);
    return out.join('');
  } catch (error) {
    if (!(error instanceof NotSimple)) throw error;
    return stringify(doc, OPTIONS);
  }
}

/** Makes cdk8s write its files through `stringifyDocument`; the bytes are those cdk8s writes. */
export function useFastYaml(): void {
  Yaml.stringify = (...docs: unknown[]) => docs.map(stringifyDocument).join('---\n');
}
