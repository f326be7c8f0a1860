import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { NodeEntry, NodeFiles } from '../../agent/node-files';

/** A node's files in memory, for unit tests of the decision: host path → entry. */
export class MemoryNode implements NodeFiles {
  public readonly entries = new Map<string, NodeEntry>();

  constructor(private readonly mounted: readonly string[] = ['/etc/containerd']) {}

  public visible(hostPath: string): boolean {
    const path = posix.normalize(hostPath);
    return this.mounted.some((m) => path === m || path.startsWith(`${m}/`));
  }

  public entry(hostPath: string): NodeEntry {
    if (!this.visible(hostPath)) return { kind: 'hidden' };
    const path = posix.normalize(hostPath);
    const entry = this.entries.get(path);
    if (entry) return entry;
    const isDir = [...this.entries.keys()].some((p) => p.startsWith(`${path}/`));
    return isDir || this.mounted.includes(path) ? { kind: 'dir' } : { kind: 'absent' };
  }

  public list(hostDir: string): readonly string[] | undefined {
    if (!this.visible(hostDir)) return undefined;
    const dir = posix.normalize(hostDir);
    const names = new Set<string>();
    for (const p of this.entries.keys())
      if (p.startsWith(`${dir}/`)) names.add(p.slice(dir.length + 1).split('/')[0]);
    return [...names].sort();
  }

  public file(hostPath: string, text: string): this {
    this.entries.set(hostPath, { kind: 'file', text });
    return this;
  }

  public link(hostPath: string, target: string): this {
    this.entries.set(hostPath, { kind: 'link', target });
    return this;
  }

  /** Copies a folder of the real file system (links kept as links) to a host path. */
  public load(localDir: string, hostDir: string): this {
    for (const name of readdirSync(localDir)) {
      const local = join(localDir, name);
      const host = posix.join(hostDir, name);
      const stat = lstatSync(local);
      if (stat.isSymbolicLink()) this.link(host, readlinkSync(local));
      else if (stat.isDirectory()) this.load(local, host);
      else this.file(host, readFileSync(local, 'utf8'));
    }
    return this;
  }
}
