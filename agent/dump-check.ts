import { canonical } from './config-edit';
import { getIn, REGISTRY_TABLE, type JsonMap } from './containerd-config';
import type { NodeChanges } from './decide';

/**
 * What is wrong with a change, judged on `containerd config dump` of the node's config before
 * (`old`) and of the candidate (`next`): config_path not what the agent set (containerd 1.6 dumps a
 * version 3 file with exit 0 and no config_path), mirrors next to config_path (dumped with exit 0,
 * but the CRI plugin refuses them), an expected mirror missing, or any setting outside the registry
 * tables changed (a drop-in under `imports` included). Empty when the change is safe.
 */
export function dumpProblems(old: JsonMap, next: JsonMap, expect: NodeChanges['expect']): string[] {
  const version = next.version === 3 ? 3 : 2;
  const registry = (getIn(next, REGISTRY_TABLE[version]) ?? {}) as JsonMap;
  const mirrors = Object.keys((registry.mirrors ?? {}) as JsonMap);
  const problems: string[] = [];
  if (expect.configPath !== undefined && registry.config_path !== expect.configPath) {
    problems.push(`config_path dumps as "${String(registry.config_path ?? '')}", not "${expect.configPath}"`);
  }
  if (mirrors.length > 0 && registry.config_path)
    problems.push('registry.mirrors would sit next to config_path');
  for (const host of expect.mirrors) if (!mirrors.includes(host)) problems.push(`mirror ${host} is missing`);
  if (withoutRegistry(old) !== withoutRegistry(next))
    problems.push('settings outside the registry tables would change');
  return problems;
}

/** The dump without the registry table of either version, canonically serialized. */
function withoutRegistry(dump: JsonMap): string {
  const copy = structuredClone(dump);
  for (const table of Object.values(REGISTRY_TABLE)) {
    const parent = getIn(copy, table.slice(0, -1)) as JsonMap | undefined;
    if (parent) delete parent.registry;
  }
  return canonical(copy);
}
