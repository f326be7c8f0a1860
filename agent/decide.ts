import { posix } from 'node:path';
import { renderHostsToml, type HostEndpoint, type HostsFile } from '../lib/node-setup/hosts-toml';
import type { NodePlan } from '../lib/node-setup/node-plan';
import { editRegistryConfig, type RegistryEdit } from './config-edit';
import { importedFiles, importUses, locateFile } from './config-location';
import { analyzeConfig, type ConfigAnalysis, type JsonMap, type RegistrySettings } from './containerd-config';
import { REGISTRY_TABLE, type ContainerdRules } from './containerd-rules';
import type { NodeFiles } from './node-files';
import { importConflicts, type AgentLayout } from './own-file-imports';
import { Refusal } from './refusal';
import { decodeText, encodeText, PLAIN, type TextForm } from './text-encoding';
import { formatKeyPath } from './toml-text';

export { Refusal };

/** What the decision needs besides the node's files. */
export interface DecideInput {
  /** The config file the running containerd was started with (a host path). */
  readonly configPath: string;
  readonly plan: NodePlan;
  /** ConfigMap key → content. */
  readonly files: Readonly<Record<string, string>>;
  readonly rules: ContainerdRules;
}

/** What a run must write; computed before anything is written. */
export interface NodeChanges {
  /**
   * The file that holds the registry settings in effect: the config itself, the target of the
   * symlink it is, or (containerd 1.x) the last drop-in that names the CRI plugin.
   */
  readonly configFile: string;
  readonly configRole: 'main' | 'drop-in';
  /** Its exact content before the run; undefined where no file existed. */
  readonly before?: string;
  /** The new content (line endings and byte order mark as before), or undefined when it stays. */
  readonly configText?: string;
  /** The content the change starts from (`version = N` where the node has none): the baseline to dump. */
  readonly baseline: string;
  /** For a drop-in: the main config and its imports, to load the candidate in the drop-in's place. */
  readonly dropIn?: {
    readonly mainPath: string;
    readonly mainText: string;
    readonly imports: readonly string[];
  };
  /** The hosts dir containerd reads after the change (hostsDir mode). */
  readonly hostsDir?: string;
  /** Host path → content of each hosts.toml that must be written (absent or different today). */
  readonly hostsFiles: ReadonlyArray<{ readonly hostPath: string; readonly content: string }>;
  /** What the dumped config must show for the change to be in effect. */
  readonly expect: { readonly configPath?: string; readonly mirrors: readonly string[] };
}

type UsableConfig = Extract<ConfigAnalysis, { kind: 'usable' }>;

interface Target {
  readonly path: string;
  readonly role: 'main' | 'drop-in';
  readonly before?: string;
  readonly form: TextForm;
  readonly config: UsableConfig;
  readonly dropIn?: NodeChanges['dropIn'];
}

const LEFT = 'the containerd config was left as it is';

/**
 * Decides the changes for one node from its files alone, or throws a Refusal that says why and what
 * to do. Pure: everything it reads comes through `node`.
 */
export function decideChanges(input: DecideInput, node: NodeFiles): NodeChanges {
  const main = locateFile(input.configPath, node);
  const mainTarget = readTarget(
    main.hostPath,
    main.entry.kind === 'file' ? main.entry.text : undefined,
    input.rules,
    'main',
  );
  // Before following the imports: a glob over the agent's own files would make it read them as drop-ins.
  const current = mainTarget.config.registry.configPath?.split(':').filter((d) => d !== '') ?? [];
  const hostsDirs = input.plan.mode === 'legacy' ? [] : [input.plan.hostsDir, ...current];
  refuseOwnFileImports(input, node, mainTarget, {
    configFile: main.hostPath,
    edited: [main.hostPath],
    hostsDirs,
    hostsFiles: hostsDirs.flatMap((dir) =>
      planHostsFiles(input.plan, input.files, dir).map((f) => f.hostPath),
    ),
  });
  const target = findTarget(input, node, main, mainTarget);
  const partial =
    input.plan.mode === 'legacy' ? decideLegacy(target, input) : decideHostsDir(target, input, node);
  refuseOwnFileImports(input, node, mainTarget, {
    configFile: main.hostPath,
    edited: [main.hostPath, target.path],
    hostsDirs: partial.hostsDir === undefined ? [] : [partial.hostsDir],
    hostsFiles: partial.hostsFiles.map((f) => f.hostPath),
  });
  const edit = applyEdit(target, partial.edit, input.rules);
  return {
    configFile: target.path,
    configRole: target.role,
    before: target.before,
    configText: edit,
    baseline: encodeText(target.config.text, target.form),
    dropIn: target.dropIn,
    hostsDir: partial.hostsDir,
    hostsFiles: partial.hostsFiles.filter((f) => {
      refuseIndirectPath(f.hostPath, node);
      const entry = node.entry(f.hostPath);
      return !(entry.kind === 'file' && entry.text === f.content);
    }),
    expect: partial.expect,
  };
}

/**
 * Refuses a hosts file whose path passes through a symlink or a non-folder on the node: the agent
 * writes through its mount, where an absolute link resolves inside the pod, so containerd on the
 * node would never see the file (issue 10).
 */
function refuseIndirectPath(hostPath: string, node: NodeFiles): void {
  const parts = hostPath.split('/').filter(Boolean);
  parts.forEach((_, i) => {
    const path = `/${parts.slice(0, i + 1).join('/')}`;
    if (!node.visible(path)) return;
    const entry = node.entry(path);
    const last = i === parts.length - 1;
    if (entry.kind === 'link') {
      throw new Refusal(
        `${LEFT}: ${path} is a symlink to ${entry.target}; the agent writes hosts files only into real folders, ` +
          'since a link would resolve inside its pod: replace the link with a folder (or file) holding the same, then restart this pod',
      );
    }
    if (entry.kind !== 'absent' && entry.kind !== (last ? 'file' : 'dir')) {
      throw new Refusal(
        `${LEFT}: ${path} is not a regular ${last ? 'file' : 'folder'}; remove or rename it, then restart this pod`,
      );
    }
  });
}

/**
 * Refuses a config whose `imports` would load a file the agent writes or keeps (its backup, state,
 * temporary and candidate files, the config itself, the hosts dir): see own-file-imports.ts.
 */
function refuseOwnFileImports(
  input: DecideInput,
  node: NodeFiles,
  main: Target,
  layout: Omit<AgentLayout, 'configPath'>,
): void {
  const uses = importUses(input.configPath, main.config.parsed, node);
  const conflicts = importConflicts(uses, { configPath: posix.normalize(input.configPath), ...layout });
  if (conflicts.length > 0) throw new Refusal(`${LEFT}: ${conflicts.join('; ')}`);
}

/** The file whose registry table is in effect, read and analysed. */
function findTarget(
  input: DecideInput,
  node: NodeFiles,
  main: ReturnType<typeof locateFile>,
  mainTarget: Target,
): Target {
  if (!input.rules.importsReplacePluginTables || mainTarget.config.registry.version !== 2) return mainTarget;
  const criKey = REGISTRY_TABLE[2].slice(0, 2);
  const imports = importedFiles(input.configPath, mainTarget.config.parsed, node);
  const holders = imports.filter((f) => hasTable(f.text ?? '', criKey));
  if (holders.length === 0) return mainTarget;
  const inEffect = holders[holders.length - 1];
  const line = `config_path = ${JSON.stringify(input.plan.hostsDir)}`;
  const byHand =
    `containerd ${input.rules.series} replaces the whole [${formatKeyPath(criKey)}] table with the one in ${inEffect.path}, ` +
    `so a change to ${input.configPath} would have no effect; add \`${line}\` under [${formatKeyPath(REGISTRY_TABLE[2])}] ` +
    `in ${inEffect.path} by hand (or move the CRI settings into ${input.configPath}), then restart this pod`;
  if (inEffect.importedBy !== input.configPath) throw new Refusal(`${LEFT}: ${byHand}`);
  let target: Target;
  try {
    target = readTarget(inEffect.path, inEffect.text, input.rules, 'drop-in');
  } catch (error) {
    throw new Refusal(`${(error as Error).message} (${inEffect.path}); ${byHand}`);
  }
  return {
    ...target,
    dropIn: {
      mainPath: input.configPath,
      mainText: main.entry.kind === 'file' ? main.entry.text : '',
      imports: imports.filter((f) => f.importedBy === input.configPath).map((f) => f.path),
    },
  };
}

function hasTable(text: string, key: readonly string[]): boolean {
  const analysis = analyzeConfig(text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n'));
  return (
    analysis.kind === 'usable' &&
    key.reduce<unknown>((n, k) => (n as JsonMap | undefined)?.[k], analysis.parsed) !== undefined
  );
}

function readTarget(
  path: string,
  raw: string | undefined,
  rules: ContainerdRules,
  role: Target['role'],
): Target {
  if (raw === undefined) {
    return { path, role, form: PLAIN, config: fresh('', rules) };
  }
  const decoded = decodeText(raw);
  if ('refused' in decoded) throw new Refusal(`${LEFT}: ${decoded.refused}`);
  if (decoded.form.byteOrderMark && !rules.acceptsByteOrderMark) {
    throw new Refusal(
      `${LEFT}: ${path} starts with a UTF-8 byte order mark, which containerd ${rules.series} refuses to load ` +
        '("invalid character at start of key: U+00EF"); remove those first 3 bytes, then restart this pod',
    );
  }
  const analysis = analyzeConfig(decoded.text);
  if (analysis.kind === 'refused') throw new Refusal(`${LEFT}: ${analysis.reason}`);
  if (analysis.kind === 'blank') {
    return { path, role, before: raw, form: decoded.form, config: fresh(analysis.text, rules) };
  }
  if (analysis.kind === 'absent') throw new Error('unreachable');
  if (!rules.configVersions.includes(analysis.registry.version)) {
    throw new Refusal(
      `${LEFT}: ${path} has version = ${analysis.registry.version}, which containerd ${rules.series} does not load ` +
        '(1.7 refuses it, 1.6 ignores its CRI tables); write it as version 2 or upgrade containerd to 2.x, then restart this pod',
    );
  }
  return { path, role, before: raw, form: decoded.form, config: analysis };
}

/**
 * No file, or one with only comments: start from the version line (after the comments). Without it
 * containerd 1.x silently ignores config_path; on 2.x a version 2 file logs a migration warning at
 * every start. containerd's defaults cover everything else.
 */
function fresh(comments: string, rules: ContainerdRules): UsableConfig {
  const lead = comments === '' ? '' : comments.replace(/\n*$/, '\n');
  return analyzeConfig(`${lead}version = ${rules.freshConfigVersion}\n`) as UsableConfig;
}

interface Partial {
  readonly edit: RegistryEdit;
  readonly hostsFiles: NodeChanges['hostsFiles'];
  readonly expect: NodeChanges['expect'];
  readonly hostsDir?: string;
}

function decideLegacy(target: Target, input: DecideInput): Partial {
  const { plan, files, rules } = input;
  const hosts = plan.hosts.map((h) => h.directory);
  const { registry } = target.config;
  if (!rules.legacyMirrors || registry.version === 3) {
    throw new Refusal(
      `legacy mode was refused on containerd ${rules.series} with a version ${registry.version} config: containerd 2.x ` +
        'switches legacy mirrors to "local image pull mode" and ignores registry.configs.*.tls, so ' +
        'insecure_skip_verify would be silently lost; set nodeSetup.mode to hostsDir',
    );
  }
  if (registry.configPath) {
    throw new Refusal(
      `legacy mode was refused: the node sets registry.config_path = "${registry.configPath}", and containerd ` +
        'refuses registry.mirrors next to it (the CRI plugin would not load); set nodeSetup.mode to hostsDir',
    );
  }
  return {
    edit: { removeMirrors: hosts, removeTls: hosts, append: files[plan.legacyKey] },
    hostsFiles: [],
    expect: { mirrors: hosts },
  };
}

function decideHostsDir(target: Target, input: DecideInput, node: NodeFiles): Partial {
  const { plan, files, rules } = input;
  const { registry } = target.config;
  const current = registry.configPath ?? '';
  const hostsDir = visibleHostsDir(current === '' ? plan.hostsDir : chooseSingleDir(current, node), node);
  const migrated = migrateMirrors(registry, hostsDir, node);
  // Every key that containerd refuses or ignores next to config_path moves to a hosts file (auth stays).
  const moved = new Set([
    ...rules.refusedNextToConfigPath,
    ...rules.ignoredNextToConfigPath,
    'mirrors',
    'tls',
  ]);
  return {
    edit: {
      configPath: current === hostsDir ? undefined : hostsDir,
      removeMirrors: moved.has('mirrors') ? Object.keys(registry.mirrors) : [],
      removeTls: moved.has('tls')
        ? Object.keys(registry.configs).filter((h) => registry.configs[h].tls !== undefined)
        : [],
    },
    hostsFiles: [...migrated, ...planHostsFiles(plan, files, hostsDir)],
    expect: { configPath: hostsDir, mirrors: [] },
    hostsDir,
  };
}

function applyEdit(target: Target, edit: RegistryEdit, rules: ContainerdRules): string | undefined {
  const nothingToDo =
    edit.configPath === undefined &&
    edit.removeMirrors.length === 0 &&
    edit.removeTls.length === 0 &&
    !edit.append;
  const { config } = target;
  if (nothingToDo) return undefined;
  const result = editRegistryConfig(config.text, config.parsed, config.registry, edit);
  if ('refused' in result) {
    const where =
      target.role === 'drop-in'
        ? ` (in the drop-in ${target.path}, whose CRI table containerd ${rules.series} uses)`
        : '';
    throw new Refusal(`${LEFT}: ${result.refused}${where}`);
  }
  const text = encodeText(result.text, target.form);
  return text === target.before ? undefined : text;
}

/**
 * containerd 2.2 defaults config_path to `/etc/containerd/certs.d:/etc/docker/certs.d`, and since
 * 2.1 CRI pulls read the whole string as one directory. Keep the first; refuse to drop one that
 * holds hosts files or that the agent cannot see.
 */
function chooseSingleDir(configPath: string, node: NodeFiles): string {
  const [first, ...dropped] = configPath.split(':').filter((d) => d !== '');
  for (const dir of dropped) {
    if (!node.visible(dir)) {
      throw new Refusal(
        `config_path "${configPath}" names ${dir}, which is not mounted into the agent, so it cannot tell whether ` +
          `hosts files there would be lost; move them to ${first} and set config_path = "${first}" by hand`,
      );
    }
    const inUse = (node.list(dir) ?? []).some(
      (h) => node.entry(posix.join(dir, h, 'hosts.toml')).kind !== 'absent',
    );
    if (inUse) {
      throw new Refusal(
        `config_path "${configPath}" names ${dir}, which holds hosts files that a single directory would lose; ` +
          `move them to ${first}, then restart this pod`,
      );
    }
  }
  return first;
}

function visibleHostsDir(dir: string, node: NodeFiles): string {
  if (!node.visible(dir)) {
    throw new Refusal(
      `containerd's hosts dir ${dir} is not mounted into the agent; set nodeSetup.hostsDir to ${dir} so that the ` +
        'DaemonSet mounts it, then synth and apply again',
    );
  }
  return dir;
}

function planHostsFiles(plan: NodePlan, files: Readonly<Record<string, string>>, hostsDir: string) {
  return plan.hosts.map((h) => ({
    hostPath: posix.join(hostsDir, h.directory, 'hosts.toml'),
    content: files[h.key],
  }));
}

/**
 * The folder containerd reads for a registry host. `*` (the legacy wildcard mirror) is `_default`:
 * containerd's lookup tries `host_port_`, `host:port`, then `_default` (docs/hosts.md).
 */
export function hostsFolder(host: string): string {
  return host === '*' ? '_default' : host;
}

/** Each legacy mirror as an equivalent hosts.toml, so that every mirror still works after. */
function migrateMirrors(registry: RegistrySettings, hostsDir: string, node: NodeFiles) {
  const hosts = new Set([
    ...Object.keys(registry.mirrors),
    ...Object.keys(registry.configs).filter((h) => registry.configs[h].tls),
  ]);
  return [...hosts].map((host) => {
    const tls = (registry.configs[host]?.tls ?? {}) as JsonMap;
    const endpoints = registry.mirrors[host] ?? (host === '*' ? [] : [`https://${host}`]);
    const hostEndpoints: HostEndpoint[] = endpoints.map((url) => ({
      url: url.replace(/\/+$/, ''),
      capabilities: ['pull', 'resolve'],
      // insecure_skip_verify means nothing for http, and a TLS setting there makes newer containerd try HTTPS first.
      ...(url.startsWith('https://') ? tlsSettings(tls) : {}),
    }));
    // The wildcard's file has no server: each registry itself stays the fallback.
    const server =
      host === '*' ? undefined : host === 'docker.io' ? 'https://registry-1.docker.io' : `https://${host}`;
    const file: HostsFile = { ...(server ? { server } : {}), hosts: hostEndpoints };
    if (hostEndpoints.length === 0) {
      throw new Refusal(
        `${LEFT}: registry.configs."${host}".tls has no mirror to attach to; move it to a hosts file by hand`,
      );
    }
    const content = renderHostsToml(file);
    const hostPath = posix.join(hostsDir, hostsFolder(host), 'hosts.toml');
    const existing = node.entry(hostPath);
    if (existing.kind !== 'absent' && !(existing.kind === 'file' && existing.text === content)) {
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
