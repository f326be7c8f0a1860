import { EXIT_CODES } from './config/errors';

/** Prints a failure of a command for a person and returns the exit code that names its cause. */
export function cliFailure(command: string, error: unknown, after = ''): number {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${command}: ${message}\n${after}`);
  return (error as { exitCode?: number }).exitCode ?? EXIT_CODES.output;
}

/** A failed synth: says so, and that the last good output stands. */
export function reportFailure(error: unknown): number {
  return cliFailure('synth', error, 'Nothing was written: the last good output is unchanged.\n');
}
