/**
 * A value as a message may quote it: one line, control and format characters escaped, cut to
 * `max` characters. Messages never echo a file (issue 9): a config or manifest may be any file the
 * process can read, and CI and Argo CD show messages to people who cannot read that file.
 */
export function excerpt(value: unknown, max = 72): string {
  if (typeof value === 'string') return `'${cut(escape(value), max)}'`;
  if (value === null || typeof value !== 'object') return cut(escape(String(value)), max);
  return Array.isArray(value) ? `a list of ${value.length}` : 'a mapping';
}

function escape(text: string): string {
  return text.replace(/[\p{C}\\']/gu, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\\' || c === "'") return `\\${c}`;
    return `\\u{${c.codePointAt(0)!.toString(16)}}`;
  });
}

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}

/** What a YAML value is, for a message that must not print it. */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}
