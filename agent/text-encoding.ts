/**
 * How a config file is written, kept across an edit: a UTF-8 byte order mark and CRLF line endings
 * (containerd 1.6, 1.7 and 2.1 all load CRLF files; 1.6 and 1.7 also a byte order mark). The agent
 * parses and edits the plain form, since @iarna/toml 3.0.0 rejects a CR after a comment (its issue #33).
 */
export interface TextForm {
  readonly byteOrderMark: boolean;
  readonly eol: '\n' | '\r\n';
}

export type Decoded = { readonly text: string; readonly form: TextForm } | { readonly refused: string };

export const PLAIN: TextForm = { byteOrderMark: false, eol: '\n' };

export function decodeText(raw: string): Decoded {
  const byteOrderMark = raw.startsWith('\uFEFF');
  const body = byteOrderMark ? raw.slice(1) : raw;
  const crlf = (body.match(/\r\n/g) ?? []).length;
  const lf = (body.match(/\n/g) ?? []).length;
  if (crlf > 0 && crlf !== lf) {
    return {
      refused: `it mixes CRLF and LF line endings (${crlf} of ${lf} lines end in CRLF); convert it to one, then restart this pod`,
    };
  }
  const eol = crlf > 0 ? '\r\n' : '\n';
  return { text: eol === '\n' ? body : body.replace(/\r\n/g, '\n'), form: { byteOrderMark, eol } };
}

export function encodeText(text: string, form: TextForm): string {
  const body = form.eol === '\n' ? text : text.replace(/\n/g, '\r\n');
  return form.byteOrderMark ? `\uFEFF${body}` : body;
}
