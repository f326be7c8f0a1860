import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../lib/project-root';

export const ROOT = projectRoot();

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the bundled synth (what `npm run synth` runs after building) with only the given variables. */
export function runSynth(env: Record<string, string>): RunResult {
  const result = spawnSync(process.execPath, [join(ROOT, 'build', 'main.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Name and SHA-256 of every file in a folder: equal fingerprints mean byte-identical folders. */
export function fingerprint(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex'),
      ]),
  );
}

/** Runs a bundle of build/ without blocking this process's event loop (a stub server in the test must answer). */
export function runBundleAsync(
  bundle: string,
  env: Record<string, string>,
  args: string[] = [],
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'build', bundle), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Like runSynth, without blocking this process's event loop. */
export function runSynthAsync(env: Record<string, string>): Promise<RunResult> {
  return runBundleAsync('main.js', env);
}
