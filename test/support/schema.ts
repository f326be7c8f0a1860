import {
  KubeConfigMap,
  KubeDaemonSet,
  KubeDeployment,
  KubeJob,
  KubeNamespace,
  KubeNetworkPolicy,
  KubePersistentVolumeClaim,
  KubePodDisruptionBudget,
  KubeService,
} from '../../lib/k8s/types';
import { join } from 'node:path';
import { projectRoot } from '../../lib/cli/project-root';
import type { Manifest } from './synth';

const SCHEMAS = join(projectRoot(), 'node_modules', 'kubernetes-models', '_schemas');

type SchemaValidate = ((data: unknown) => boolean) & {
  errors?: Array<{ instancePath: string; message?: string; keyword: string; params: unknown }>;
};

/** The kinds of Kubernetes 1.28 (cdk8s-plus-28's types) that this project may emit. */
export const KUBERNETES_128_KINDS = new Set(
  [
    KubeConfigMap,
    KubeDaemonSet,
    KubeDeployment,
    KubeJob,
    KubeNamespace,
    KubeNetworkPolicy,
    KubePersistentVolumeClaim,
    KubePodDisruptionBudget,
    KubeService,
  ].map((k) => `${k.GVK.apiVersion}/${k.GVK.kind}`),
);

function schemaFor(apiVersion: string, kind: string): SchemaValidate {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const prefix = group.split('.')[0];
  const name = `IoK8sApi${prefix[0].toUpperCase()}${prefix.slice(1)}${version[0].toUpperCase()}${version.slice(1)}${kind}`;
  // The package's exports map hides its compiled schemas; load them by path.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(SCHEMAS, `${name}.js`)).validate as SchemaValidate;
}

/**
 * Validates one object against the Kubernetes OpenAPI schema compiled by kubernetes-models, and
 * reports fields the schema never reads (the compiled validators do not reject unknown fields, so
 * a Proxy records what they look at).
 */
export function schemaProblems(object: Manifest): string[] {
  const read = new Set<string>();
  const watch = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    return new Proxy(value as object, {
      get(target, key, receiver) {
        if (typeof key === 'string') read.add(`${path}/${key}`);
        return watch(Reflect.get(target, key, receiver), `${path}/${String(key)}`);
      },
      ownKeys(target) {
        for (const key of Reflect.ownKeys(target)) read.add(`${path}/${String(key)}`);
        return Reflect.ownKeys(target);
      },
    });
  };
  const validate = schemaFor(object.apiVersion, object.kind);
  const problems: string[] = [];
  if (!validate(watch(object, ''))) {
    for (const e of validate.errors ?? [])
      problems.push(`${e.instancePath || '/'}: ${e.keyword} ${JSON.stringify(e.params)}`);
  }
  const present = (value: unknown, path: string): string[] =>
    value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([k, v]) => [`${path}/${k}`, ...present(v, `${path}/${k}`)])
      : [];
  for (const path of present(object, '')) {
    if (!read.has(path)) problems.push(`${path}: not a field of ${object.apiVersion} ${object.kind}`);
  }
  return problems;
}
