import { posix } from 'node:path';

/**
 * The names of the files the agent writes beside the node's own, defined once: the writers use them
 * with their process id, the imports check with ANY_PID (see go-glob.ts) to cover every later run.
 * None ends in `.toml`, so that a `*.toml` imports glob never loads one.
 */

type Pid = number | string;

/** The backup beside an edited file. */
export const backupOf = (path: string) => `${path}.internal-registry.bak`;

/** The state file beside the config as containerd names it (the link, where it is one). */
export const stateOf = (configPath: string) =>
  posix.join(posix.dirname(configPath), `.${posix.basename(configPath)}.internal-registry.json`);

/** The temporary file a write goes through, renamed over `path` (atomic-file.ts). */
export const tempOf = (path: string, pid: Pid) =>
  posix.join(posix.dirname(path), `.${posix.basename(path)}.tmp-${pid}`);

/** A candidate config in `dir`, loaded by `containerd config dump` to validate a change. */
export const candidateIn = (dir: string, pid: Pid) => posix.join(dir, `.internal-registry-candidate-${pid}`);

/** Names of leftovers of killed runs: temporary files and candidates, safe to remove. */
export const LEFTOVER = /^\..+\.tmp-\d+$|^\.internal-registry-candidate-\d+$/;
