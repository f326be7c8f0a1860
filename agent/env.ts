import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodePlan } from '../lib/node-setup/node-plan';
import { AGENT_ENV as E, PLAN_KEY } from '../lib/node-setup/contract';
import { runningContainerdConfig } from './containerd-host';
import { HostPaths } from './host-paths';

/** Everything a run reads from its environment, resolved once. */
export interface AgentEnv {
  readonly mode: 'apply' | 'cleanup';
  readonly plan: NodePlan;
  /** ConfigMap key → content. */
  readonly files: Readonly<Record<string, string>>;
  readonly paths: HostPaths;
  /** Host path of the config file the running containerd reads. */
  readonly configPath: string;
  readonly restartCommand: string;
  readonly containerdCommand: string;
  readonly ctrCommand: string;
  readonly healthTimeoutMs: number;
  readonly statusDir: string;
}

type Vars = Readonly<Record<string, string | undefined>>;

function required(vars: Vars, name: string): string {
  const value = vars[name];
  if (!value) throw new Error(`${name} is not set; the DaemonSet sets it`);
  return value;
}

export function readAgentEnv(vars: Vars): AgentEnv {
  const planDir = required(vars, E.planDir);
  const plan = JSON.parse(readFileSync(join(planDir, PLAN_KEY), 'utf8')) as NodePlan;
  const files = Object.fromEntries(
    [plan.legacyKey, ...plan.hosts.map((h) => h.key)].map((key) => [
      key,
      readFileSync(join(planDir, key), 'utf8'),
    ]),
  );
  const mode = vars[E.mode] === 'cleanup' ? 'cleanup' : 'apply';
  return {
    mode,
    plan,
    files,
    paths: new HostPaths(required(vars, E.hostRoot), required(vars, E.mountedHostPaths).split(':')),
    configPath: vars[E.containerdConfig] || runningContainerdConfig(vars[E.procRoot] || '/proc'),
    restartCommand: required(vars, E.restartCommand),
    containerdCommand: required(vars, E.containerdCommand),
    ctrCommand: required(vars, E.ctrCommand),
    healthTimeoutMs: Number(vars[E.healthTimeoutSeconds] || '30') * 1000,
    statusDir: required(vars, E.statusDir),
  };
}
