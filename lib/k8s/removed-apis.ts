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
