import type { ConfigIssue } from './field-reader';

/** Exit codes, distinct per cause so that scripts and Argo CD logs tell them apart. */
export const EXIT_CODES = {
  config: 2,
  discovery: 3,
  output: 4,
  /** The bundles in build/ are missing and could not be built (scripts/synth.cjs). */
  build: 5,
} as const;

/** The config (file or environment) cannot be used; carries every issue found. */
export class ConfigError extends Error {
  public readonly exitCode = EXIT_CODES.config;

  constructor(
    public readonly source: string,
    public readonly issues: readonly ConfigIssue[],
  ) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`the config has ${count} (${source}):\n${issues.map((i) => `  - ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
