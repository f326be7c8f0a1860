import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse } from '@iarna/toml';
import { readIfExists, writeAtomically } from './atomic-file';
import { canonical } from './config-edit';
import { analyzeConfig, getIn, REGISTRY_TABLE, type JsonMap } from './containerd-config';
import { criLoaded, runCommand, sleep } from './containerd-host';
import { decideChanges, Refusal, type NodeChanges } from './decide';
import type { AgentEnv } from './env';

export interface RunReport {
  /** config.toml changed, so containerd was restarted. */
  readonly configChanged: boolean;
  readonly hostsFilesWritten: readonly string[];
  readonly hostsDir?: string;
}

/** Files the agent keeps beside the node's config, for cleanup. */
export function stateFiles(configLocal: string): { backup: string; state: string } {
  return {
    backup: `${configLocal}.internal-registry.bak`,
    state: join(dirname(configLocal), `.${basename(configLocal)}.internal-registry.json`),
  };
}

export interface AgentState {
  /** Whether the node had a config before the agent's first change (cleanup restores that). */
  readonly configExisted: boolean;
  /** Digest of the config the agent wrote; cleanup restores only while it is still that. */
  readonly configSha256?: string;
  /** Host path → digest of each hosts.toml the agent wrote. */
  readonly hostsFiles: Readonly<Record<string, string>>;
  /** config.toml was replaced but containerd not yet restarted on it (a run was killed). */
  readonly restartPending?: boolean;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * One run on one node: decide everything, have the node's containerd validate a config change,
 * and only then write: hosts files, the backup and state, config.toml, and a restart. A refusal at
 * any step before the writes leaves every file as it was.
 */
export function applyNodeSetup(env: AgentEnv): RunReport {
  const configLocal = env.paths.local(env.configPath);
  const before = readIfExists(configLocal);
  const changes = decideChanges(analyzeConfig(before), env.plan, env.files, env.paths);
  if (changes.configText !== undefined) validateWithContainerd(env, configLocal, changes);

  const hostsFiles = changes.hostsFiles.filter(
    (f) => readIfExists(env.paths.local(f.hostPath)) !== f.content,
  );
  const { backup, state: stateFile } = stateFiles(configLocal);
  const previous: AgentState = JSON.parse(readIfExists(stateFile) ?? 'null') ?? {
    configExisted: before !== undefined,
    hostsFiles: {},
  };
  const report = {
    configChanged: changes.configText !== undefined,
    hostsFilesWritten: hostsFiles.map((f) => f.hostPath),
    hostsDir: changes.hostsDir,
  };
  sweepStaleTemps([
    dirname(configLocal),
    ...changes.hostsFiles.map((f) => dirname(env.paths.local(f.hostPath))),
  ]);
  if (hostsFiles.length === 0 && changes.configText === undefined) {
    // A run killed between writing config.toml and the restart left containerd on the old file.
    if (previous.restartPending) {
      restartAndCheck(env, () =>
        restore(configLocal, previous.configExisted ? readIfExists(backup) : undefined),
      );
      writeAtomically(stateFile, JSON.stringify({ ...previous, restartPending: false }, null, 2));
    }
    return report;
  }

  const state: AgentState = {
    ...previous,
    hostsFiles: {
      ...previous.hostsFiles,
      ...Object.fromEntries(hostsFiles.map((f) => [f.hostPath, sha256(f.content)])),
    },
    ...(changes.configText !== undefined
      ? { configSha256: sha256(changes.configText), restartPending: true }
      : {}),
  };
  if (changes.configText !== undefined && before !== undefined && readIfExists(backup) === undefined) {
    writeAtomically(backup, before);
  }
  // The state before the files it names: a run killed after a hosts file and before the state
  // would leave a file that no later run records, and cleanup never removes (issue 13).
  writeAtomically(stateFile, JSON.stringify(state, null, 2));
  for (const file of hostsFiles) {
    const local = env.paths.local(file.hostPath);
    mkdirSync(dirname(local), { recursive: true });
    writeAtomically(local, file.content);
  }
  if (changes.configText !== undefined) {
    mkdirSync(dirname(configLocal), { recursive: true });
    writeAtomically(configLocal, changes.configText);
    restartAndCheck(env, () => restore(configLocal, before));
    writeAtomically(stateFile, JSON.stringify({ ...state, restartPending: false }, null, 2));
  }
  return report;
}

/** Temporary files of runs that were killed mid-write: never the real files, safe to drop. */
export function sweepStaleTemps(dirs: readonly string[]): void {
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (/^\..+\.tmp-\d+$|^\.candidate-\d+\.toml$/.test(name)) rmSync(join(dir, name), { force: true });
    }
  }
}

function restore(configLocal: string, before: string | undefined): void {
  if (before === undefined) rmSync(configLocal, { force: true });
  else writeAtomically(configLocal, before);
}

/** Restarts containerd and waits for its CRI plugin; on failure restores, restarts again and fails. */
export function restartAndCheck(env: AgentEnv, rollback: () => void): void {
  runCommand(env.restartCommand, [], 60000);
  if (waitForCri(env)) return;
  rollback();
  runCommand(env.restartCommand, [], 60000);
  const back = waitForCri(env)
    ? 'containerd runs again on the restored config'
    : 'containerd did not come back either';
  throw new Refusal(`containerd did not come back with the new config, so the backup was restored; ${back}`);
}

/** Polls until the CRI plugin answers `ok`, bounded by wall-clock time (a dead socket makes ctr hang). */
function waitForCri(env: AgentEnv): boolean {
  const deadline = Date.now() + env.healthTimeoutMs;
  while (Date.now() < deadline) {
    if (criLoaded(env.ctrCommand, Math.max(500, Math.min(5000, deadline - Date.now())))) return true;
    sleep(250);
  }
  return false;
}

/**
 * Asks the node's own containerd to load the candidate file and checks the dumped values, not only
 * the exit code: containerd 1.6 dumps a version 3 file with exit 0 and no config_path, and dumps
 * mirrors next to config_path with exit 0 although its CRI plugin refuses them. Everything outside
 * the registry tables must dump the same before and after (a drop-in under `imports` included).
 */
function validateWithContainerd(env: AgentEnv, configLocal: string, changes: NodeChanges): void {
  const dump = (text: string): JsonMap => {
    const candidate = join(dirname(configLocal), `.candidate-${process.pid}.toml`);
    try {
      // inside the try: a failed flush of the folder comes after the rename (issue 13, crash points)
      writeAtomically(candidate, text);
      const hostPath = join(dirname(env.configPath), basename(candidate));
      return parse(runCommand(env.containerdCommand, ['--config', hostPath, 'config', 'dump'])) as JsonMap;
    } finally {
      rmSync(candidate, { force: true });
    }
  };
  const old = dump(changes.baseline);
  const next = dump(changes.configText!);
  const version = next.version === 3 ? 3 : 2;
  const registry = (getIn(next, REGISTRY_TABLE[version]) ?? {}) as JsonMap;
  const mirrors = Object.keys((registry.mirrors ?? {}) as JsonMap);
  const problems: string[] = [];
  if (changes.expect.configPath !== undefined && registry.config_path !== changes.expect.configPath) {
    problems.push(
      `config_path dumps as "${String(registry.config_path ?? '')}", not "${changes.expect.configPath}"`,
    );
  }
  if (mirrors.length > 0 && registry.config_path)
    problems.push('registry.mirrors would sit next to config_path');
  for (const host of changes.expect.mirrors)
    if (!mirrors.includes(host)) problems.push(`mirror ${host} is missing`);
  const withoutRegistry = (d: JsonMap) => {
    const copy = structuredClone(d);
    for (const table of Object.values(REGISTRY_TABLE)) {
      const parent = getIn(copy, table.slice(0, -1)) as JsonMap | undefined;
      if (parent) delete parent.registry;
    }
    return canonical(copy);
  };
  if (withoutRegistry(old) !== withoutRegistry(next))
    problems.push('settings outside the registry tables would change');
  if (problems.length > 0) {
    throw new Refusal(
      `the containerd config was left as it is: the node's containerd would not apply the change (${problems.join('; ')})`,
    );
  }
}
