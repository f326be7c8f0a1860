import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/**
 * Every manifest `write` produces as one multi-document YAML stream, files in apply order: the same
 * text as the files of dist/. Nothing is returned unless all of it was written, so a caller that
 * prints the result never prints a partial stream (Argo CD prunes what a plugin stops printing).
 */
export function renderManifestStream(write: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'synth-stream-'));
  try {
    write(dir);
    const files = readdirSync(dir).sort();
    if (files.length === 0) throw new Error('synth produced no manifest');
    return files.map((file) => readFileSync(join(dir, file), 'utf8')).join('---\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
