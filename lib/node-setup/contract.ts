/**
 * The contract between the chart that ships the node agent, the agent itself and `doctor`: names,
 * keys, paths and files that all three must spell the same. Imported by the agent bundle, so it
 * must stay free of cdk8s and of anything else heavy.
 */

/** The DaemonSet's (and ConfigMap's) name, also the `app` label of its pods. */
export function nodeSetupName(registryName: string): string {
  return `${registryName}-node-setup`;
}

/** ConfigMap keys (besides one hosts file per registry host, see configmap-keys.ts). */
export const AGENT_KEY = 'agent.js';
export const PLAN_KEY = 'plan.json';
export const LEGACY_KEY = 'legacy-registry.toml';

/** Paths inside the agent's container. */
export const AGENT_DIR = '/agent';
/** Host paths are mounted under this folder: the node's /etc/containerd at /host/etc/containerd. */
export const HOST_ROOT = '/host';
export const STATUS_DIR = '/status';
/** Written by the agent after a successful run; the pod's readiness probe reads it. */
export const READY_FILE = 'configured';
/** Always mounted: the folder of containerd's default config. */
export const CONTAINERD_DIR = '/etc/containerd';
/** Where Kubernetes mounts the termination message file by default. */
export const TERMINATION_LOG = '/dev/termination-log';

/** The environment the DaemonSet sets and the agent reads. */
export const AGENT_ENV = {
  mode: 'AGENT_MODE',
  planDir: 'AGENT_PLAN_DIR',
  hostRoot: 'HOST_ROOT',
  mountedHostPaths: 'MOUNTED_HOST_PATHS',
  statusDir: 'STATUS_DIR',
  restartCommand: 'RESTART_COMMAND',
  containerdCommand: 'CONTAINERD_COMMAND',
  ctrCommand: 'CTR_COMMAND',
  /** Optional: seconds to wait for the CRI plugin after a restart (default 30). */
  healthTimeoutSeconds: 'HEALTH_TIMEOUT_SECONDS',
  /** Optional: the config file, instead of the running containerd's `--config`. */
  containerdConfig: 'CONTAINERD_CONFIG',
  /** Optional: where the host's /proc is (default /proc, with hostPID). */
  procRoot: 'PROC_ROOT',
  /** Optional: the termination message file (default TERMINATION_LOG). */
  terminationLog: 'TERMINATION_LOG',
} as const;

/** The node's containerd and ctr, run in the mount namespace of the node's PID 1. */
export const IN_HOST_MOUNT_NS = 'nsenter -t 1 -m --';
