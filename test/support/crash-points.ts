import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Deterministic crash points with Debian's strace (issue 13): a fault injected at the N-th call of a
 * syscall, for N = 1, 2, … until a run in which the N-th call never came. strace counts per process
 * and thread (-f follows them all), so point N also hits the N-th call of every child: each such
 * fault is one the program must survive too. (strace 6.1's --seccomp-bpf would be faster, but then
 * injects nothing.)
 */
export interface Injection {
  /** Syscall names sharing the fault (`rename,renameat,renameat2`); each is counted on its own. */
  readonly syscalls: readonly string[];
  /** `signal=KILL` (the process dies before the call), `error=ENOSPC` (the call fails). */
  readonly fault: string;
}

export interface InjectedRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Killed after the time limit: the fault hung the program (then judged like a kill). */
  readonly hung: boolean;
  /** Whether the fault fired (else N is past the last call). */
  readonly injected: boolean;
  /** strace's log of the injected syscalls, for a failure message. */
  readonly trace: string;
}

export interface SpawnOptions {
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  /** Wraps the strace command line, e.g. in `unshare` with bind mounts. */
  readonly wrap?: (argv: string[]) => string[];
  /**
   * Follow children and threads (-f, the default): their calls are points too. Off, only the
   * program's main thread is traced, where node makes every synchronous fs call; its children then
   * run at full speed (a traced Go program stops at each of its thousands of calls).
   */
  readonly followForks?: boolean;
}

/**
 * Runs a command without blocking jest; after `timeoutMs` its whole process group is killed (an
 * injected error can hang node itself: a failed write to its own event pipe) and `hung` is set.
 */
export function spawnAsync(
  argv: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<{ status: number | null; stdout: string; stderr: string; hung: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      process.kill(-child.pid!, 'SIGKILL');
    }, options.timeoutMs ?? 60000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, hung });
    });
  });
}

/** Runs `argv` under `strace -f` with the fault at the n-th call of each of the syscalls. */
export async function runInjected(
  argv: readonly string[],
  injection: Injection,
  n: number,
  options: SpawnOptions = {},
): Promise<InjectedRun> {
  const logDir = mkdtempSync(join(tmpdir(), 'strace-'));
  const log = join(logDir, 'trace.log');
  const set = injection.syscalls.join(',');
  const strace = [
    'strace',
    ...(options.followForks === false ? [] : ['-f']),
    '-qq',
    '-o',
    log,
    `--trace=${set}`,
    `--inject=${set}:${injection.fault}:when=${n}`,
    ...argv,
  ];
  try {
    const result = await spawnAsync(options.wrap ? options.wrap(strace) : strace, {
      ...options,
      timeoutMs: 15000,
    });
    const trace = readFileSync(log, 'utf8');
    const injected = /\(INJECTED\)|killed by SIG/.test(trace);
    return { ...result, injected, trace };
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
}

/**
 * Calls `point(n)` for n = 1, 2, … (`parallel` at a time) until a point reports that nothing was
 * injected; returns how many points had the fault. `point` makes its own assertions.
 */
export async function everyCrashPoint(
  point: (n: number) => Promise<{ injected: boolean }>,
  parallel = 2,
  limit = 500,
): Promise<number> {
  let tried = 0;
  for (let first = 1; first <= limit; first += parallel) {
    const batch = Array.from({ length: parallel }, (_, i) => first + i);
    const results = await Promise.all(batch.map((n) => point(n)));
    const firstMiss = results.findIndex((r) => !r.injected);
    if (firstMiss >= 0) return tried + firstMiss;
    tried += parallel;
  }
  throw new Error(`still injecting after ${limit} points: the program does not end`);
}
