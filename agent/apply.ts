import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readIfExists, writeAtomically } from './atomic-file';
import { LEFTOVER } from './agent-file-names';
import { validateWithContainerd } from './containerd-check';
import { runCommand } from './containerd-host';
import { rulesForVersion } from './containerd-rules';
import { decideChanges } from './decide';
import type { AgentEnv } from './env';
import { MountedNodeFiles } from './node-files';
import { restartAndCheck } from './restart';
import { backupOf, readState, sha256, stateFiles, writeState, type AgentState } from './run-state';

export { restartAndCheck, sha256, stateFiles, type AgentState };

export interface RunReport {
  /** The containerd config changed, so containerd was restarted. */
  readonly configChanged: boolean;
  /** The file edited: the config, the target of its symlink, or a drop-in. */
  readonly configFile?: string;
  readonly containerd: string;
  readonly hostsFilesWritten: readonly string[];
  readonly hostsDir?: string;
}

/**
 * One run on one node: decide everything from the node's files, have the node's containerd validate
 * a config change, and only then write: hosts files, the backup and state, the config, and a
 * restart. A refusal at any step before the writes leaves every file as it was.
 */
export function applyNodeSetup(env: AgentEnv): RunReport {
  const rules = rulesForVersion(runCommand(env.containerdCommand, ['--version']));
  const input = { configPath: env.configPath, plan: env.plan, files: env.files, rules };
  const changes = decideChanges(input, new MountedNodeFiles(env.paths));
  if (changes.configText !== undefined) validateWithContainerd(env, changes, rules);

  const fileLocal = env.paths.local(changes.configFile);
  const backup = backupOf(fileLocal);
  const { state: stateFile } = stateFiles(env.paths.local(env.configPath));
  const previous: AgentState = readState(stateFile) ?? {
    configExisted: changes.before !== undefined,
    configFile: changes.configFile,
    hostsFiles: {},
  };
  const report = {
    configChanged: changes.configText !== undefined,
    configFile: changes.configFile,
    containerd: rules.series,
    hostsFilesWritten: changes.hostsFiles.map((f) => f.hostPath),
    hostsDir: changes.hostsDir,
  };
  sweepStaleTemps([
    dirname(fileLocal),
    dirname(env.paths.local(env.configPath)),
    ...changes.hostsFiles.map((f) => dirname(env.paths.local(f.hostPath))),
  ]);
  if (changes.hostsFiles.length === 0 && changes.configText === undefined) {
    // A run killed between writing the config and the restart left containerd on the old file.
    if (previous.restartPending) {
      const pendingLocal = env.paths.local(previous.configFile ?? env.configPath);
      restartAndCheck(env, () =>
        restore(pendingLocal, previous.configExisted ? readIfExists(backupOf(pendingLocal)) : undefined),
      );
      writeState(stateFile, { ...previous, restartPending: false });
    }
    return report;
  }

  const state: AgentState = {
    ...previous,
    hostsFiles: {
      ...previous.hostsFiles,
      ...Object.fromEntries(changes.hostsFiles.map((f) => [f.hostPath, sha256(f.content)])),
    },
    ...(changes.configText !== undefined
      ? { configFile: changes.configFile, configSha256: sha256(changes.configText), restartPending: true }
      : {}),
  };
  if (
    changes.configText !== undefined &&
    changes.before !== undefined &&
    readIfExists(backup) === undefined
  ) {
    writeAtomically(backup, changes.before);
  }
  // The state before the files it names: a run killed after a hosts file and before the state
  // would leave a file that no later run records, and cleanup never removes (issue 13).
  writeState(stateFile, state);
  for (const file of changes.hostsFiles) {
    const local = env.paths.local(file.hostPath);
    mkdirSync(dirname(local), { recursive: true });
    writeAtomically(local, file.content);
  }
  if (changes.configText !== undefined) {
    mkdirSync(dirname(fileLocal), { recursive: true });
    writeAtomically(fileLocal, changes.configText);
    restartAndCheck(env, () => restore(fileLocal, changes.before));
    writeState(stateFile, { ...state, restartPending: false });
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
      if (LEFTOVER.test(name)) rmSync(join(dir, name), { force: true });
    }
  }
}

function restore(fileLocal: string, before: string | undefined): void {
  if (before === undefined) rmSync(fileLocal, { force: true });
  else writeAtomically(fileLocal, before);
}
