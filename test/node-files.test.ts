import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { locateFile } from '../agent/config-location';
import { HostPaths } from '../agent/host-paths';
import { MountedNodeFiles } from '../agent/node-files';
import { Refusal } from '../agent/refusal';
import { tempDir } from './support/synth';

/** The agent's view of a node through its mounts: /etc/containerd at <root>/etc/containerd. */
function node() {
  const root = tempDir('node-files-');
  const etc = join(root, 'etc', 'containerd');
  mkdirSync(join(etc, 'real'), { recursive: true });
  return { root, etc, files: new MountedNodeFiles(new HostPaths(root, ['/etc/containerd'])) };
}

describe('MountedNodeFiles: lstat, never a followed link', () => {
  test('a file, a folder, a missing path and a path outside the mounts', () => {
    const { etc, files } = node();
    writeFileSync(join(etc, 'config.toml'), 'version = 2\n');
    expect(files.entry('/etc/containerd/config.toml')).toEqual({ kind: 'file', text: 'version = 2\n' });
    expect(files.entry('/etc/containerd/real')).toEqual({ kind: 'dir' });
    expect(files.entry('/etc/containerd/none.toml')).toEqual({ kind: 'absent' });
    expect(files.entry('/etc/passwd')).toEqual({ kind: 'hidden' });
    expect(files.list('/etc/containerd')).toEqual(['config.toml', 'real']);
    expect(files.list('/opt')).toBeUndefined();
  });

  test('a dangling link is a link, not "no config": the agent refuses instead of writing over it', () => {
    // GIVEN a link whose target the pod cannot read (it points into the node's root, not the pod's)
    const { etc, files } = node();
    symlinkSync('/etc/containerd/real/config.toml', join(etc, 'config.toml'));
    // THEN
    expect(files.entry('/etc/containerd/config.toml')).toEqual({
      kind: 'link',
      target: '/etc/containerd/real/config.toml',
    });
    expect(() => locateFile('/etc/containerd/config.toml', files)).toThrow(Refusal);
    expect(() => locateFile('/etc/containerd/config.toml', files)).toThrow(/that does not exist/);
  });

  test('an absolute link resolves within the node’s root, a relative one against the link’s folder', () => {
    const { etc, files } = node();
    writeFileSync(join(etc, 'real', 'config.toml'), 'version = 2\n');
    symlinkSync('/etc/containerd/real/config.toml', join(etc, 'config.toml'));
    symlinkSync('real/config.toml', join(etc, 'relative.toml'));
    expect(locateFile('/etc/containerd/config.toml', files)).toMatchObject({
      hostPath: '/etc/containerd/real/config.toml',
      links: [{ path: '/etc/containerd/config.toml', target: '/etc/containerd/real/config.toml' }],
      entry: { kind: 'file', text: 'version = 2\n' },
    });
    expect(locateFile('/etc/containerd/relative.toml', files).hostPath).toBe(
      '/etc/containerd/real/config.toml',
    );
  });

  test('a linked folder on the way is followed too', () => {
    const { etc, files } = node();
    writeFileSync(join(etc, 'real', 'config.toml'), 'version = 2\n');
    symlinkSync('real', join(etc, 'current'));
    expect(locateFile('/etc/containerd/current/config.toml', files).hostPath).toBe(
      '/etc/containerd/real/config.toml',
    );
  });
});
