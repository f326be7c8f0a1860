import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { HostPaths } from './host-paths';

/** One host path as `lstat` sees it: a link is never followed here. */
export type NodeEntry =
  | { readonly kind: 'absent' }
  | { readonly kind: 'file'; readonly text: string }
  | { readonly kind: 'link'; readonly target: string }
  | { readonly kind: 'dir' }
  | { readonly kind: 'other' }
  /** Outside the host paths mounted into the agent: it cannot tell. */
  | { readonly kind: 'hidden' };

/** The node's files, by host path, as far as the agent can see them. All the decision reads. */
export interface NodeFiles {
  entry(hostPath: string): NodeEntry;
  /** Names in a host folder; undefined where it is absent or hidden. */
  list(hostDir: string): readonly string[] | undefined;
  visible(hostPath: string): boolean;
}

/** The real node, through the host paths mounted into the pod. */
export class MountedNodeFiles implements NodeFiles {
  constructor(private readonly paths: HostPaths) {}

  public visible(hostPath: string): boolean {
    return this.paths.visible(hostPath);
  }

  public entry(hostPath: string): NodeEntry {
    if (!this.visible(hostPath)) return { kind: 'hidden' };
    const local = this.paths.local(hostPath);
    let stat;
    try {
      stat = lstatSync(local);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
      throw error;
    }
    if (stat.isSymbolicLink()) return { kind: 'link', target: readlinkSync(local) };
    if (stat.isDirectory()) return { kind: 'dir' };
    if (stat.isFile()) return { kind: 'file', text: readFileSync(local, 'utf8') };
    return { kind: 'other' };
  }

  public list(hostDir: string): readonly string[] | undefined {
    if (!this.visible(hostDir)) return undefined;
    try {
      return readdirSync(this.paths.local(hostDir)).sort();
    } catch {
      return undefined;
    }
  }
}
