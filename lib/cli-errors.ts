import { EXIT_CODES } from './config/errors';

/** Prints a failure for a person and returns the exit code that names its cause. */
export function reportFailure(error: unknown): number {
  const exitCode = (error as { exitCode?: number }).exitCode ?? EXIT_CODES.output;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`synth: ${message}\nNothing was written: the last good output is unchanged.\n`);
  return exitCode;
}
