import { parse } from '@iarna/toml';
import type { JsonMap, RegistrySettings } from './containerd-config';
import { formatKeyPath, samePath, splitLines, startsWithPath, tableBlocks } from './toml-text';

/** A change to the registry settings of a containerd config. */
export interface RegistryEdit {
  /** Set `registry.config_path` to this directory. */
  readonly configPath?: string;
  /** Hosts whose `registry.mirrors."HOST"` table goes. */
  readonly removeMirrors: readonly string[];
  /** Hosts whose `registry.configs."HOST".tls` table goes. */
  readonly removeTls: readonly string[];
  /** TOML tables appended at the end (the legacy form). */
  readonly append?: string;
}

export type EditResult = { readonly text: string } | { readonly refused: string };

/**
 * Applies the edit as a minimal change to the text: whole registry sub-tables are removed, one
 * `config_path` line is set or added, every other line stays as it was. The result is parsed back
 * and compared with the intended change on the parsed data; any other difference (a dotted key the
 * line edit did not see, an inline table, a duplicate table) refuses the edit instead of writing it.
 */
export function editRegistryConfig(
  text: string,
  parsed: JsonMap,
  registry: Pick<RegistrySettings, 'table'>,
  edit: RegistryEdit,
): EditResult {
  const table = registry.table;
  let lines = splitLines(text);
  const doomed = new Set<number>();
  for (const block of tableBlocks(lines)) {
    const mirror = block.path.length >= table.length + 2 && startsWithPath(block.path, [...table, 'mirrors']);
    const tls =
      block.path.length >= table.length + 3 &&
      startsWithPath(block.path, [...table, 'configs']) &&
      block.path[table.length + 2] === 'tls';
    if (
      (mirror && edit.removeMirrors.includes(block.path[table.length + 1])) ||
      (tls && edit.removeTls.includes(block.path[table.length + 1]))
    ) {
      for (let i = block.start; i < block.end; i++) doomed.add(i);
    }
  }
  lines = lines.filter((_, i) => !doomed.has(i));
  if (edit.configPath !== undefined) lines = setConfigPath(lines, table, edit.configPath);
  let result = lines.join('\n');
  if (edit.append) result = `${result.replace(/\n*$/, '\n')}\n${edit.append}`;

  let reparsed: JsonMap;
  try {
    reparsed = parse(result) as JsonMap;
  } catch (error) {
    return { refused: `the edited file would not parse (${(error as Error).message.split('\n')[0]})` };
  }
  const expected = intendedResult(parsed, table, edit);
  if (canonical(reparsed) !== canonical(expected)) {
    return {
      refused:
        'the registry settings are written in a form this agent does not edit in place (dotted keys or inline ' +
        'tables); move them into [' +
        formatKeyPath([...table, 'mirrors', '<host>']) +
        '] tables',
    };
  }
  return { text: result };
}

function setConfigPath(lines: string[], table: readonly string[], dir: string): string[] {
  const value = `config_path = ${JSON.stringify(dir)}`;
  const block = tableBlocks(lines).find((b) => samePath(b.path, table));
  if (!block) {
    const body = lines.join('\n').replace(/\n*$/, '');
    return splitLines(`${body}\n\n[${formatKeyPath(table)}]\n  ${value}\n`);
  }
  for (let i = block.start + 1; i < block.end; i++) {
    const m = /^(\s*)config_path\s*=/.exec(lines[i]);
    if (m) return [...lines.slice(0, i), `${m[1]}${value}`, ...lines.slice(i + 1)];
  }
  const next = lines.slice(block.start + 1, block.end).find((l) => /^\s*[A-Za-z"']/.test(l));
  const indent = next ? /^(\s*)/.exec(next)![1] : '  ';
  return [...lines.slice(0, block.start + 1), `${indent}${value}`, ...lines.slice(block.start + 1)];
}

/** The parsed config as the edit means it to be. */
function intendedResult(parsed: JsonMap, table: readonly string[], edit: RegistryEdit): JsonMap {
  const result = structuredClone(parsed);
  const registry = ensureMap(result, table);
  const mirrors = registry.mirrors as JsonMap | undefined;
  const configs = registry.configs as JsonMap | undefined;
  for (const host of edit.removeMirrors) if (mirrors) delete mirrors[host];
  for (const host of edit.removeTls) if (configs?.[host]) delete (configs[host] as JsonMap).tls;
  if (edit.configPath !== undefined) registry.config_path = edit.configPath;
  if (edit.append) mergeInto(result, parse(edit.append) as JsonMap);
  return result;
}

function ensureMap(root: JsonMap, path: readonly string[]): JsonMap {
  let node = root;
  for (const key of path) {
    if (!node[key] || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as JsonMap;
  }
  return node;
}

function mergeInto(target: JsonMap, source: JsonMap): void {
  for (const [key, value] of Object.entries(source)) {
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      target[key] &&
      typeof target[key] === 'object'
    ) {
      mergeInto(target[key] as JsonMap, value as JsonMap);
    } else {
      target[key] = value;
    }
  }
}

/** Sorted-key JSON of the data with empty tables dropped: equal strings mean equal settings. */
export function canonical(data: unknown): string {
  const prune = (value: unknown): unknown => {
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.map(prune);
    if (value && typeof value === 'object') {
      const entries = Object.keys(value)
        .sort()
        .map((k) => [k, prune((value as JsonMap)[k])] as const)
        .filter(([, v]) => !(v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0));
      return Object.fromEntries(entries);
    }
    return value;
  };
  return JSON.stringify(prune(data));
}

/**
 * The config with its top-level `imports` replaced by `imports` (absolute paths): how the node's
 * containerd is asked to load a candidate drop-in in place of the real one. Checked by parsing back.
 */
export function withImports(text: string, imports: readonly string[]): EditResult {
  const lines = splitLines(text);
  const firstTable = lines.findIndex((l) => /^\s*\[/.test(l));
  const limit = firstTable < 0 ? lines.length : firstTable;
  const start = lines.findIndex((l, i) => i < limit && /^\s*imports\s*=/.test(l));
  let kept = lines;
  if (start >= 0) {
    let depth = 0;
    let end = start;
    for (let i = start; i < limit; i++) {
      const code = lines[i].replace(/"(?:[^"\\]|\\.)*"|'[^']*'|#.*$/g, '');
      depth += (code.match(/\[/g) ?? []).length - (code.match(/\]/g) ?? []).length;
      end = i;
      if (depth <= 0) break;
    }
    kept = [...lines.slice(0, start), ...lines.slice(end + 1)];
  }
  const result = `imports = ${JSON.stringify(imports)}\n${kept.join('\n')}`;
  try {
    const before = parse(text) as JsonMap;
    const after = parse(result) as JsonMap;
    const { imports: got, ...rest } = after;
    const { imports: _old, ...restBefore } = before; // eslint-disable-line @typescript-eslint/no-unused-vars
    if (canonical(got) === canonical(imports) && canonical(rest) === canonical(restBefore))
      return { text: result };
  } catch {
    // refused below
  }
  return { refused: 'its imports line is written in a form this agent cannot replace for the check' };
}
