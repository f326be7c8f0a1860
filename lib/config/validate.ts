import { checkAcrossSections } from './cross-field';
import { FieldReader, type ConfigIssue } from './field-reader';
import { configSchema } from './schema/config';
import { readObject } from './schema/read';
import type { SynthConfig } from './types';

export { CONFIG_SECTIONS } from './schema/config';

export interface ValidationResult {
  /** Set only when there are no issues. */
  readonly config?: SynthConfig;
  readonly issues: readonly ConfigIssue[];
  /** Things that work but that a careful operator wants to hear about. */
  readonly warnings: readonly string[];
  /**
   * The config as read, with defaults in place of the fields that have issues: lets the loader
   * check what depends on valid fields (included manifests) in the same run.
   */
  readonly draft: SynthConfig;
}

/** Validates raw config data against the schema, fills in defaults and reports every issue at once. */
export function validateConfig(raw: unknown, labelOf?: (path: string) => string): ValidationResult {
  const reader = new FieldReader(labelOf);
  const warnings: string[] = [];
  const draft: SynthConfig = readObject(reader, configSchema, '', raw);
  checkAcrossSections(reader, draft, warnings);
  if (reader.issues.length > 0) return { issues: reader.issues, warnings, draft };
  return { config: draft, issues: [], warnings, draft };
}
