// The API versions that Kubernetes 1.28 (the version cdk8s-plus-28 targets) no longer serves, from
// Kubernetes' "Deprecated API Migration Guide". An included manifest that uses one would fail at apply
// time, in the middle of a sync, after the objects before it were applied.

interface RemovedApi {
  /** The release that stopped serving it. */
  readonly removedIn: string;
  /** The apiVersion that serves the kind now; by kind when the group was split up. */
  readonly useInstead: string | Readonly<Record<string, string>>;
}

const REMOVED_APIS: Readonly<Record<string, RemovedApi>> = {
  'extensions/v1beta1': {
    removedIn: '1.22',
    useInstead: {
      Deployment: 'apps/v1',
      DaemonSet: 'apps/v1',
      ReplicaSet: 'apps/v1',
      Ingress: 'networking.k8s.io/v1',
      NetworkPolicy: 'networking.k8s.io/v1',
    },
  },
  'apps/v1beta1': { removedIn: '1.16', useInstead: 'apps/v1' },
  'apps/v1beta2': { removedIn: '1.16', useInstead: 'apps/v1' },
  'batch/v2alpha1': { removedIn: '1.21', useInstead: 'batch/v1' },
  'batch/v1beta1': { removedIn: '1.25', useInstead: 'batch/v1' },
  'policy/v1beta1': { removedIn: '1.25', useInstead: { PodDisruptionBudget: 'policy/v1' } },
  'rbac.authorization.k8s.io/v1alpha1': { removedIn: '1.22', useInstead: 'rbac.authorization.k8s.io/v1' },
  'rbac.authorization.k8s.io/v1beta1': { removedIn: '1.22', useInstead: 'rbac.authorization.k8s.io/v1' },
  'networking.k8s.io/v1beta1': { removedIn: '1.22', useInstead: 'networking.k8s.io/v1' },
  'autoscaling/v2beta1': { removedIn: '1.25', useInstead: 'autoscaling/v2' },
  'autoscaling/v2beta2': { removedIn: '1.26', useInstead: 'autoscaling/v2' },
  'admissionregistration.k8s.io/v1beta1': {
    removedIn: '1.22',
    useInstead: 'admissionregistration.k8s.io/v1',
  },
  'apiextensions.k8s.io/v1beta1': { removedIn: '1.22', useInstead: 'apiextensions.k8s.io/v1' },
  'apiregistration.k8s.io/v1beta1': { removedIn: '1.22', useInstead: 'apiregistration.k8s.io/v1' },
  'certificates.k8s.io/v1beta1': { removedIn: '1.22', useInstead: 'certificates.k8s.io/v1' },
  'coordination.k8s.io/v1beta1': { removedIn: '1.22', useInstead: 'coordination.k8s.io/v1' },
  'scheduling.k8s.io/v1beta1': { removedIn: '1.22', useInstead: 'scheduling.k8s.io/v1' },
  'storage.k8s.io/v1beta1': { removedIn: '1.27', useInstead: 'storage.k8s.io/v1' },
  'discovery.k8s.io/v1beta1': { removedIn: '1.25', useInstead: 'discovery.k8s.io/v1' },
  'events.k8s.io/v1beta1': { removedIn: '1.25', useInstead: 'events.k8s.io/v1' },
  'node.k8s.io/v1beta1': { removedIn: '1.25', useInstead: 'node.k8s.io/v1' },
  'flowcontrol.apiserver.k8s.io/v1alpha1': {
    removedIn: '1.21',
    useInstead: 'flowcontrol.apiserver.k8s.io/v1beta3',
  },
  'flowcontrol.apiserver.k8s.io/v1beta1': {
    removedIn: '1.26',
    useInstead: 'flowcontrol.apiserver.k8s.io/v1beta3',
  },
};

/**
 * Why `apiVersion`/`kind` cannot be applied to Kubernetes 1.28 and what to write instead, or
 * undefined when it is still served (or unknown to Kubernetes: a custom resource's group). Pure.
 */
export function removedApiProblem(apiVersion: string, kind: string): string | undefined {
  const removed = Object.hasOwn(REMOVED_APIS, apiVersion) ? REMOVED_APIS[apiVersion] : undefined;
  if (!removed) return undefined;
  const { useInstead } = removed;
  const replacement =
    typeof useInstead === 'string'
      ? useInstead
      : Object.hasOwn(useInstead, kind)
        ? useInstead[kind]
        : undefined;
  const since = `${apiVersion}, which Kubernetes has not served since ${removed.removedIn}`;
  return replacement
    ? `uses ${since}; write apiVersion: ${replacement} (some fields changed: see Kubernetes' deprecated API migration guide)`
    : `uses ${since}, and no served version replaces it for ${kind}; remove it`;
}

/**
 * The versions Kubernetes 1.28 serves by default in the groups of the kinds an app manifest may
 * hold without a grant (`DEFAULT_MANIFEST_KINDS`): the API server refuses any other version there
 * ("no matches for kind"), in the middle of a sync (found by the issue 11 attack: `apps/v2`).
 */
const SERVED_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  '': ['v1'],
  apps: ['v1'],
  batch: ['v1'],
  autoscaling: ['v1', 'v2'],
  policy: ['v1'],
  'networking.k8s.io': ['v1'],
  'rbac.authorization.k8s.io': ['v1'],
};

/** `apps/v1` → group `apps`, version `v1`; the core API (`v1`) has the empty group. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

const latest = (group: string): string => {
  const versions = SERVED_VERSIONS[group];
  const version = versions[versions.length - 1];
  return group ? `${group}/${version}` : version;
};

/**
 * Why `apiVersion`/`kind` is no API that Kubernetes 1.28 serves, or undefined: a version it removed
 * (`removedApiProblem`), a version it never served in one of its own groups (`apps/v2`), or a kind
 * whose group is `kindGroup` written in another built-in group (`v1` Deployment). A group that is
 * not Kubernetes' own (a custom resource) is never judged here. Pure.
 */
export function unservedApiProblem(apiVersion: string, kind: string, kindGroup?: string): string | undefined {
  const removed = removedApiProblem(apiVersion, kind);
  if (removed) return removed;
  const { group, version } = splitApiVersion(apiVersion);
  if (!Object.hasOwn(SERVED_VERSIONS, group)) return undefined;
  if (kindGroup !== undefined && kindGroup !== group && Object.hasOwn(SERVED_VERSIONS, kindGroup)) {
    return `is not in ${group ? `the group ${group}` : 'the core group'} (${apiVersion}); write apiVersion: ${latest(kindGroup)}`;
  }
  if (SERVED_VERSIONS[group].includes(version)) return undefined;
  const served = SERVED_VERSIONS[group].map((v) => (group ? `${group}/${v}` : v)).join(' and ');
  return `uses ${apiVersion}, which Kubernetes 1.28 does not serve (it serves ${served}); write apiVersion: ${latest(group)}`;
}
