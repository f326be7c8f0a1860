// Grammar from the distribution project's reference package (docker/distribution reference/regexp.go).
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
export const REPOSITORY_PATH = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
export const TAG = /^[\w][\w.-]{0,127}$/;
export const DIGEST = /^sha256:[a-f0-9]{64}$/;
const DOMAIN =
  '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?';
export const FULL_REFERENCE = new RegExp(
  `^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`,
);
export const MAX_NAME_LENGTH = 255;
/** The longest reference isImageReference accepts: a name, a tag and a digest. */
export const MAX_REFERENCE_LENGTH = MAX_NAME_LENGTH + 200;

export function isRepositoryPath(value: string): boolean {
  return value.length <= MAX_NAME_LENGTH && REPOSITORY_PATH.test(value);
}

export function isTag(value: string): boolean {
  return TAG.test(value);
}

export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

/** A complete reference such as `registry:2.8.3` or `docker.io/library/busybox:1.36.1@sha256:…`. */
export function isImageReference(value: string): boolean {
  return value.length <= MAX_REFERENCE_LENGTH && FULL_REFERENCE.test(value);
}

/** True when the reference names an exact tag (not `latest`) or a digest. */
export function isPinnedReference(value: string): boolean {
  if (value.includes('@sha256:')) return true;
  const tag = /:([\w][\w.-]*)$/.exec(value.split('/').pop() ?? '')?.[1];
  return tag !== undefined && tag !== 'latest';
}

export interface ImageReferenceParts {
  /** `host:port` of the registry, IPv6 in brackets. */
  readonly registryHost: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest?: string;
}

/** `<host>/<repository>:<tag>[@<digest>]`. */
export function formatImageReference(parts: ImageReferenceParts): string {
  return withDigest(`${parts.registryHost}/${parts.repository}:${parts.tag}`, parts.digest);
}

/** Appends `@digest` to an image reference when a digest is given. */
export function withDigest(reference: string, digest: string | undefined): string {
  return digest ? `${reference}@${digest}` : reference;
}

/**
 * `IfNotPresent` only for a digest, which never changes; `Always` for a tag, which can be pushed
 * again (the kubelet then only checks the manifest).
 */
export function pullPolicyFor(reference: string): 'Always' | 'IfNotPresent' {
  return reference.includes('@sha256:') ? 'IfNotPresent' : 'Always';
}
