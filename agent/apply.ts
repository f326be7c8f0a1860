import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse } from '@iarna/toml';
import { readIfExists, writeAtomically } from './atomic-file';
import { canonical } from './config-edit';
import { analyzeConfig, getIn, REGISTRY_TABLE, type JsonMap } from './containerd-config';
import { criLoaded, runCommand, sleep } from './containerd-host';
import { decideChanges, Refusal, type NodeChanges } from './decide';
import type { AgentEnv } from './env';

export interface RunReport {
  readonly configChanged: boolean;
  readonly restarted: boolean;
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
  readonly configExisted: boolean;
  readonly configSha256?: string;
  readonly hostsFiles: Readonly<Record<string, string>>;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** One run on one node: decide, write hosts files, then change, validate and restart for config.toml. */
export function applyNodeSetup(env: AgentEnv): RunReport {
  const configLocal = env.paths.local(env.configPath);
  const before = readIfExists(configLocal);
  const changes = decideChanges(analyzeConfig(before), env.plan, env.files, env.paths);
  const { backup, state: stateFile } = stateFiles(configLocal);
  const previous: AgentState = JSON.parse(
    readIfExists(stateFile) ?? '{"configExisted":true,"hostsFiles":{}}',
  );
  const state = { ...previous, hostsFiles: { ...previous.hostsFiles } };

  const written: string[] = [];
  for (const file of changes.hostsFiles) {
    const local = env.paths.local(file.hostPath);
    if (readIfExists(local) === file.content) continue;
    mkdirSync(dirname(local), { recursive: true });
    writeAtomically(local, file.content);
    state.hostsFiles[file.hostPath] = sha256(file.content);
    written.push(file.hostPath);
  }
  if (written.length > 0) writeAtomically(stateFile, JSON.stringify(state, null, 2));
  if (changes.configText === undefined) {
    return { configChanged: false, restarted: false, hostsFilesWritten: written, hostsDir: changes.hostsDir };
  }

  validateWithContainerd(env, configLocal, before, changes);
  if (readIfExists(backup) === undefined && before !== undefined) writeAtomically(backup, before);
  const nextState: AgentState = {
    ...state,
    // What cleanup restores: the node's config as it was before the agent's first change.
    configExisted: previous.configSha256 === undefined ? before !== undefined : previous.configExisted,
    configSha256: sha256(changes.configText),
  };
  writeAtomically(stateFile, JSON.stringify(nextState, null, 2));
  mkdirSync(dirname(configLocal), { recursive: true });
  writeAtomically(configLocal, changes.configText);
  restartAndCheck(env, () => restore(configLocal, before));
  return { configChanged: true, restarted: true, hostsFilesWritten: written, hostsDir: changes.hostsDir };
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

function waitForCri(env: AgentEnv): boolean {
  for (let waited = 0; waited <= env.healthTimeoutMs; waited += 250) {
    if (criLoaded(env.ctrCommand)) return true;
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
function validateWithContainerd(
  env: AgentEnv,
  configLocal: string,
  before: string | undefined,
  changes: NodeChanges,
): void {
  const dump = (text: string): JsonMap => {
    const candidate = join(dirname(configLocal), `.candidate-${process.pid}.toml`);
    writeAtomically(candidate, text);
    try {
      const hostPath = join(dirname(env.configPath), basename(candidate));
      return parse(runCommand(env.containerdCommand, ['--config', hostPath, 'config', 'dump'])) as JsonMap;
    } finally {
      rmSync(candidate, { force: true });
    }
  };
  const old = dump(before && analyzeConfig(before).kind === 'usable' ? before : 'version = 2\n');
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
