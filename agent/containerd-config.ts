import { parse } from '@iarna/toml';

export type JsonMap = { [key: string]: unknown };

import { REGISTRY_TABLE } from './containerd-rules';

export { REGISTRY_TABLE };

export interface RegistrySettings {
  readonly version: 2 | 3;
  /** The path of the registry table for this version. */
  readonly table: readonly string[];
  readonly configPath?: string;
  /** `registry.mirrors`: host → endpoints. */
  readonly mirrors: Readonly<Record<string, readonly string[]>>;
  /** `registry.configs`: host → its table (tls, auth). */
  readonly configs: Readonly<Record<string, JsonMap>>;
}

export type ConfigAnalysis =
  | { readonly kind: 'absent' }
  | { readonly kind: 'blank'; readonly text: string }
  | {
      readonly kind: 'usable';
      readonly text: string;
      readonly parsed: JsonMap;
      readonly registry: RegistrySettings;
    }
  | { readonly kind: 'refused'; readonly reason: string };

export function getIn(data: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>(
    (node, key) => (node && typeof node === 'object' ? (node as JsonMap)[key] : undefined),
    data,
  );
}

export function isMap(value: unknown): value is JsonMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** Reads what the agent needs from a containerd config file; undefined text means no file. */
export function analyzeConfig(text: string | undefined): ConfigAnalysis {
  if (text === undefined) return { kind: 'absent' };
  let parsed: JsonMap;
  try {
    parsed = parse(text) as JsonMap;
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    return {
      kind: 'refused',
      reason: `it is not valid TOML (${reason}); fix the file by hand, then restart this pod`,
    };
  }
  if (Object.keys(parsed).length === 0) return { kind: 'blank', text };
  const version = parsed.version;
  if (version === undefined) {
    return {
      kind: 'refused',
      reason:
        'it has no `version` line, so containerd reads it as version 1, where the CRI registry settings of this ' +
        'agent are ignored; convert it with `containerd config migrate` (containerd 1.7+) or add `version = 2` ' +
        'and rename its plugin tables, then restart this pod',
    };
  }
  if (version !== 2 && version !== 3) {
    return {
      kind: 'refused',
      reason: `it has version = ${String(version)}; this agent handles versions 2 and 3`,
    };
  }
  const table = REGISTRY_TABLE[version];
  const registry = getIn(parsed, table);
  if (registry !== undefined && !isMap(registry)) {
    return { kind: 'refused', reason: `${table.join('.')} is not a table` };
  }
  const configPath = registry?.config_path;
  if (configPath !== undefined && typeof configPath !== 'string') {
    return { kind: 'refused', reason: `${table.join('.')}.config_path is not a string` };
  }
  const mirrors: Record<string, string[]> = {};
  for (const [host, mirror] of Object.entries(isMap(registry?.mirrors) ? registry.mirrors : {})) {
    const endpoint = isMap(mirror) ? mirror.endpoint : undefined;
    if (!Array.isArray(endpoint) || !endpoint.every((e) => typeof e === 'string')) {
      return { kind: 'refused', reason: `registry.mirrors."${host}".endpoint is not a list of URLs` };
    }
    mirrors[host] = endpoint as string[];
  }
  const configs = Object.fromEntries(
    Object.entries(isMap(registry?.configs) ? registry.configs : {}).filter(
      (entry): entry is [string, JsonMap] => isMap(entry[1]),
    ),
  );
  return { kind: 'usable', text, parsed, registry: { version, table, configPath, mirrors, configs } };
}
