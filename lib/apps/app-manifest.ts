import { parseAllDocuments } from 'yaml';
import { excerpt } from '../config/excerpt';
import { readRegularFile, unreadableReason } from '../config/read-regular-file';
import type { ManifestDocument, ParsedManifest } from '../config/types';

/** Aliases a manifest or config may expand; more is a YAML alias bomb (the `yaml` default, made explicit). */
export const MAX_YAML_ALIASES = 100;

/**
 * Reads and parses an included manifest, once (issue 9): the config checks and the construct share
 * the result. Returns why it cannot be used instead, in words that never quote the file.
 */
export function readAppManifest(file: string): ParsedManifest | string {
  let text: string;
  try {
    text = readRegularFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'does not exist; give a path relative to the config file';
    return unreadableReason(error);
  }
  return parseManifestText(file, text);
}

/** Parses manifest text; pure. */
export function parseManifestText(file: string, text: string): ParsedManifest | string {
  const parsed = parseAllDocuments(text, { uniqueKeys: true });
  if (!Array.isArray(parsed)) return 'is not YAML documents';
  const documents: ManifestDocument[] = [];
  for (const [i, document] of parsed.entries()) {
    const error = document.errors[0];
    if (error) {
      return `is not valid YAML: document ${i + 1}: ${excerpt(error.message.split('\n')[0], 120).slice(1, -1)}`;
    }
    let object: unknown;
    try {
      object = document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch {
      return `document ${i + 1} expands YAML aliases more than ${MAX_YAML_ALIASES} times (an alias bomb); write the values out`;
    }
    if (object !== null && object !== undefined) documents.push({ index: i + 1, object });
  }
  return { file, documents };
}
