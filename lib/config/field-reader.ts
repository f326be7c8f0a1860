import { excerpt } from './excerpt';

/** One problem with one config field. */
export interface ConfigIssue {
  /** Path of the field in the config, such as `apps[0].port`. */
  readonly path: string;
  /** What was received and what is expected. */
  readonly message: string;
}

export type Check<T> = (value: T) => string | undefined;

type Raw = Record<string, unknown>;

const show = (value: unknown): string => excerpt(value);

/**
 * Reads plain YAML data field by field, applying defaults and collecting every issue instead of
 * stopping at the first, so that a user sees all that is wrong with a config in one run.
 */
export class FieldReader {
  public readonly issues: ConfigIssue[] = [];

  /** @param labelOf names a field for messages, e.g. to say it came from an environment variable. */
  constructor(private readonly labelOf: (path: string) => string = (path) => path) {}

  public fail(path: string, message: string): void {
    this.issues.push({ path, message: `${this.labelOf(path)}: ${message}` });
  }

  /** An object with only the given keys; undefined becomes `{}`. */
  public section(path: string, raw: unknown, keys: readonly string[]): Raw {
    if (raw === undefined || raw === null) return {};
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      this.fail(path, `${show(raw)} is not a mapping; expected keys ${keys.join(', ')}`);
      return {};
    }
    for (const key of Object.keys(raw)) {
      if (!keys.includes(key)) {
        // A key is the file's text: quoted, escaped and cut like any value unless plainly a key.
        const shown = /^[\w.-]{1,40}$/.test(key) ? key : excerpt(key, 40);
        const where = path ? `${path}.${shown}` : shown;
        this.fail(where, `unknown key; expected one of ${keys.join(', ')}`);
      }
    }
    return raw as Raw;
  }

  public string(path: string, raw: unknown, fallback: string, check?: Check<string>): string {
    if (raw === undefined) return fallback;
    if (typeof raw !== 'string') {
      this.fail(path, `${show(raw)} is not a string`);
      return fallback;
    }
    return this.checked(path, raw, check) ? raw : fallback;
  }

  public optionalString(path: string, raw: unknown, check?: Check<string>): string | undefined {
    if (raw === undefined || raw === null || raw === '') return undefined;
    return this.string(path, raw, '', check) || undefined;
  }

  public integer(path: string, raw: unknown, fallback: number, min: number, max: number): number {
    if (raw === undefined) return fallback;
    // A quoted number is refused as config/schema.json refuses it (found in review, issue 11); an
    // environment override arrives as a number (load.ts).
    const quoted = typeof raw === 'string' && /^\d+$/.test(raw);
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
      const fix = quoted ? `; write it without quotes` : '';
      this.fail(path, `${show(raw)} is not a whole number from ${min} to ${max}${fix}`);
      return fallback;
    }
    return raw;
  }

  public boolean(path: string, raw: unknown, fallback: boolean): boolean {
    if (raw === undefined) return fallback;
    if (typeof raw !== 'boolean') {
      this.fail(path, `${show(raw)} is not true or false`);
      return fallback;
    }
    return raw;
  }

  public oneOf<T extends string>(path: string, raw: unknown, fallback: T, choices: readonly T[]): T {
    if (raw === undefined) return fallback;
    if (typeof raw !== 'string' || !choices.includes(raw as T)) {
      this.fail(path, `${show(raw)} is not one of ${choices.join(', ')}`);
      return fallback;
    }
    return raw as T;
  }

  public list<T>(
    path: string,
    raw: unknown,
    fallback: readonly T[],
    each: (item: unknown, path: string) => T,
  ): T[] {
    if (raw === undefined) return [...fallback];
    if (!Array.isArray(raw)) {
      this.fail(path, `${show(raw)} is not a list`);
      return [...fallback];
    }
    return raw.map((item, index) => each(item, `${path}[${index}]`));
  }

  private checked(path: string, value: string, check?: Check<string>): boolean {
    const problem = check?.(value);
    if (problem) this.fail(path, `${show(value)} ${problem}`);
    return !problem;
  }
}
