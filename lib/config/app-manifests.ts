import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { IMAGE_PLACEHOLDER } from '../apps/image-placeholder';
import { podSecurityViolations, podSpecPath } from '../pod-security';
import type { ConfigIssue } from './field-reader';
import type { AppConfig } from './types';

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are read as loosely typed YAML */

/**
 * Checks each app's existing manifest before anything is built: it exists, is Kubernetes YAML, holds
 * the placeholder, stays in the app's namespace, and its pods meet the namespace's Pod Security
 * level (said here, before admission refuses them).
 */
export function checkAppManifests(apps: readonly AppConfig[]): ConfigIssue[] {
  return apps.flatMap((app, index) => (app.manifest ? checkManifest(app, `apps[${index}]`) : []));
}

function checkManifest(app: AppConfig, path: string): ConfigIssue[] {
  const field = `${path}.manifest`;
  const issue = (message: string): ConfigIssue => ({
    path: field,
    message: `${field}: '${app.manifest}' ${message}`,
  });
  let text: string;
  try {
    text = readFileSync(app.manifest!, 'utf8');
  } catch {
    return [issue('does not exist; give a path relative to the config file')];
  }
  const documents = parseAllDocuments(text);
  const broken = documents.find((d) => d.errors.length > 0);
  if (broken) return [issue(`is not valid YAML: ${broken.errors[0].message.split('\n')[0]}`)];
  const objects = documents.map((d) => d.toJS() as any).filter((o) => o !== null);
  const notKubernetes = objects.findIndex(
    (o) =>
      typeof o?.apiVersion !== 'string' ||
      typeof o?.kind !== 'string' ||
      typeof o?.metadata?.name !== 'string',
  );
  if (objects.length === 0 || notKubernetes >= 0) {
    return [
      issue(
        `is not Kubernetes YAML: document ${Math.max(notKubernetes, 0) + 1} needs apiVersion, kind and metadata.name`,
      ),
    ];
  }
  const issues: ConfigIssue[] = [];
  if (!text.includes(IMAGE_PLACEHOLDER)) {
    issues.push(
      issue(`has no ${IMAGE_PLACEHOLDER}; put it where the image goes, so the image comes from the registry`),
    );
  }
  for (const o of objects) {
    const name = `${o.kind}/${o.metadata.name}`;
    if (o.metadata.namespace !== undefined && o.metadata.namespace !== app.namespace) {
      issues.push(
        issue(`puts ${name} in namespace ${o.metadata.namespace}; ${path}.namespace is ${app.namespace}`),
      );
    }
    const podPath = podSpecPath(o.kind);
    const pod = podPath?.reduce((node, key) => node?.[key], o);
    const shortfalls = podSecurityViolations(pod, app.podSecurity, podPath?.join('.'));
    if (shortfalls.length > 0) {
      issues.push(
        issue(
          `(${basename(app.manifest!)}): ${name} falls short of Pod Security "${app.podSecurity}", which its namespace ` +
            `enforces: ${shortfalls.join('; ')}. Add these fields, or set ${path}.podSecurity to a level it meets`,
        ),
      );
    }
  }
  return issues;
}
