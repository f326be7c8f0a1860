import { excerpt } from '../config/excerpt';
import type { AppConfig, ManifestDocument } from '../config/types';
import { isDns1123Subdomain } from '../k8s/names';
import { podSecurityViolations } from '../k8s/pod-security';
import { splitApiVersion, unservedApiProblem } from '../k8s/removed-apis';
import { IMAGE_PLACEHOLDER } from './image-placeholder';

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are read as loosely typed YAML */

/** `group/Kind`, with the empty group for the core API (`/Service`). */
function groupKind(object: any): string {
  return `${splitApiVersion(object.apiVersion).group}/${object.kind}`;
}

/**
 * What an included manifest may hold without a grant (issue 9): namespaced application kinds, in
 * the app's namespace. Everything else needs `apps[].allowKinds`, so the grant shows in review.
 */
export const DEFAULT_MANIFEST_KINDS: ReadonlySet<string> = new Set([
  '/Pod',
  '/Service',
  '/ConfigMap',
  '/Secret',
  '/ServiceAccount',
  '/PersistentVolumeClaim',
  'apps/Deployment',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'apps/ReplicaSet',
  'batch/Job',
  'batch/CronJob',
  'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/RoleBinding',
  'networking.k8s.io/Ingress',
  'networking.k8s.io/NetworkPolicy',
  'autoscaling/HorizontalPodAutoscaler',
  'policy/PodDisruptionBudget',
]);

/** The group of each kind of `DEFAULT_MANIFEST_KINDS`, by kind. */
const DEFAULT_KIND_GROUPS: ReadonlyMap<string, string> = new Map(
  [...DEFAULT_MANIFEST_KINDS].map((gk) => [
    gk.slice(gk.lastIndexOf('/') + 1),
    gk.slice(0, gk.lastIndexOf('/')),
  ]),
);

/** Kinds that live outside any namespace (Kubernetes 1.28); a granted one gets no namespace. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'CustomResourceDefinition',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'CertificateSigningRequest',
  'FlowSchema',
  'PriorityLevelConfiguration',
]);

/** The namespace an included object ends up in: its own, else the app's; none when cluster-scoped. */
export function effectiveNamespace(object: any, appNamespace: string): string | undefined {
  if (CLUSTER_SCOPED_KINDS.has(object.kind)) return undefined;
  return object.metadata?.namespace ?? appNamespace;
}

/** The identity of an object in a cluster: two objects with one identity overwrite each other. */
export function objectIdentity(object: any, namespace: string | undefined): string {
  const gk = groupKind(object);
  return `${gk.startsWith('/') ? gk.slice(1) : gk} ${namespace ? `${namespace}/` : ''}${object.metadata.name}`;
}

/** Every mapping that holds a `containers` list: a pod spec, whatever kind carries it. */
function podSpecs(node: any, path: string): Array<{ path: string; spec: any }> {
  if (!node || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap((item, i) => podSpecs(item, `${path}[${i}]`));
  const here = Array.isArray(node.containers) ? [{ path, spec: node }] : [];
  return [
    ...here,
    ...Object.entries(node).flatMap(([key, value]) => podSpecs(value, path ? `${path}.${key}` : key)),
  ];
}

/** YAML paths of the container images of a pod spec that are not exactly the placeholder. */
function foreignImages(spec: any, path: string): string[] {
  const at = path ? `${path}.` : '';
  return ['initContainers', 'containers', 'ephemeralContainers'].flatMap((list) =>
    (Array.isArray(spec[list]) ? spec[list] : []).flatMap((container: any, i: number) =>
      container?.image === IMAGE_PLACEHOLDER ? [] : [`${at}${list}[${i}].image`],
    ),
  );
}

/** YAML paths of the strings that hold the placeholder, and of keys that do (refused). */
export function placeholderPaths(node: any, path = ''): { values: string[]; keys: string[] } {
  const found = { values: [] as string[], keys: [] as string[] };
  const walk = (value: any, at: string) => {
    if (typeof value === 'string') {
      if (value.includes(IMAGE_PLACEHOLDER)) found.values.push(at);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${at}[${i}]`));
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const childPath = at ? `${at}.${key}` : key;
        if (key.includes(IMAGE_PLACEHOLDER)) found.keys.push(childPath);
        walk(child, childPath);
      }
    }
  };
  walk(node, path);
  return found;
}

/**
 * Every problem of an included manifest against what the config grants its app; pure. Each
 * message starts with `where` (the field and file) and names the document and the key to fix.
 */
export function manifestProblems(
  app: AppConfig,
  field: string,
  where: string,
  documents: readonly ManifestDocument[],
  reservedAddresses: readonly string[] = [],
): string[] {
  const problems: string[] = [];
  const say = (document: ManifestDocument | undefined, text: string) =>
    problems.push(`${where}${document ? ` document ${document.index}` : ''}: ${text}`);
  if (documents.length === 0) say(undefined, 'holds no Kubernetes object');
  const allow = new Set(app.allowKinds);
  const seen = new Map<string, number>();
  let placeholders = 0;
  for (const document of documents) {
    const o = document.object;
    if (
      !o ||
      typeof o !== 'object' ||
      Array.isArray(o) ||
      typeof o.apiVersion !== 'string' ||
      typeof o.kind !== 'string' ||
      typeof o.metadata?.name !== 'string'
    ) {
      say(document, 'is not Kubernetes YAML: it needs apiVersion, kind and metadata.name');
      continue;
    }
    if (!/^[A-Za-z][A-Za-z0-9]{0,62}$/.test(o.kind) || !isDns1123Subdomain(o.metadata.name)) {
      say(
        document,
        `kind ${excerpt(o.kind)} or metadata.name ${excerpt(o.metadata.name)} is not a Kubernetes name`,
      );
      continue;
    }
    const name = `${o.kind}/${o.metadata.name}`;
    // A List's items are objects of their own that these checks would not see (found in review, issue 9).
    if (o.kind.endsWith('List')) {
      say(document, `${name} is a list; write each of its items as a document of its own (separated by ---)`);
      continue;
    }
    const kindGroup = DEFAULT_KIND_GROUPS.get(o.kind);
    const unserved = unservedApiProblem(o.apiVersion, o.kind, kindGroup);
    if (unserved) say(document, `${name} ${unserved}`);
    // An application kind in a wrong version needs its version fixed, not a grant.
    const grantable = !(unserved && kindGroup !== undefined);
    if (grantable && !DEFAULT_MANIFEST_KINDS.has(groupKind(o)) && !allow.has(o.kind)) {
      say(
        document,
        `${name} (${excerpt(o.apiVersion)}) is not an application kind an app may hold by default; ` +
          `grant it with ${field.replace(/\.manifest$/, '')}.allowKinds: [${o.kind}] if it is meant to be there`,
      );
    }
    const namespace = effectiveNamespace(o, app.namespace);
    if (namespace !== undefined && namespace !== app.namespace) {
      say(
        document,
        `puts ${name} in namespace ${excerpt(namespace)}; ${field.replace(/\.manifest$/, '')}.namespace is ${app.namespace}`,
      );
    }
    if (
      o.kind === 'Service' &&
      typeof o.spec?.clusterIP === 'string' &&
      reservedAddresses.includes(o.spec.clusterIP)
    ) {
      say(
        document,
        `${name} pins spec.clusterIP ${excerpt(o.spec.clusterIP)}, the registry's address; remove spec.clusterIP`,
      );
    }
    if (
      o.kind === 'RoleBinding' &&
      o.roleRef?.kind !== 'Role' &&
      !allow.has(typeof o.roleRef?.kind === 'string' ? o.roleRef.kind : 'Role')
    ) {
      say(
        document,
        `${name} binds roleRef.kind ${excerpt(o.roleRef?.kind)}; a RoleBinding may bind only a Role of its ` +
          `namespace unless ${field.replace(/\.manifest$/, '')}.allowKinds lists ClusterRole`,
      );
    }
    const identity = objectIdentity(o, namespace);
    const first = seen.get(identity);
    if (first !== undefined) say(document, `${name} is document ${first} again; one object, one document`);
    else seen.set(identity, document.index);
    const found = placeholderPaths(o);
    placeholders += found.values.length;
    found.keys.forEach((key) =>
      say(document, `${IMAGE_PLACEHOLDER} is in a key (${key}); it goes in a value`),
    );
    for (const pod of podSpecs(o, '')) {
      for (const path of foreignImages(pod.spec, pod.path)) {
        say(
          document,
          `${name} ${path} is not ${IMAGE_PLACEHOLDER}; an app's containers run the app's image from the registry, ` +
            `so write ${IMAGE_PLACEHOLDER} there (another image is another app)`,
        );
      }
      const shortfalls = podSecurityViolations(pod.spec, app.podSecurity, pod.path || '(top level)');
      if (shortfalls.length > 0) {
        say(
          document,
          `${name} falls short of Pod Security "${app.podSecurity}", which its namespace enforces: ` +
            `${shortfalls.join('; ')}. Add these fields, or set ${field.replace(/\.manifest$/, '')}.podSecurity to a level it meets`,
        );
      }
    }
  }
  if (documents.length > 0 && placeholders === 0) {
    say(
      undefined,
      `has no ${IMAGE_PLACEHOLDER} in any value (comments do not count); put it where the image goes, so the image comes from the registry`,
    );
  }
  return problems;
}
