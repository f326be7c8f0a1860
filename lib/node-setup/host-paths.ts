import { posix } from 'node:path';

/** Host folders a hostPath mount must never be, nor contain: mounting one read-write gives the node away. */
const NEVER_MOUNTED = [
  '/',
  '/etc',
  '/proc',
  '/sys',
  '/dev',
  '/run',
  '/var/lib/kubelet',
  '/usr',
  '/home',
  '/root',
];
/** Host folders nothing below may be mounted either: kernel and device interfaces, runtime sockets, kubelet state. */
const NOTHING_BELOW = ['/proc', '/sys', '/dev', '/run', '/var/lib/kubelet'];

/** `path.posix.normalize` without a trailing slash: `//etc/./` becomes `/etc`. */
export function normalizeHostPath(path: string): string {
  const normalized = posix.normalize(path);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

/** Links every systemd distribution has (FHS 3.0); a hostPath mount follows them on the node (issue 9: aliases). */
const HOST_LINKS: ReadonlyArray<readonly [string, string]> = [
  ['/var/run', '/run'],
  ['/var/lock', '/run/lock'],
];

const inside = (folder: string, of: string) =>
  of === folder || of.startsWith(folder === '/' ? '/' : `${folder}/`);

/**
 * Why a (normalised) host path must not be mounted into a pod, or undefined: it is one of the
 * node's system folders, lies below a kernel or runtime interface, or contains one of them,
 * also when reached through one of the node's standard links.
 */
export function refuseHostPath(normalized: string): string | undefined {
  const link = HOST_LINKS.find(([from]) => inside(from, normalized));
  if (link) {
    const reason = refuseFolder(link[1] + normalized.slice(link[0].length));
    return reason && `${reason} (${link[0]} links to ${link[1]})`;
  }
  return refuseFolder(normalized);
}

function refuseFolder(normalized: string): string | undefined {
  if (NEVER_MOUNTED.includes(normalized)) return `is the node's ${normalized}`;
  const below = NOTHING_BELOW.find((folder) => inside(folder, normalized));
  if (below) return `lies in the node's ${below}`;
  const holds = NEVER_MOUNTED.find((folder) => folder !== '/' && inside(normalized, folder));
  if (holds) return `contains the node's ${holds}`;
  return undefined;
}
