/**
 * Go's `filepath.Match` syntax (Unix), which containerd's `imports` globs use through
 * `filepath.Glob`: `*` (any run of characters but `/`), `?` (one character but `/`), `[…]` and
 * `[^…]` classes with ranges, `\` escaping the next character. A leading dot is not special: `*`
 * matches `.hidden`.
 *
 * Besides matching a name, a glob can be intersected with a name template: a path in which
 * {@link ANY_PID} stands for "one or more digits" and {@link ANY_NAME} for "one or more
 * characters but `/`", so that a glob can be checked against every name a later run may use.
 */

// Control characters no path holds; built at run time, since esbuild would print them raw into the
// bundle and the ConfigMap could no longer hold it as a YAML block.
/** In a name template: one or more decimal digits (a process id). */
export const ANY_PID = String.fromCharCode(0);
/** In a name template: one or more characters of a file name (printable ASCII, never `/`). */
export const ANY_NAME = String.fromCharCode(1);

interface Token {
  /** Matches zero or more characters (a `*`), else exactly one. */
  readonly star: boolean;
  readonly accepts: (c: string) => boolean;
  /** The characters a template token stands for (templates only). */
  readonly chars?: readonly string[];
}

export class GlobError extends Error {}

const DIGITS = [...'0123456789'];
// The characters of names the agent writes: hosts (DNS names, IP addresses, ports, `_default`) and its own.
const NAME_CHARS = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).filter(
  (c) => c !== '/',
);

const literal = (c: string): Token => ({ star: false, accepts: (x) => x === c, chars: [c] });

/** Parses a glob; throws GlobError where Go's filepath.Match returns ErrBadPattern. */
export function parseGlob(pattern: string): readonly Token[] {
  const tokens: Token[] = [];
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '*') {
      if (!tokens[tokens.length - 1]?.star) tokens.push({ star: true, accepts: (x) => x !== '/' });
    } else if (c === '?') {
      tokens.push({ star: false, accepts: (x) => x !== '/' });
    } else if (c === '\\') {
      if (i + 1 >= chars.length) throw new GlobError(`"${pattern}" ends with a lone \\`);
      tokens.push(literal(chars[++i]));
    } else if (c === '[') {
      const parsed = parseClass(chars, i + 1, pattern);
      tokens.push(parsed.token);
      i = parsed.end;
    } else {
      tokens.push(literal(c));
    }
  }
  return tokens;
}

function parseClass(chars: readonly string[], start: number, pattern: string): { token: Token; end: number } {
  const bad = () => new GlobError(`"${pattern}" has a malformed [ ] class`);
  let i = start;
  const negated = chars[i] === '^';
  if (negated) i++;
  const ranges: Array<[number, number]> = [];
  // Go: a class must be non-empty, and `-` or `]` cannot start a range unescaped.
  const char = (): number => {
    let c = chars[i];
    if (c === undefined || c === '-' || c === ']') throw bad();
    if (c === '\\') {
      c = chars[++i];
      if (c === undefined) throw bad();
    }
    i++;
    return c.codePointAt(0)!;
  };
  for (;;) {
    if (chars[i] === ']' && ranges.length > 0) break;
    const lo = char();
    let hi = lo;
    if (chars[i] === '-') {
      i++;
      hi = char();
    }
    ranges.push([lo, hi]);
  }
  const inRanges = (x: string) =>
    ranges.some(([lo, hi]) => lo <= x.codePointAt(0)! && x.codePointAt(0)! <= hi);
  return { token: { star: false, accepts: (x) => x !== '/' && inRanges(x) !== negated }, end: i };
}

/** A name template as tokens: literal characters, ANY_PID and ANY_NAME. */
function templateTokens(template: string): readonly Token[] {
  return [...template].flatMap((c): Token[] => {
    if (c === ANY_PID || c === ANY_NAME) {
      const set = c === ANY_PID ? DIGITS : NAME_CHARS;
      const accepts = (x: string) => set.includes(x);
      return [
        { star: false, accepts, chars: set },
        { star: true, accepts, chars: set },
      ];
    }
    return [literal(c)];
  });
}

/**
 * Whether some path of the template matches the glob: the two as automata, walked together. Both
 * are sequences of single-character steps, each optionally repeated.
 */
export function globMatchesTemplate(glob: readonly Token[], template: string): boolean {
  const t = templateTokens(template);
  const seen = new Set<number>();
  const key = (i: number, j: number) => i * (t.length + 1) + j;
  const pending: Array<[number, number]> = [[0, 0]];
  while (pending.length > 0) {
    const [i, j] = pending.pop()!;
    if (seen.has(key(i, j))) continue;
    seen.add(key(i, j));
    if (i === glob.length && j === t.length) return true;
    if (i < glob.length && glob[i].star) pending.push([i + 1, j]);
    if (j < t.length && t[j].star) pending.push([i, j + 1]);
    if (i < glob.length && j < t.length && t[j].chars!.some((c) => glob[i].accepts(c))) {
      pending.push([glob[i].star ? i : i + 1, t[j].star ? j : j + 1]);
    }
  }
  return false;
}

/** Go's filepath.Match(pattern, name), for one name. */
export function globMatches(glob: readonly Token[], name: string): boolean {
  return globMatchesTemplate(glob, name.replace(/[\u0000\u0001]/g, '\uFFFD'));
}
