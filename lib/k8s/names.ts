import { nodeSetupName } from '../node-setup/contract';

/** One DNS-1123 label (at most 63 characters), as a regex source without anchors. */
const LABEL = '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?';
/** A DNS-1123 label, anchored: also the config's JSON Schema pattern. */
export const DNS1123_LABEL_PATTERN = `^${LABEL}$`;
/** A DNS-1123 subdomain without its length limit (MAX_SUBDOMAIN_LENGTH), anchored. */
export const DNS1123_SUBDOMAIN_PATTERN = `^${LABEL}(?:\\.${LABEL})*$`;
export const MAX_SUBDOMAIN_LENGTH = 253;
const DNS1123_LABEL = new RegExp(DNS1123_LABEL_PATTERN);
const DNS1123_SUBDOMAIN = new RegExp(DNS1123_SUBDOMAIN_PATTERN);

/** A Kubernetes object name or namespace: a DNS-1123 label, at most 63 characters. */
export function isDns1123Label(value: string): boolean {
  return DNS1123_LABEL.test(value);
}

/** A DNS-1123 subdomain: dot-separated labels, at most 253 characters. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= MAX_SUBDOMAIN_LENGTH && DNS1123_SUBDOMAIN.test(value);
}

/** The in-cluster DNS name of a Service, such as `internal-registry.kube-system.svc.cluster.local`. */
export function serviceDnsName(name: string, namespace: string, clusterDomain: string): string {
  return `${name}.${namespace}.svc.${clusterDomain}`;
}

/** Kubernetes' limit on an object name that is a DNS-1123 label, and on a label value. */
export const MAX_LABEL_LENGTH = 63;

/** Namespaces every cluster has; the output never creates them. */
export const BUILT_IN_NAMESPACES: ReadonlySet<string> = new Set([
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
]);

/** The longest `registry.name` whose derived names stay within Kubernetes' limits. */
export const MAX_REGISTRY_NAME_LENGTH = MAX_LABEL_LENGTH - nodeSetupName('').length;
