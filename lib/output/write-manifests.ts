import {
  closeSync,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { renderKustomization } from '../delivery/kustomization';
import {
  isSynthKustomizationLeftover,
  leftoverForeignEntries,
  leftoverKind,
  OUTPUT_MARKER,
  refuseKustomization,
  refuseOutputFolder,
  renderOutputMarker,
  workNames,
  workPid,
  type PathFacts,
} from './output-folder';
import { projectRoot } from '../cli/project-root';

/** The output folder (or the kustomization.yaml beside it) is not synth's to replace; nothing was touched. */
export class OutputRefused extends Error {
  public readonly failure = 'config';
}

/** Writing failed; `outputState` says what the output folder and kustomization.yaml hold now. */
export class OutputWriteFailed extends Error {
  constructor(
    message: string,
    public readonly outputState: string,
  ) {
    super(message);
  }
}

function factsOf(path: string, readMarker: boolean): PathFacts {
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { type: 'missing' };
    throw error;
  }
  if (stat.isSymbolicLink()) return { type: 'symlink' };
  if (stat.isFile()) return { type: 'file' };
  if (!stat.isDirectory()) return { type: 'other' };
  const entries = readdirSync(path, { withFileTypes: true }).map((e) => ({
    name: e.name,
    isFile: e.isFile(),
  }));
  const hasMarker = readMarker && entries.some((e) => e.name === OUTPUT_MARKER && e.isFile);
  return {
    type: 'folder',
    entries,
    marker: hasMarker ? head(join(path, OUTPUT_MARKER), MAX_MARKER_BYTES) : undefined,
  };
}

/** A marker longer than this is not synth's (it lists a few file names); reading stops there. */
const MAX_MARKER_BYTES = 64 * 1024;

function head(path: string, bytes = 200): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The output folder as the environment names it: an empty `CDK8S_OUTDIR` means unset. */
export function outputFolderOf(env: Readonly<Record<string, string | undefined>>): string {
  const named = env.CDK8S_OUTDIR;
  return named === undefined || named === '' ? 'dist' : named;
}

/**
 * Writes the output folder and the kustomization.yaml beside it as one step (issue 9). Refuses,
 * touching nothing, unless both are missing or synth's own. The sequence of filesystem calls, each
 * of which a kill may interrupt:
 *
 *  1. read only: lstat/readdir the folder and its marker, the kustomization's first line;
 *  2. remove what a killed run left beside the folder (`.<dist>.synth-staging-<pid>` and
 *     `.<dist>.synth-retired-<pid>` holding only synth's files, a marker cut short included;
 *     `kustomization.yaml.synth-tmp-<pid>` holding synth's header, whole or cut short), unless
 *     `<pid>` still runs: that is a concurrent synth's live work;
 *  3. write the new folder as `.<dist>.synth-staging-<pid>` (manifests, then the marker) and the new
 *     kustomization as `kustomization.yaml.synth-tmp-<pid>`, each fsynced;
 *  4. rename the folder to `.<dist>.synth-retired-<pid>` (when there is one);
 *  5. rename the staging folder to the folder;
 *  6. rename the temporary kustomization over kustomization.yaml;
 *  7. remove the retired folder.
 *
 * An error in 4–6 is undone (renames back), so both are as they were. A kill leaves every file
 * entirely old or new; between 4 and 5 the folder is missing (the old one is the retired folder),
 * and the next run removes the leftovers of step 2 and converges.
 */
export function writeOutput(outdir: string, write: (dir: string) => void, pid: number = process.pid): void {
  const target = resolve(outdir);
  const parent = dirname(target);
  const base = basename(target);
  const kustomization = join(parent, 'kustomization.yaml');
  // 1. Judge before touching anything.
  const folderFacts = factsOf(target, true);
  const refusal = refuseOutputFolder(target, folderFacts, {
    cwd: process.cwd(),
    projectRoot: projectRoot(),
    home: process.env.HOME ? homedir() : undefined,
  });
  if (refusal) throw new OutputRefused(`output folder ${JSON.stringify(target)} ${refusal}; ${OUTPUT_FIX}`);
  const enclosing = enclosingOutput(parent);
  if (enclosing) {
    throw new OutputRefused(
      `output folder ${JSON.stringify(target)} lies inside synth's output folder ${JSON.stringify(enclosing)}, which would then hold files synth did not list there; ${OUTPUT_FIX}`,
    );
  }
  const kustomizationFacts = factsOf(kustomization, false);
  const kustomizationRefusal = refuseKustomization(
    kustomizationFacts,
    kustomizationFacts.type === 'file' ? head(kustomization) : undefined,
  );
  if (kustomizationRefusal) {
    throw new OutputRefused(
      `${JSON.stringify(kustomization)} ${kustomizationRefusal}; synth writes kustomization.yaml beside the output folder: ${OUTPUT_FIX}`,
    );
  }
  // 2. Leftovers of a killed run.
  mkdirSync(parent, { recursive: true });
  removeLeftovers(parent, base, pid);
  // 3. Stage.
  const names = workNames(base, pid);
  const staging = join(parent, names.staging);
  const retired = join(parent, names.retired);
  const kustomizationTemp = join(parent, names.kustomizationTemp);
  let files: string[];
  try {
    write(staging);
    files = readdirSync(staging).sort();
    if (files.length === 0) throw new Error('synth produced no manifest');
    files.forEach((file) => fsyncFile(join(staging, file)));
    writeDurably(join(staging, OUTPUT_MARKER), renderOutputMarker(files));
    writeDurably(kustomizationTemp, renderKustomization(base, files));
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    rmSync(kustomizationTemp, { force: true });
    throw error;
  }
  // 4–6. Swap, undoing on error.
  let movedOld = false;
  let placedNew = false;
  let step = 'renaming the old output folder aside';
  try {
    if (folderFacts.type !== 'missing') {
      renameSync(target, retired);
      movedOld = true;
    }
    step = 'renaming the new output folder into place';
    renameSync(staging, target);
    placedNew = true;
    step = 'replacing kustomization.yaml';
    renameSync(kustomizationTemp, kustomization);
  } catch (error) {
    throw new OutputWriteFailed(`${step}: ${(error as Error).message}`, rollBack());
  }
  // 7.
  rmSync(retired, { recursive: true, force: true });

  function rollBack(): string {
    try {
      if (placedNew) renameSync(target, staging);
      if (movedOld) renameSync(retired, target);
      rmSync(staging, { recursive: true, force: true });
      rmSync(kustomizationTemp, { force: true });
      return `Nothing was changed: ${JSON.stringify(target)} and kustomization.yaml are as they were.`;
    } catch (error) {
      const where = movedOld ? `; the previous output folder is at ${JSON.stringify(retired)}` : '';
      return (
        `Undoing failed too (${(error as Error).message})${where}. ` +
        'Run synth again: it removes what this run left behind and writes both.'
      );
    }
  }
}

/** The nearest folder at or above `dir` that holds synth's marker: an output folder of an earlier run. */
function enclosingOutput(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, OUTPUT_MARKER))) return at;
    if (dirname(at) === at) return undefined;
  }
}

const OUTPUT_FIX = 'point CDK8S_OUTDIR at a folder of its own (missing, or written by synth), such as dist';

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeDurably(path: string, text: string): void {
  writeFileSync(path, text);
  fsyncFile(path);
}

/** Removes what a killed run left beside the output folder, when it holds only synth's output. */
function removeLeftovers(parent: string, base: string, ownPid: number): void {
  for (const name of readdirSync(parent)) {
    const kind = leftoverKind(base, name);
    if (kind && workPid(name) !== ownPid && isRunning(workPid(name))) continue;
    const path = join(parent, name);
    if (kind === 'file') {
      const facts = factsOf(path, false);
      if (facts.type === 'file' && isSynthKustomizationLeftover(head(path))) unlinkSync(path);
    } else if (kind === 'folder') {
      const facts = factsOf(path, true);
      if (facts.type === 'folder' && leftoverForeignEntries(facts.entries, facts.marker).length === 0) {
        rmSync(path, { recursive: true, force: true });
      }
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
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
