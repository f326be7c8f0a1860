import { createHash } from 'node:crypto';
import { backupOf, stateOf } from './agent-file-names';
import { readIfExists, writeAtomically } from './atomic-file';

export { backupOf };

/** What the agent keeps beside the node's config, for the next run and for cleanup. */
export interface AgentState {
  /** Whether the node had the edited file before the agent's first change (cleanup restores that). */
  readonly configExisted: boolean;
  /** Host path of the file the agent edited (a link's target, a drop-in); default the config itself. */
  readonly configFile?: string;
  /** Digest of the content the agent wrote; cleanup restores only while it is still that. */
  readonly configSha256?: string;
  /** Host path → digest of each hosts.toml the agent wrote. */
  readonly hostsFiles: Readonly<Record<string, string>>;
  /** The file was replaced but containerd not yet restarted on it (a run was killed). */
  readonly restartPending?: boolean;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The state file beside the node's config (as containerd names it), and the backup of a file. */
export function stateFiles(configLocal: string): { backup: string; state: string } {
  return {
    backup: backupOf(configLocal),
    state: stateOf(configLocal),
  };
}

export function readState(stateFile: string): AgentState | undefined {
  const text = readIfExists(stateFile);
  return text === undefined ? undefined : (JSON.parse(text) as AgentState);
}

export function writeState(stateFile: string, state: AgentState): void {
  writeAtomically(stateFile, JSON.stringify(state, null, 2));
}
