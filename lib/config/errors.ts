import type { ConfigIssue } from './field-reader';

/** The config (file or environment) cannot be used; carries every issue found. */
export class ConfigError extends Error {
  public readonly failure = 'config';

  constructor(
    public readonly source: string,
    public readonly issues: readonly ConfigIssue[],
  ) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`the config has ${count} (${source}):\n${issues.map((i) => `  - ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
