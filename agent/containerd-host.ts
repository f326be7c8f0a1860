import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_CONFIG = '/etc/containerd/config.toml';

/**
 * The config file the running containerd reads: its `--config`/`-c` argument, seen through the
 * host's /proc (hostPID), or containerd's default.
 */
export function runningContainerdConfig(procRoot: string): string {
  for (const pid of readdirSync(procRoot).filter((p) => /^\d+$/.test(p))) {
    let args: string[];
    try {
      if (readFileSync(join(procRoot, pid, 'comm'), 'utf8').trim() !== 'containerd') continue;
      args = readFileSync(join(procRoot, pid, 'cmdline'), 'utf8').split('\0');
    } catch {
      continue; // the process ended while we looked
    }
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '--config' || args[i] === '-c') return args[i + 1];
      if (args[i].startsWith('--config=')) return args[i].slice('--config='.length);
    }
    return DEFAULT_CONFIG;
  }
  return DEFAULT_CONFIG;
}

/** Runs a configured command line through `sh -c`, returning stdout; throws with stderr on failure. */
export function runCommand(command: string, args: readonly string[] = [], timeoutMs = 30000): string {
  const line = [command, ...args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`)].join(' ');
  try {
    return execFileSync('sh', ['-c', line], {
      encoding: 'utf8',
      timeout: timeoutMs,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(
      `\`${line}\` failed: ${(e.stderr || e.message).trim().split('\n').slice(-3).join(' / ')}`,
    );
  }
}

/** True when containerd answers and its CRI plugin loaded (a refused CRI config shows as `error`). */
export function criLoaded(ctrCommand: string, timeoutMs = 5000): boolean {
  try {
    const plugins = runCommand(ctrCommand, ['plugins', 'ls'], timeoutMs);
    const cri = plugins
      .split('\n')
      .filter((l) => /\s(cri|images)\s/.test(l) && /io\.containerd\.(grpc|cri)\./.test(l));
    return cri.length > 0 && cri.every((l) => /\sok\s*$/.test(l));
  } catch {
    return false;
  }
}

export function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
