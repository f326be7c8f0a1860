import { posix } from 'node:path';
import { parse } from '@iarna/toml';
import { GlobError, globMatches, parseGlob } from './go-glob';
import type { ImportUse } from './own-file-imports';
import { Refusal } from './refusal';
import type { NodeEntry, NodeFiles } from './node-files';

const MAX_LINKS = 40;

/** A config file after following links: the file to read and edit, and the links that lead to it. */
export interface LocatedFile {
  readonly hostPath: string;
  /** Each link followed, with its target as written. */
  readonly links: ReadonlyArray<{ readonly path: string; readonly target: string }>;
  readonly entry: Extract<NodeEntry, { kind: 'absent' | 'file' }>;
}

const EXTRA_PATHS_HINT = (dir: string) =>
  `add ${dir} to nodeSetup.extraHostPaths so that the DaemonSet mounts it, then synth and apply again`;

/**
 * Follows symlinks the way the node would, but within the node's root (a link's target is a host
 * path, never one in the agent's container). Refuses what lies outside the mounted host paths,
 * naming the link, its target and the setting that would mount it. "No config" is only a path that
 * does not exist at all, never one the agent could not read.
 */
export function locateFile(path: string, node: NodeFiles, what = 'the containerd config'): LocatedFile {
  if (!posix.isAbsolute(path)) {
    throw new Refusal(`${what} ${path} is not an absolute path; start containerd with an absolute --config`);
  }
  const links: Array<{ path: string; target: string }> = [];
  let pending = posix.normalize(path).split('/').filter(Boolean);
  let resolved = '/';
  while (pending.length > 0) {
    const next = posix.join(resolved, pending.shift()!);
    const entry = node.entry(next);
    if (entry.kind === 'link') {
      if (links.length >= MAX_LINKS) throw new Refusal(`${what} ${path}: too many levels of symlinks`);
      links.push({ path: next, target: entry.target });
      pending = [...entry.target.split('/').filter(Boolean), ...pending];
      if (posix.isAbsolute(entry.target)) resolved = '/';
      continue;
    }
    if (entry.kind === 'absent' && pending.length > 0) {
      resolved = posix.join(next, ...pending);
      break;
    }
    resolved = next;
  }
  const via =
    links.length > 0
      ? ` is a symlink to ${links[links.length - 1].target}, which resolves to ${resolved},`
      : '';
  if (!node.visible(resolved)) {
    throw new Refusal(
      `${what} ${path}${via} outside the host paths mounted into the agent; the file was left as it is: ` +
        EXTRA_PATHS_HINT(posix.dirname(resolved)),
    );
  }
  const entry = node.entry(resolved);
  if (entry.kind === 'absent' && links.length > 0) {
    throw new Refusal(
      `${what} ${path}${via.replace(/,$/, '')} that does not exist; the link was left as it is: point it at a file or remove it, then restart this pod`,
    );
  }
  if (entry.kind !== 'absent' && entry.kind !== 'file') {
    throw new Refusal(`${what} ${resolved} is not a regular file; the node was left as it is`);
  }
  return { hostPath: resolved, links, entry };
}

/**
 * The files a config imports, in containerd's load order (the file itself first, then its imports,
 * breadth first, each once). A relative path is relative to the importing file's folder; a `*`
 * makes it a glob (Go's filepath.Glob, sorted).
 */
export function importedFiles(
  configPath: string,
  parsedMain: Readonly<Record<string, unknown>>,
  node: NodeFiles,
): Array<{ readonly path: string; readonly importedBy: string; readonly text?: string }> {
  const order: Array<{ path: string; importedBy: string; text?: string }> = [];
  const seen = new Set([configPath]);
  const queue: Array<{ from: string; parsed: Readonly<Record<string, unknown>> }> = [
    { from: configPath, parsed: parsedMain },
  ];
  while (queue.length > 0) {
    const { from, parsed } = queue.shift()!;
    const imports = parsed.imports;
    if (imports === undefined) continue;
    if (!Array.isArray(imports) || !imports.every((i) => typeof i === 'string')) {
      throw new Refusal(`${from}: imports is not a list of paths; fix it, then restart this pod`);
    }
    for (const pattern of imports as string[]) {
      for (const path of expandImport(from, pattern, node)) {
        if (seen.has(path)) continue;
        seen.add(path);
        const located = locateFile(path, node, `the drop-in ${path} (imported by ${from})`);
        if (located.entry.kind === 'absent') {
          throw new Refusal(
            `the drop-in ${path} (imported by ${from}) does not exist; containerd would not start`,
          );
        }
        const text = located.entry.text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
        let child: Record<string, unknown>;
        try {
          child = parse(text) as Record<string, unknown>;
        } catch (error) {
          throw new Refusal(
            `the drop-in ${path} (imported by ${from}) is not valid TOML (${(error as Error).message.split('\n')[0]}); the node was left as it is`,
          );
        }
        order.push({ path: located.hostPath, importedBy: from, text: located.entry.text });
        queue.push({ from: path, parsed: child });
      }
    }
  }
  return order;
}

function expandImport(from: string, pattern: string, node: NodeFiles): string[] {
  if (!pattern.includes('*')) {
    return [posix.normalize(posix.isAbsolute(pattern) ? pattern : posix.join(posix.dirname(from), pattern))];
  }
  // containerd 1.6 globs a relative pattern from its working directory, which the agent cannot know;
  // 1.7 and 2.x beside the importing file (measured, issue 11). Refused rather than guessed.
  if (!posix.isAbsolute(pattern)) {
    throw new Refusal(
      `${from}: imports "${pattern}" is a relative glob; make it absolute, then restart this pod`,
    );
  }
  const dir = posix.dirname(pattern);
  if (/[*?[]/.test(dir)) {
    throw new Refusal(
      `${from}: imports "${pattern}" has a wildcard in a folder name, which this agent does not follow`,
    );
  }
  const names = node.list(dir);
  if (names === undefined && !node.visible(dir)) {
    throw new Refusal(
      `${from}: imports "${pattern}" lies outside the host paths mounted into the agent, so it cannot tell which ` +
        `settings are in effect; ${EXTRA_PATHS_HINT(dir)}`,
    );
  }
  let glob;
  try {
    glob = parseGlob(posix.basename(pattern));
  } catch (error) {
    if (!(error instanceof GlobError)) throw error;
    throw new Refusal(`${from}: imports ${error.message}; containerd would not start: fix the pattern`);
  }
  return (names ?? []).filter((n) => globMatches(glob, n)).map((n) => posix.join(dir, n));
}

/**
 * The `imports` entries of a config and of every file it imports (as containerd follows them), and
 * what each resolves to today (links followed), for the check that none loads a file of the
 * agent's. Never refuses: where the agent cannot expand or read an entry, the check still applies
 * to its pattern.
 */
export function importUses(
  configPath: string,
  parsedMain: Readonly<Record<string, unknown>>,
  node: NodeFiles,
): ImportUse[] {
  const uses: ImportUse[] = [];
  const seen = new Set([configPath]);
  const queue = [{ from: configPath, parsed: parsedMain }];
  while (queue.length > 0) {
    const { from, parsed } = queue.shift()!;
    const imports = Array.isArray(parsed.imports) ? parsed.imports.filter((i) => typeof i === 'string') : [];
    for (const pattern of imports as string[]) {
      const matches = new Set<string>();
      for (const path of tryOr(() => expandImport(from, pattern, node), [])) {
        matches.add(path);
        const located = tryOr(() => locateFile(path, node), undefined);
        if (located === undefined) continue;
        matches.add(located.hostPath);
        if (seen.has(path) || located.entry.kind !== 'file') continue;
        seen.add(path);
        const text = located.entry.text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
        const child = tryOr(() => parse(text) as Record<string, unknown>, undefined);
        if (child) queue.push({ from: path, parsed: child });
      }
      uses.push({ from, pattern, matches: [...matches] });
    }
  }
  return uses;
}

/** The value, or `fallback` where computing it refuses (or the TOML parser throws). */
function tryOr<T, F>(compute: () => T, fallback: F): T | F {
  try {
    return compute();
  } catch (error) {
    if (error instanceof Refusal || (error as Error).name === 'TomlError') return fallback;
    throw error;
  }
}
