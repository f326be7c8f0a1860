import { EXIT_CODES } from './config/errors';

/** Prints a failure of a command for a person and returns the exit code that names its cause. */
export function cliFailure(command: string, error: unknown, after = ''): number {
  process.stderr.write(`${command}: ${messageOf(error)}\n${after}`);
  return exitCodeOf(error);
}

/** A failed synth: says so, and that the last good output stands. */
export function reportFailure(error: unknown): number {
  return cliFailure('synth', error, 'Nothing was written: the last good output is unchanged.\n');
}

/**
 * A failed `--stdout` synth (Argo CD's generate): one line on stderr, since Argo CD shows it as the
 * Application's error, and nothing on stdout.
 */
export function reportStreamFailure(error: unknown): number {
  process.stderr.write(`synth: ${oneLine(messageOf(error))}\n`);
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function exitCodeOf(error: unknown): number {
  return (error as { exitCode?: number }).exitCode ?? EXIT_CODES.output;
}
