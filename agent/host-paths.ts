import { join, normalize } from 'node:path';

/**
 * The node's filesystem as the agent sees it: only the host paths the DaemonSet mounts, each under
 * `hostRoot` (for example the node's /etc/containerd at /host/etc/containerd).
 */
export class HostPaths {
  constructor(
    private readonly hostRoot: string,
    private readonly mounted: readonly string[],
  ) {}

  /** True when the host path lies inside a mounted host path. */
  public visible(hostPath: string): boolean {
    const path = normalize(hostPath);
    return this.mounted.some((m) => path === m || path.startsWith(m.endsWith('/') ? m : `${m}/`));
  }

  /** Where the agent reads and writes a host path. */
  public local(hostPath: string): string {
    return join(this.hostRoot, normalize(hostPath));
  }
}
