import { createHash } from 'node:crypto';

/** A digest of a ConfigMap's data, independent of key order; it rolls the DaemonSet when data changes. */
export function configHash(data: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(data).sort()) hash.update(`${key}\0${data[key]}\0`);
  return hash.digest('hex');
}
