import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG_FILE } from '../../lib/config/load';
import { projectRoot } from '../../lib/cli/project-root';

export const ROOT = projectRoot();

/**
 * An empty config file: the built-in defaults. A run gets it unless its env names a config, so that
 * tests never depend on config/default.yaml, which belongs to the user (issue 11).
 */
export const BUILT_IN_CONFIG = join(ROOT, 'test', 'support', 'built-in-config.yaml');

/** The config file a user edits (what `npm run synth` reads when SYNTH_CONFIG is unset). */
export const SHIPPED_CONFIG = join(ROOT, DEFAULT_CONFIG_FILE);

/** The environment of a run: only PATH, the given variables, and the built-in config unless one is named. */
export function runEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', SYNTH_CONFIG: BUILT_IN_CONFIG, ...env };
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the bundled synth (what `npm run synth` runs after building) with `runEnv(env)`. */
export function runSynth(env: Record<string, string>): RunResult {
  const result = spawnSync(process.execPath, [join(ROOT, 'build', 'main.js')], {
    cwd: ROOT,
    env: runEnv(env),
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
  cwd: string = ROOT,
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'build', bundle), ...args], {
      cwd,
      env: runEnv(env),
      // A synth that blocks (reading a FIFO) fails its test instead of hanging the suite.
      timeout: 60_000,
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

/**
 * Every path under `dir` (dot files included) with its type and content digest, or link target:
 * equal digests mean nothing under the folder was created, deleted, replaced or changed.
 */
export function treeDigest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string, rel: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) out[rel] = `link ${readlinkSync(path)}`;
    else if (stat.isDirectory()) {
      out[rel] = `dir ${stat.mode.toString(8)}`;
      for (const name of readdirSync(path).sort()) walk(join(path, name), rel ? `${rel}/${name}` : name);
    } else {
      out[rel] =
        `file ${stat.mode.toString(8)} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
    }
  };
  walk(dir, '');
  return out;
}

/** Runs async jobs at most `limit` at a time, keeping their order. */
export async function inPool<T, R>(
  items: readonly T[],
  limit: number,
  job: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await job(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
