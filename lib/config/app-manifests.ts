import { basename } from 'node:path';
import { manifestProblems } from '../apps/manifest-policy';
import { excerpt } from './excerpt';
import type { ConfigIssue } from './field-reader';
import type { AppConfig } from './types';

/**
 * Checks each app's included manifest (already parsed by the loader) before anything is built: it
 * is Kubernetes YAML, holds the placeholder in a value, holds only what the config grants, stays
 * in the app's namespace, holds each object once, and its pods meet the namespace's Pod Security
 * level (said here, before admission refuses them).
 */
export function checkAppManifests(
  apps: readonly AppConfig[],
  reservedAddresses: readonly string[] = [],
): ConfigIssue[] {
  return apps.flatMap((app, index) => {
    if (!app.included) return [];
    const field = `apps[${index}].manifest`;
    const where = `${field}: ${excerpt(basename(app.included.file), 80)}`;
    return manifestProblems(app, field, where, app.included.documents, reservedAddresses).map((message) => ({
      path: field,
      message,
    }));
  });
}
