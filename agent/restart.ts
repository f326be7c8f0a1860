import { criLoaded, runCommand, sleep } from './containerd-host';
import type { AgentEnv } from './env';
import { Refusal } from './refusal';

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
