import { readdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { readIfExists, writeAtomically } from './atomic-file';
import { sweepStaleTemps } from './apply';
import type { AgentEnv } from './env';
import { restartAndCheck } from './restart';
import { backupOf, readState, sha256, stateFiles } from './run-state';

export interface CleanupReport {
  readonly removed: readonly string[];
  readonly kept: readonly string[];
  readonly configRestored: boolean;
}

/**
 * Undoes what the agent did on this node: removes the hosts files it wrote (unless someone changed
 * them since) and puts back the config it replaced, from its backup, then restarts containerd.
 */
export function cleanupNodeSetup(env: AgentEnv): CleanupReport {
  const { state: stateFile } = stateFiles(env.paths.local(env.configPath));
  const state = readState(stateFile);
  if (state === undefined) return { removed: [], kept: [], configRestored: false };
  // The file the agent edited: the config, the target of its symlink (the link itself never changes), or a drop-in.
  const configFile = state.configFile ?? env.configPath;
  const configLocal = env.paths.local(configFile);
  const backup = backupOf(configLocal);
  // A cleanup killed mid-write leaves a temporary file too (issue 13, crash points).
  sweepStaleTemps([dirname(configLocal), dirname(stateFile)]);
  const removed: string[] = [];
  const kept: string[] = [];
  for (const [hostPath, digest] of Object.entries(state.hostsFiles)) {
    const local = env.paths.local(hostPath);
    const current = readIfExists(local);
    if (current === undefined) continue;
    if (sha256(current) !== digest) {
      kept.push(hostPath);
      continue;
    }
    rmSync(local);
    removed.push(hostPath);
    try {
      if (readdirSync(dirname(local)).length === 0) rmdirSync(dirname(local));
    } catch {
      // a folder someone else uses
    }
  }
  let configRestored = false;
  const current = readIfExists(configLocal);
  if (state.configSha256 !== undefined && current !== undefined && sha256(current) === state.configSha256) {
    const original = readIfExists(backup);
    const put = () =>
      original === undefined || !state.configExisted
        ? rmSync(configLocal)
        : writeAtomically(configLocal, original);
    put();
    restartAndCheck(env, () => writeAtomically(configLocal, current));
    configRestored = true;
  } else if (state.configSha256 !== undefined) {
    kept.push(configFile);
  }
  rmSync(backup, { force: true });
  rmSync(stateFile, { force: true });
  return { removed, kept, configRestored };
}
