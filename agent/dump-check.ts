import { canonical } from './config-edit';
import { getIn, isMap, type JsonMap } from './containerd-config';
import { REGISTRY_TABLE, type ContainerdRules } from './containerd-rules';
import type { NodeChanges } from './decide';

/**
 * Compares what the node's own containerd dumped for the config before and after the change, and
 * returns every reason the change would not be in effect (empty: it is). Exit 0 is not enough:
 * containerd 1.6 dumps a version 3 file with exit 0 and no config_path, and dumps mirrors next to
 * config_path although its CRI plugin refuses them.
 */
export function dumpProblems(
  old: JsonMap,
  next: JsonMap,
  expect: NodeChanges['expect'],
  rules: ContainerdRules,
): string[] {
  const registry = (getIn(next, rules.dumpRegistryTable) ?? {}) as JsonMap;
  const mirrors = Object.keys(isMap(registry.mirrors) ? registry.mirrors : {});
  const problems: string[] = [];
  if (expect.configPath !== undefined && registry.config_path !== expect.configPath) {
    problems.push(`config_path dumps as "${String(registry.config_path ?? '')}", not "${expect.configPath}"`);
  }
  if (registry.config_path && mirrors.length > 0 && rules.refusedNextToConfigPath.includes('mirrors')) {
    problems.push('registry.mirrors would sit next to config_path');
  }
  if (registry.config_path && rules.refusedNextToConfigPath.includes('tls')) {
    const configs = isMap(registry.configs) ? registry.configs : {};
    const tls = Object.keys(configs).filter(
      (h) => isMap(configs[h]) && (configs[h] as JsonMap).tls !== undefined,
    );
    if (tls.length > 0) problems.push(`registry.configs.${tls[0]}.tls would sit next to config_path`);
  }
  for (const host of expect.mirrors) if (!mirrors.includes(host)) problems.push(`mirror ${host} is missing`);
  if (outsideRegistry(old) !== outsideRegistry(next))
    problems.push('settings outside the registry tables would change');
  return problems;
}

/**
 * The dump without the CRI registry tables, `imports` as a set: containerd 1.x lists the files it
 * loaded in random order (Go map iteration; 3 of 12 dumps reversed on 1.6).
 */
export function outsideRegistry(dump: JsonMap): string {
  const copy = structuredClone(dump);
  for (const table of Object.values(REGISTRY_TABLE)) {
    const parent = getIn(copy, table.slice(0, -1));
    if (isMap(parent)) delete parent.registry;
  }
  if (Array.isArray(copy.imports)) copy.imports = [...(copy.imports as string[])].sort();
  return canonical(copy);
}
