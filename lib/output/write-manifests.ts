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
  markerFolders,
  OUTPUT_DEPTH,
  OUTPUT_MARKER,
  refuseKustomization,
  refuseOutputFolder,
  renderOutputMarker,
  workNames,
  workPid,
  type FolderEntry,
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

/**
 * What is at `path`; a folder's entries include those of the folders its marker lists, or with
 * `walkDepth`, of every real folder down to that depth (a work folder a killed run left).
 */
function factsOf(path: string, readMarker: boolean, walkDepth = 0): PathFacts {
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
  const top = entriesOf(path, '');
  const hasMarker = readMarker && top.some((e) => e.name === OUTPUT_MARKER && e.isFile);
  const marker = hasMarker ? head(join(path, OUTPUT_MARKER), MAX_MARKER_BYTES) : undefined;
  // Descends only into the folders the marker lists (a cluster's, issue 11): anything else is foreign.
  const folders = markerFolders(marker);
  const entries: FolderEntry[] = [];
  const walk = (list: FolderEntry[], depth: number) => {
    for (const entry of list) {
      entries.push(entry);
      if (entry.isFolder && (folders.has(entry.name) || depth < walkDepth))
        walk(entriesOf(join(path, entry.name), entry.name), depth + 1);
    }
  };
  walk(top, 1);
  return { type: 'folder', entries, marker };
}

function entriesOf(path: string, prefix: string): FolderEntry[] {
  return readdirSync(path, { withFileTypes: true }).map((e) => ({
    name: prefix ? `${prefix}/${e.name}` : e.name,
    isFile: e.isFile(),
    isFolder: e.isDirectory(),
  }));
}

/** Every file below `dir` as a path relative to it with `/`, sorted: what synth staged. */
function stagedFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      return e.isDirectory() ? stagedFiles(join(dir, e.name), rel) : [rel];
    })
    .sort();
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

/**
 * `single`: the output folder holds the manifests and kustomization.yaml beside it lists them.
 * `clusters`: the folder holds a folder per cluster, each with its own kustomization (issue 11).
 */
export type OutputLayout = 'single' | 'clusters';

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
 * With the `clusters` layout (issue 11) `write` stages a folder per cluster, the marker lists paths
 * below them, and there is no kustomization beside the folder: step 3 writes none, step 6 renames a
 * kustomization.yaml synth wrote earlier aside (to the temporary name) and step 7 removes it.
 *
 * An error in 4–6 is undone (renames back), so both are as they were. A kill leaves every file
 * entirely old or new; between 4 and 5 the folder is missing (the old one is the retired folder),
 * and the next run removes the leftovers of step 2 and converges.
 */
export function writeOutput(
  outdir: string,
  write: (dir: string) => void,
  pid: number = process.pid,
  layout: OutputLayout = 'single',
): void {
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
  // With clusters each folder has its own kustomization; a root one synth wrote earlier is removed
  // with the swap, one it did not write is left alone.
  const removeKustomization =
    layout === 'clusters' && !kustomizationRefusal && kustomizationFacts.type === 'file';
  if (kustomizationRefusal && layout === 'single') {
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
    files = stagedFiles(staging);
    if (files.length === 0) throw new Error('synth produced no manifest');
    files.forEach((file) => fsyncFile(join(staging, file)));
    writeDurably(join(staging, OUTPUT_MARKER), renderOutputMarker(files));
    if (layout === 'single') writeDurably(kustomizationTemp, renderKustomization(base, files));
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    rmSync(kustomizationTemp, { force: true });
    throw error;
  }
  // 4–6. Swap, undoing on error.
  let movedOld = false;
  let placedNew = false;
  let movedKustomization = false;
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
    if (layout === 'single') renameSync(kustomizationTemp, kustomization);
    else if (removeKustomization) {
      renameSync(kustomization, kustomizationTemp);
      movedKustomization = true;
    }
  } catch (error) {
    throw new OutputWriteFailed(`${step}: ${(error as Error).message}`, rollBack());
  }
  // 7.
  rmSync(retired, { recursive: true, force: true });
  if (movedKustomization) rmSync(kustomizationTemp, { force: true });

  function rollBack(): string {
    try {
      if (movedKustomization) renameSync(kustomizationTemp, kustomization);
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
      const facts = factsOf(path, true, OUTPUT_DEPTH);
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
