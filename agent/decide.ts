import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { renderHostsToml, type HostEndpoint } from '../lib/node-setup/hosts-toml';
import type { NodePlan } from '../lib/node-setup/node-plan';
import { readIfExists } from './atomic-file';
import { editRegistryConfig } from './config-edit';
import { analyzeConfig, type ConfigAnalysis, type JsonMap, type RegistrySettings } from './containerd-config';
import type { HostPaths } from './host-paths';

/** What a run must write; computed before anything is written. */
export interface NodeChanges {
  /** The new config text, or undefined when the config stays as it is. */
  readonly configText?: string;
  /** The config the change starts from (`version = 2` where the node has none): the baseline to dump. */
  readonly baseline: string;
  /** The hosts dir containerd reads after the change (hostsDir mode). */
  readonly hostsDir?: string;
  /** Host path → content of each hosts.toml to write. */
  readonly hostsFiles: ReadonlyArray<{ readonly hostPath: string; readonly content: string }>;
  /** What the dumped config must show for the change to be in effect. */
  readonly expect: { readonly configPath?: string; readonly mirrors: readonly string[] };
}

export class Refusal extends Error {}

type UsableConfig = Extract<ConfigAnalysis, { kind: 'usable' }>;

/** Decides the changes for one node, or throws a Refusal that says why and what to do. */
export function decideChanges(
  analysis: ConfigAnalysis,
  plan: NodePlan,
  files: Readonly<Record<string, string>>,
  paths: HostPaths,
): NodeChanges {
  if (analysis.kind === 'refused')
    throw new Refusal(`the containerd config was left as it is: ${analysis.reason}`);
  const config = analysis.kind === 'usable' ? analysis : freshConfig(analysis);
  return plan.mode === 'legacy'
    ? decideLegacy(config, plan, files)
    : decideHostsDir(config, plan, files, paths);
}

/**
 * No file, or one with only comments: start from `version = 2` (after the comments). Without that
 * line containerd 1.6 silently ignores config_path; its defaults cover everything else.
 */
function freshConfig(analysis: Extract<ConfigAnalysis, { kind: 'absent' | 'blank' }>): UsableConfig {
  const comments = analysis.kind === 'blank' ? analysis.text.replace(/\n*$/, '\n') : '';
  return analyzeConfig(`${comments}version = 2\n`) as UsableConfig;
}

function decideLegacy(
  config: UsableConfig,
  plan: NodePlan,
  files: Readonly<Record<string, string>>,
): NodeChanges {
  const hosts = plan.hosts.map((h) => h.directory);
  const { registry } = config;
  if (registry.version === 3) {
    throw new Refusal(
      'legacy mode was refused on a version 3 config: containerd 2.0 removed registry.configs.*.tls, so ' +
        'insecure_skip_verify would be silently ignored; set nodeSetup.mode to hostsDir',
    );
  }
  if (registry.configPath) {
    throw new Refusal(
      `legacy mode was refused: the node sets registry.config_path = "${registry.configPath}", and containerd ` +
        'refuses registry.mirrors next to it (the CRI plugin would not load); set nodeSetup.mode to hostsDir',
    );
  }
  const edit = { removeMirrors: hosts, removeTls: hosts, append: files[plan.legacyKey] };
  return withEdit(config, edit, [], { mirrors: hosts });
}

function decideHostsDir(
  config: UsableConfig,
  plan: NodePlan,
  files: Readonly<Record<string, string>>,
  paths: HostPaths,
): NodeChanges {
  const { registry } = config;
  const current = registry.configPath ?? '';
  const hostsDir = visibleHostsDir(current === '' ? plan.hostsDir : chooseSingleDir(current, paths), paths);
  const migrated = migrateMirrors(registry, hostsDir, paths);
  const hostsFiles = [...migrated, ...planHostsFiles(plan, files, hostsDir)];
  const edit = {
    configPath: current === hostsDir ? undefined : hostsDir,
    removeMirrors: Object.keys(registry.mirrors),
    removeTls: Object.keys(registry.configs).filter((h) => registry.configs[h].tls !== undefined),
  };
  return withEdit(config, edit, hostsFiles, { configPath: hostsDir, mirrors: [] }, hostsDir);
}

function withEdit(
  config: UsableConfig,
  edit: Parameters<typeof editRegistryConfig>[3],
  hostsFiles: NodeChanges['hostsFiles'],
  expect: NodeChanges['expect'],
  hostsDir?: string,
): NodeChanges {
  const unchanged = { baseline: config.text, hostsDir, hostsFiles, expect };
  const nothingToDo =
    edit.configPath === undefined &&
    edit.removeMirrors.length === 0 &&
    edit.removeTls.length === 0 &&
    !edit.append;
  if (nothingToDo) return unchanged;
  const result = editRegistryConfig(config.text, config.parsed, config.registry, edit);
  if ('refused' in result) throw new Refusal(`the containerd config was left as it is: ${result.refused}`);
  return result.text === config.text ? unchanged : { ...unchanged, configText: result.text };
}

/**
 * containerd 2.2 defaults config_path to `/etc/containerd/certs.d:/etc/docker/certs.d`, and since
 * 2.1 CRI pulls read the whole string as one directory. Keep the first; refuse to drop one that
 * holds hosts files or that the agent cannot see.
 */
function chooseSingleDir(configPath: string, paths: HostPaths): string {
  const [first, ...dropped] = configPath.split(':').filter((d) => d !== '');
  for (const dir of dropped) {
    if (!paths.visible(dir)) {
      throw new Refusal(
        `config_path "${configPath}" names ${dir}, which is not mounted into the agent, so it cannot tell whether ` +
          `hosts files there would be lost; move them to ${first} and set config_path = "${first}" by hand`,
      );
    }
    const local = paths.local(dir);
    const inUse =
      existsSync(local) && readdirSync(local).some((h) => existsSync(join(local, h, 'hosts.toml')));
    if (inUse) {
      throw new Refusal(
        `config_path "${configPath}" names ${dir}, which holds hosts files that a single directory would lose; ` +
          `move them to ${first}, then restart this pod`,
      );
    }
  }
  return first;
}

function visibleHostsDir(dir: string, paths: HostPaths): string {
  if (!paths.visible(dir)) {
    throw new Refusal(
      `containerd's hosts dir ${dir} is not mounted into the agent; set nodeSetup.hostsDir to ${dir} so that the ` +
        'DaemonSet mounts it, then synth and apply again',
    );
  }
  return dir;
}

function planHostsFiles(plan: NodePlan, files: Readonly<Record<string, string>>, hostsDir: string) {
  return plan.hosts.map((h) => ({
    hostPath: join(hostsDir, h.directory, 'hosts.toml'),
    content: files[h.key],
  }));
}

/** Each legacy mirror as an equivalent hosts.toml, so that every mirror still works after. */
function migrateMirrors(registry: RegistrySettings, hostsDir: string, paths: HostPaths) {
  const hosts = new Set([
    ...Object.keys(registry.mirrors),
    ...Object.keys(registry.configs).filter((h) => registry.configs[h].tls),
  ]);
  return [...hosts].map((host) => {
    const tls = (registry.configs[host]?.tls ?? {}) as JsonMap;
    const endpoints = registry.mirrors[host] ?? [`https://${host}`];
    const hostEndpoints: HostEndpoint[] = endpoints.map((url) => ({
      url: url.replace(/\/+$/, ''),
      capabilities: ['pull', 'resolve'],
      // insecure_skip_verify means nothing for http, and a TLS setting there makes newer containerd try HTTPS first.
      ...(url.startsWith('https://') ? tlsSettings(tls) : {}),
    }));
    const server = host === 'docker.io' ? 'https://registry-1.docker.io' : `https://${host}`;
    const content = renderHostsToml({ server, hosts: hostEndpoints });
    const hostPath = join(hostsDir, host, 'hosts.toml');
    const existing = readIfExists(paths.local(hostPath));
    if (existing !== undefined && existing !== content) {
      throw new Refusal(
        `registry.mirrors."${host}" cannot move to ${hostPath}, which exists with other content; merge the two by ` +
          'hand and remove the mirror from config.toml',
      );
    }
    return { hostPath, content };
  });
}

function tlsSettings(tls: JsonMap): Pick<HostEndpoint, 'skipVerify' | 'ca' | 'client'> {
  const client = tls.cert_file ? [[String(tls.cert_file), String(tls.key_file ?? '')]] : undefined;
  return {
    ...(tls.insecure_skip_verify !== undefined ? { skipVerify: Boolean(tls.insecure_skip_verify) } : {}),
    ...(tls.ca_file ? { ca: String(tls.ca_file) } : {}),
    ...(client ? { client } : {}),
  };
}
