/** Annotation that records where the registry address in an object came from. */
export const ADDRESS_SOURCE_ANNOTATION = 'internal-registry.dev/registry-address-source';

export const MANAGED_BY = 'cdk8s';
export const PART_OF = 'internal-registry';

/**
 * The seed's `app=<name>` label (its kubectl commands select on it) beside the recommended
 * `app.kubernetes.io/*` labels. No version label: selectors are immutable.
 */
export function workloadLabels(name: string, component: string): Record<string, string> {
  return {
    app: name,
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

/** The selector of a workload: only the seed's `app` label, which never changes. */
export function selectorLabels(name: string): Record<string, string> {
  return { app: name };
}
