import { posix } from 'node:path';
import { backupOf, candidateIn, stateOf, tempOf } from './agent-file-names';
import { ANY_NAME, ANY_PID, GlobError, globMatchesTemplate, parseGlob } from './go-glob';

/** One `imports` entry of a config, and what it resolves to on the node today. */
export interface ImportUse {
  /** The config that holds it. */
  readonly from: string;
  readonly pattern: string;
  /** Host paths it resolves to (a glob expanded; for a symlink, the link and its target). */
  readonly matches: readonly string[];
}

/** Where the agent writes and what it keeps on this node. */
export interface AgentLayout {
  /** The config containerd is started with. */
  readonly configPath: string;
  /** The config after following symlinks. */
  readonly configFile: string;
  /** The files the agent may edit: the config (or its symlink's target), on containerd 1.x a drop-in. */
  readonly edited: readonly string[];
  /** The hosts dirs (config_path) the agent writes hosts files into. */
  readonly hostsDirs: readonly string[];
  /** The hosts files it writes there (one folder per registry host). */
  readonly hostsFiles: readonly string[];
}

/** A path (or a name template, see go-glob.ts) the agent writes or keeps, and what it is. */
export interface AgentFile {
  readonly path: string;
  readonly what: string;
}

/** Every path the agent writes or keeps in any run on this layout. */
export function agentFiles(layout: AgentLayout): AgentFile[] {
  const { configPath } = layout;
  const candidates = (dir: string): AgentFile[] => [
    {
      path: candidateIn(dir, ANY_PID),
      what: 'a candidate config the agent has containerd load to check a change',
    },
    { path: tempOf(candidateIn(dir, ANY_PID), ANY_PID), what: 'a temporary file of a candidate config' },
  ];
  const written = (path: string, what: string): AgentFile[] => [
    { path, what },
    { path: tempOf(path, ANY_PID), what: `the temporary file the agent writes ${path} through` },
  ];
  return [
    { path: configPath, what: 'the config itself' },
    ...(layout.configFile === configPath
      ? []
      : [{ path: layout.configFile, what: 'the config itself, the target of its symlink' }]),
    ...layout.edited.flatMap((file) => [
      { path: tempOf(file, ANY_PID), what: `the temporary file the agent writes ${file} through` },
      ...written(backupOf(file), `the agent's backup of ${file}`),
      ...candidates(posix.dirname(file)),
    ]),
    ...written(stateOf(configPath), "the agent's state file"),
    ...candidates(posix.dirname(configPath)),
    ...layout.hostsDirs.map((dir) => ({ path: dir, what: 'the hosts dir (config_path), a folder' })),
    ...layout.hostsFiles.flatMap((file) => [
      { path: posix.dirname(file), what: "a registry's folder in the hosts dir" },
      ...written(file, 'a hosts file'),
    ]),
  ];
}

/** Files a run of the agent may have left in a folder, whichever file it edited. */
function leftoversIn(dir: string): AgentFile[] {
  const any = posix.join(dir, ANY_NAME);
  return [
    { path: backupOf(any), what: 'a backup the agent made' },
    { path: stateOf(any), what: "the agent's state file" },
    { path: tempOf(any, ANY_PID), what: 'a temporary file the agent writes through' },
    { path: candidateIn(dir, ANY_PID), what: 'a candidate config of the agent' },
  ];
}

const shown = (path: string) => path.replace(/\u0000/g, '<pid>').replace(/\u0001/g, '<name>');
const escape = (path: string) => path.replace(/[\\*?[]/g, '\\$&');

/**
 * The patterns an import stands for, as globs over absolute paths. Like containerd: a `*` makes it
 * a glob (Go's filepath.Glob), anything else is one path, relative to the importing file's folder.
 * A relative glob is read both ways: 1.7 and 2.x clean it and join it to that folder (resolveImports
 * in the config loader; measured on 1.7.24 and 2.1.9), 1.6 globs it as written, from its working
 * directory (`/` under systemd).
 */
function patternsOf(use: ImportUse): string[] {
  const { from, pattern } = use;
  const beside = clean(posix.join(posix.dirname(from), pattern));
  if (!pattern.includes('*')) return [escape(posix.isAbsolute(pattern) ? clean(pattern) : beside)];
  return posix.isAbsolute(pattern) ? [clean(pattern)] : [beside, clean(`/${pattern}`)];
}

/**
 * Go's filepath.Clean, which also drops a trailing slash (posix.normalize keeps it): containerd 1.7
 * and 2.x clean every entry, so `/etc/containerd/*.bak/` loads the backup (issue 11 attack).
 */
function clean(path: string): string {
  const normal = posix.normalize(path);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

/**
 * Why the imports would load a file of the agent's as containerd config, one line per import (empty
 * when none would). An import is refused when a file it resolves to today is one of the agent's
 * (by path, or by name in its folder: a leftover of an earlier run), and when its pattern matches
 * any path the agent writes or keeps in this or a later run (any process id, any registry host),
 * so that a file created later is never loaded either. Pure.
 */
export function importConflicts(uses: readonly ImportUse[], layout: AgentLayout): string[] {
  const files = agentFiles(layout);
  return uses.flatMap((use) => {
    const conflict = firstConflict(use, files);
    if (conflict === undefined) return [];
    if ('bad' in conflict) {
      return [
        `${use.from} imports "${use.pattern}", which is not a valid pattern (${conflict.bad}); containerd's ` +
          'filepath.Glob refuses it and containerd would not start: fix the pattern',
      ];
    }
    return [
      `${use.from} imports "${use.pattern}", which matches ${shown(conflict.file.path)} (${conflict.file.what}); ` +
        `containerd would load it as config at its next start: ${fixFor(use, layout, files)}`,
    ];
  });
}

function firstConflict(
  use: ImportUse,
  files: readonly AgentFile[],
): { readonly file: AgentFile } | { readonly bad: string } | undefined {
  for (const match of use.matches) {
    const literal = parseGlob(escape(match));
    const found = [...files, ...leftoversIn(posix.dirname(match))].find((f) =>
      globMatchesTemplate(literal, f.path),
    );
    if (found) return { file: { path: match, what: found.what } };
  }
  for (const pattern of patternsOf(use)) {
    let glob;
    try {
      glob = parseGlob(pattern);
    } catch (error) {
      if (error instanceof GlobError) return { bad: error.message };
      throw error;
    }
    const found = files.find((f) => globMatchesTemplate(glob, f.path));
    if (found) return { file: found };
  }
  return undefined;
}

/** The narrowest fix that the same rule accepts. */
function fixFor(use: ImportUse, layout: AgentLayout, files: readonly AgentFile[]): string {
  if (!use.pattern.includes('*')) return `remove "${use.pattern}" from imports, then restart this pod`;
  const accepted = (pattern: string) => firstConflict({ ...use, pattern, matches: [] }, files) === undefined;
  const narrowed = posix.join(posix.dirname(use.pattern), '*.toml');
  if (narrowed !== use.pattern && accepted(narrowed)) {
    return `narrow the pattern to "${narrowed}" (none of the agent's files ends in .toml), then restart this pod`;
  }
  const own = posix.join(posix.dirname(layout.configPath), 'conf.d', '*.toml');
  const example = accepted(own) ? `, e.g. imports = ["${own}"]` : '';
  return `move the drop-ins into a folder of their own, outside the hosts dir, and import *.toml from it${example}, then restart this pod`;
}
