import { ConfigError } from '../../lib/config/errors';
import { validateWithOverrides } from '../../lib/config/load';

/** The messages a raw config (with overrides) is refused with; only the validator's own error counts. */
export function problemsOf(raw: unknown, env: Record<string, string> = {}): string[] {
  try {
    validateWithOverrides(raw, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => i.message);
    throw error;
  }
  return [];
}
