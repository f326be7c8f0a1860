/**
 * Line-level view of a TOML file: just enough to edit one table in place and leave every other
 * line (comments, spacing, order) exactly as it was. Semantic safety comes from re-parsing the
 * result (see config-edit.ts), not from this module.
 */
export interface TableBlock {
  /** Key path of the header, e.g. ['plugins', 'io.containerd.grpc.v1.cri', 'registry']. */
  readonly path: readonly string[];
  /** Index of the header line. */
  readonly start: number;
  /** Index one past the block's last line. */
  readonly end: number;
}

const HEADER = /^\s*\[(?!\[)\s*(.+?)\s*\](?!\])\s*(#.*)?$/;

/** Splits a dotted key (`a."b.c".d`) into its parts; undefined when it is not a plain key path. */
export function parseKeyPath(text: string): string[] | undefined {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(\.|$)/y;
  let index = 0;
  while (index < text.length) {
    re.lastIndex = index;
    const m = re.exec(text);
    if (!m) return undefined;
    parts.push(m[1] !== undefined ? JSON.parse(`"${m[1]}"`) : (m[2] ?? m[3]));
    index = re.lastIndex;
    if (m[4] === '' && index < text.length) return undefined;
  }
  return parts;
}

export function splitLines(text: string): string[] {
  return text.split('\n');
}

/** Every `[table]` block (array tables `[[x]]` end a block but are not returned). */
export function tableBlocks(lines: readonly string[]): TableBlock[] {
  const starts: Array<{ index: number; path?: string[] }> = [];
  lines.forEach((line, index) => {
    if (/^\s*\[\[/.test(line)) starts.push({ index });
    const m = HEADER.exec(line);
    if (m) starts.push({ index, path: parseKeyPath(m[1]) });
  });
  return starts.flatMap((s, i) =>
    s.path
      ? [{ path: s.path, start: s.index, end: i + 1 < starts.length ? starts[i + 1].index : lines.length }]
      : [],
  );
}

export function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

export function startsWithPath(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.every((p, i) => path[i] === p);
}

/** `a."b.c"` for a key path, quoting parts that are not bare keys. */
export function formatKeyPath(path: readonly string[]): string {
  return path.map((p) => (/^[A-Za-z0-9_-]+$/.test(p) ? p : JSON.stringify(p))).join('.');
}
