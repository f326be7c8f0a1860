import type { ConfigIssue } from './field-reader';

/**
 * A cluster file layered over the shared config (issue 11); pure. Mappings merge key by key, at every
 * depth; a list or a scalar in the cluster file replaces the shared value whole (a cluster that wants
 * other `apps` writes the whole list). A `null` (an empty value) resets a scalar or list to the
 * built-in default; for a shared mapping it is refused, since `registry:` with nothing below it reads
 * like "no change" and would reset the whole section.
 */
export function layerConfig(
  shared: Readonly<Record<string, unknown>>,
  cluster: Readonly<Record<string, unknown>>,
): { readonly data: Record<string, unknown>; readonly issues: readonly ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const merge = (
    base: Readonly<Record<string, unknown>>,
    over: Readonly<Record<string, unknown>>,
    at: string,
  ): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(base)) define(out, key, value);
    for (const [key, value] of Object.entries(over)) {
      const path = at ? `${at}.${key}` : key;
      const below = base[key];
      if (isMapping(below) && value === null) {
        issues.push({
          path,
          message: `${path}: is empty, which would reset the whole shared section; give its keys, or remove the line to keep the shared ones`,
        });
      } else if (isMapping(below) && isMapping(value)) {
        define(out, key, merge(below, value, path));
      } else {
        define(out, key, value);
      }
    }
    return out;
  };
  return { data: merge(shared, cluster, ''), issues };
}

/** Sets an own property, so that a key named `__proto__` stays a key (the validator refuses it). */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
