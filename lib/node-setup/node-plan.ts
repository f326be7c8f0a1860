import type { NodeSetupConfig } from '../config/types';
import type { RegistryAddress } from '../registry/registry-address';
import { hostsFileKey } from './configmap-keys';
import { LEGACY_KEY, PLAN_KEY } from './contract';
import { plainHttpHostsFile, renderHostsToml } from './hosts-toml';
import { renderLegacyRegistryConfig } from './legacy-config';

/** What the node agent is told to do; shipped as `plan.json` in the ConfigMap. */
export interface NodePlan {
  readonly mode: NodeSetupConfig['mode'];
  readonly flavor: NodeSetupConfig['flavor'];
  /** The hosts dir to set where the node's containerd names none. */
  readonly hostsDir: string;
  /** Each registry host: its hosts directory name and the ConfigMap key of its hosts.toml. */
  readonly hosts: ReadonlyArray<{ readonly directory: string; readonly key: string }>;
  /** ConfigMap key of the legacy `config.toml` tables. */
  readonly legacyKey: string;
}

export { PLAN_KEY, LEGACY_KEY } from './contract';

/**
 * The node setup's files, rendered at synth time: hosts.toml for the IP host, the service name and
 * every alias (all pointing at the IP endpoint over plain HTTP), the legacy tables, and the plan.
 */
export function renderNodeSetupFiles(
  nodeSetup: NodeSetupConfig,
  address: RegistryAddress,
): Record<string, string> {
  const directories = [address.ipHost, address.serviceHost, ...address.aliasHosts];
  const hostsToml = renderHostsToml(plainHttpHostsFile(address.ipHost));
  const hosts = directories.map((directory) => ({ directory, key: hostsFileKey(directory) }));
  const plan: NodePlan = {
    mode: nodeSetup.mode,
    flavor: nodeSetup.flavor,
    hostsDir: nodeSetup.hostsDir,
    hosts,
    legacyKey: LEGACY_KEY,
  };
  return {
    [PLAN_KEY]: `${JSON.stringify(plan, null, 2)}\n`,
    ...Object.fromEntries(hosts.map((h) => [h.key, hostsToml])),
    [LEGACY_KEY]: renderLegacyRegistryConfig(directories, `http://${address.ipHost}`),
  };
}
