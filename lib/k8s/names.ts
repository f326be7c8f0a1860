import { nodeSetupName } from '../node-setup/contract';

/** Kubernetes' limit on an object name that is a DNS-1123 label, and on a label value. */
export const MAX_LABEL_LENGTH = 63;

/** One DNS-1123 label without its length limit, as a regex source without anchors. */
const LABEL = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?';
/** A DNS-1123 label with `maxLength` MAX_LABEL_LENGTH: the config's JSON Schema. */
export const DNS1123_LABEL_PATTERN = `^${LABEL}$`;
// Bounded in JSON Schema only: V8 unrolls a bounded repeat, which makes the regex slow to compile.
const BOUNDED_LABEL = LABEL.replace('*', '{0,61}');
/** A DNS-1123 subdomain with `maxLength` MAX_SUBDOMAIN_LENGTH: the config's JSON Schema. */
export const DNS1123_SUBDOMAIN_PATTERN = `^${BOUNDED_LABEL}(?:\\.${BOUNDED_LABEL})*$`;
export const MAX_SUBDOMAIN_LENGTH = 253;
const DNS1123_LABEL = new RegExp(DNS1123_LABEL_PATTERN);

/** A Kubernetes object name or namespace: a DNS-1123 label, at most 63 characters. */
export function isDns1123Label(value: string): boolean {
  return value.length <= MAX_LABEL_LENGTH && DNS1123_LABEL.test(value);
}

/** A DNS-1123 subdomain: dot-separated labels, at most 253 characters. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= MAX_SUBDOMAIN_LENGTH && value.split('.').every(isDns1123Label);
}

/** The in-cluster DNS name of a Service, such as `internal-registry.kube-system.svc.cluster.local`. */
export function serviceDnsName(name: string, namespace: string, clusterDomain: string): string {
  return `${name}.${namespace}.svc.${clusterDomain}`;
}

/** Namespaces every cluster has; the output never creates them. */
export const BUILT_IN_NAMESPACES: ReadonlySet<string> = new Set([
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
]);

/** The longest `registry.name` whose derived names stay within Kubernetes' limits. */
export const MAX_REGISTRY_NAME_LENGTH = MAX_LABEL_LENGTH - nodeSetupName('').length;
