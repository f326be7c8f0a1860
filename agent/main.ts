import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyNodeSetup } from './apply';
import { cleanupNodeSetup } from './cleanup';
import { AGENT_ENV, READY_FILE, TERMINATION_LOG } from '../lib/node-setup/contract';
import { Refusal } from './refusal';
import { readAgentEnv, type AgentEnv } from './env';

const RANCHER = /^\/var\/lib\/rancher\//;

function refuseRancher(env: AgentEnv): void {
  if (env.plan.flavor === 'containerd' && !RANCHER.test(env.configPath)) return;
  throw new Refusal(
    `this node runs ${env.plan.flavor === 'containerd' ? 'k3s or RKE2' : env.plan.flavor}, whose containerd reads ` +
      `${env.configPath}, regenerated from a template at every start; configure the registry in ` +
      '/etc/rancher/k3s/registries.yaml (or /etc/rancher/rke2/registries.yaml) instead: see README, "k3s and RKE2"',
  );
}

function markReady(env: AgentEnv, report: object): void {
  mkdirSync(env.statusDir, { recursive: true });
  writeFileSync(join(env.statusDir, READY_FILE), `${JSON.stringify(report)}\n`);
}

function fail(message: string): void {
  process.stderr.write(`node-setup: ${message}\n`);
  try {
    // Kubernetes shows this in the pod's status: `kubectl describe pod` says why.
    writeFileSync(process.env[AGENT_ENV.terminationLog] || TERMINATION_LOG, message);
  } catch {
    // not in a pod
  }
  process.exitCode = 1;
}

try {
  const env = readAgentEnv(process.env);
  refuseRancher(env);
  if (env.mode === 'cleanup') {
    const report = cleanupNodeSetup(env);
    process.stdout.write(`node-setup: cleanup ${JSON.stringify(report)}\n`);
  } else {
    const report = applyNodeSetup(env);
    process.stdout.write(`node-setup: ${JSON.stringify({ configPath: env.configPath, ...report })}\n`);
    markReady(env, {
      configPath: env.configPath,
      configFile: report.configFile,
      containerd: report.containerd,
      hostsDir: report.hostsDir,
      mode: env.plan.mode,
    });
  }
} catch (error) {
  fail(explain(error));
}

function explain(error: unknown): string {
  if (error instanceof Refusal) return error.message;
  const { code, path } = error as NodeJS.ErrnoException;
  const why: Record<string, string> = {
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
    EACCES: 'permission denied',
    EPERM: 'not permitted',
  };
  if (code && why[code]) {
    return (
      `cannot write ${path ?? 'a node file'}: ${why[code]}. Every file is replaced atomically, so each is as ` +
      'it was or complete; fix the node, then restart this pod'
    );
  }
  return `unexpected error: ${(error as Error).stack ?? String(error)}`;
}
