/**
 * Exit codes, distinct per cause so that scripts and Argo CD logs tell them apart. An error names
 * its cause with a `failure` field; anything else is a failure to write.
 */
export const EXIT_CODES = {
  /** The config, the environment, an included manifest or the output folder cannot be used. */
  config: 2,
  discovery: 3,
  output: 4,
  /** The bundles in build/ are missing and could not be built (scripts/synth.cjs, which cannot import this). */
  build: 5,
} as const;

export type FailureCause = keyof typeof EXIT_CODES;

/** The exit code of an error: its `failure` cause, else a failure to write. */
export function exitCodeOf(error: unknown): number {
  const cause = (error as { failure?: unknown } | undefined)?.failure;
  return typeof cause === 'string' && cause in EXIT_CODES
    ? EXIT_CODES[cause as FailureCause]
    : EXIT_CODES.output;
}

/** Prints a failure of a command for a person and returns the exit code that names its cause. */
export function cliFailure(command: string, error: unknown, after = ''): number {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${command}: ${message}\n${after}`);
  return exitCodeOf(error);
}

/**
 * A failed synth: says so, and what is true of the output afterwards. An error from the output
 * step says it itself (`outputState`); any earlier error left the output untouched.
 */
export function reportFailure(error: unknown): number {
  const state =
    (error as { outputState?: unknown } | undefined)?.outputState ??
    'Nothing was written: the last good output is unchanged.';
  return cliFailure('synth', error, `${String(state)}\n`);
}

/**
 * A failed `--stdout` synth (Argo CD's generate): one line on stderr, since Argo CD shows it as the
 * Application's error, and nothing on stdout.
 */
export function reportStreamFailure(error: unknown): number {
  process.stderr.write(`synth: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
  return exitCodeOf(error);
}

/** A multi-line message (a config's list of problems) as one line, the items joined by `; `. */
export function oneLine(message: string): string {
  return message
    .split('\n')
    .map((line) => line.trim().replace(/^- /, ''))
    .filter(Boolean)
    .join('; ')
    .replace(/:; /g, ': ');
}
