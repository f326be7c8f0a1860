import { refuseHostPath } from '../node-setup/host-paths';
import { isDigest } from '../k8s/image-reference';
import type { Check, FieldReader } from './field-reader';
import type { NodeSetupConfig } from './types';

/** The nodeSetup keys read here (issue 10): where its images come from, how it rolls out, what it mounts. */
export const NODE_ROLLOUT_KEYS = [
  'imageRegistry',
  'agentImageDigest',
  'pauseImageDigest',
  'maxUnavailable',
  'extraHostPaths',
] as const;

type Fields = Pick<
  NodeSetupConfig,
  'imageRegistry' | 'agentImageDigest' | 'pauseImageDigest' | 'maxUnavailable' | 'extraHostPaths'
>;

const registryPrefix: Check<string> = (v) => {
  const host = v.split('/')[0];
  const port = /:(\d+)$/.exec(host)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return `is not a registry host with an optional path: port ${port} is not 1–65535`;
  }
  // containerd (like docker) reads a first component without a dot or colon as a Docker Hub repository.
  if (!/[.:[]/.test(host) && host !== 'localhost') {
    return `names no registry host (no dot or port, not localhost), so containerd would pull it from Docker Hub; write the mirror's host, such as registry.example.com:5000/${v}`;
  }
  return registryReference(v);
};
const registryReference: Check<string> = (v) =>
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::\d{1,5})?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(
    v,
  )
    ? undefined
    : 'is not a registry host with an optional path, such as registry.example.com:5000/mirror';
const digest: Check<string> = (v) =>
  isDigest(v) ? undefined : 'is not a digest of the form sha256:<64 hex digits>';
/** A host folder the DaemonSet may mount: absolute, normalised, none of the node's system folders (host-paths.ts). */
const hostFolder: Check<string> = (v) => {
  if (!/^\/[\w.\-/]*[\w.-]$/.test(v) || v.split('/').some((p) => p === '..' || p === '.') || v.includes('//'))
    return 'is not a normalised absolute path other than /';
  const refusal = refuseHostPath(v);
  return refusal
    ? `${refusal}, which would mount too much of the node into the agent; name the folder that holds the file`
    : undefined;
};

export function readNodeRollout(reader: FieldReader, n: Record<string, unknown>, d: NodeSetupConfig): Fields {
  const imageRegistry = reader.optionalString('nodeSetup.imageRegistry', n.imageRegistry, registryPrefix);
  const agentImageDigest = reader.optionalString('nodeSetup.agentImageDigest', n.agentImageDigest, digest);
  const pauseImageDigest = reader.optionalString('nodeSetup.pauseImageDigest', n.pauseImageDigest, digest);
  return {
    ...(imageRegistry ? { imageRegistry } : {}),
    ...(agentImageDigest ? { agentImageDigest } : {}),
    ...(pauseImageDigest ? { pauseImageDigest } : {}),
    maxUnavailable: readMaxUnavailable(reader, n.maxUnavailable, d.maxUnavailable),
    extraHostPaths: reader.list(
      'nodeSetup.extraHostPaths',
      n.extraHostPaths,
      d.extraHostPaths,
      (item, path) => reader.string(path, item, '', hostFolder),
    ),
  };
}

/** A count of nodes (1–10000) or a percentage of them (`1%`–`100%`), as Kubernetes takes it. */
function readMaxUnavailable(reader: FieldReader, raw: unknown, fallback: number | string): number | string {
  if (typeof raw === 'string' && raw.endsWith('%')) {
    const pct = /^([1-9]\d?|100)%$/.exec(raw);
    if (pct) return raw;
    reader.fail('nodeSetup.maxUnavailable', `'${raw}' is not a percentage from 1% to 100%`);
    return fallback;
  }
  if (raw === undefined) return fallback;
  return reader.integer(
    'nodeSetup.maxUnavailable',
    raw,
    typeof fallback === 'number' ? fallback : 1,
    1,
    10000,
  );
}
