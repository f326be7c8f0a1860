import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Runs `write` into a fresh folder beside `outdir` and swaps it in only when `write` succeeds, so
 * that a failed synth leaves the last good output byte-for-byte as it was.
 */
export function writeManifestsAtomically(outdir: string, write: (dir: string) => void): void {
  const target = resolve(outdir);
  const staging = join(dirname(target), `.${basename(target)}-staging-${process.pid}`);
  const retired = join(dirname(target), `.${basename(target)}-retired-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    write(staging);
    if (readdirSync(staging).length === 0) throw new Error('synth produced no manifest');
    if (existsSync(target)) renameSync(target, retired);
    renameSync(staging, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(retired, { recursive: true, force: true });
  }
}
