import { normalizeHostPath, refuseHostPath } from '../lib/node-setup/host-paths';

describe('host paths are normalised, then checked', () => {
  test.each([
    ['//etc', '/etc'],
    ['/.', '/'],
    ['/etc/./', '/etc'],
    ['/var/lib/x/../kubelet', '/var/lib/kubelet'],
    ['/etc/containerd/certs.d', '/etc/containerd/certs.d'],
    ['/', '/'],
  ])('%s normalises to %s', (given, normalized) => {
    expect(normalizeHostPath(given)).toBe(normalized);
  });

  test.each([
    ['/', "is the node's /"],
    ['/etc', "is the node's /etc"],
    ['/proc', "is the node's /proc"],
    ['/sys', "is the node's /sys"],
    ['/dev', "is the node's /dev"],
    ['/run', "is the node's /run"],
    ['/var/lib/kubelet', "is the node's /var/lib/kubelet"],
    ['/proc/1/root', "lies in the node's /proc"],
    ['/sys/fs/cgroup', "lies in the node's /sys"],
    ['/dev/shm', "lies in the node's /dev"],
    ['/run/containerd', "lies in the node's /run"],
    ['/var/lib/kubelet/pods', "lies in the node's /var/lib/kubelet"],
    ['/var/lib', "contains the node's /var/lib/kubelet"],
    ['/var', "contains the node's /var/lib/kubelet"],
    ['/usr', "is the node's /usr"],
    ['/root', "is the node's /root"],
    // Links every systemd distribution has: hostPath follows them on the node.
    ['/var/run', "is the node's /run (/var/run links to /run)"],
    ['/var/run/containerd', "lies in the node's /run (/var/run links to /run)"],
    ['/var/lock', "lies in the node's /run (/var/lock links to /run/lock)"],
    ['/var/lock/x', "lies in the node's /run (/var/lock links to /run/lock)"],
  ])('%s is refused: %s', (path, reason) => {
    expect(refuseHostPath(path)).toBe(reason);
  });

  test.each([
    '/etc/containerd/certs.d',
    '/etc/containerd',
    '/var/lib/internal-registry',
    '/srv/registry',
    '/etc2',
    '/runner',
    '/var/lib/kubelet2',
    '/var/running',
    '/var/locks',
  ])('%s may be mounted', (path) => {
    expect(refuseHostPath(path)).toBeUndefined();
  });
});
