import { dumpProblems } from '../agent/dump-check';
import type { JsonMap } from '../agent/containerd-config';

/** A dump as `containerd config dump` prints it (parsed), with a registry table for version 2 or 3. */
function dump(registry: JsonMap, extra: JsonMap = {}, version: 2 | 3 = 2): JsonMap {
  const plugin = version === 3 ? 'io.containerd.cri.v1.images' : 'io.containerd.grpc.v1.cri';
  return {
    version,
    root: '/var/lib/containerd',
    ...extra,
    plugins: { [plugin]: { sandbox_image: 'registry.k8s.io/pause:3.6', registry } },
  };
}

const hostsDir = '/etc/containerd/certs.d';

describe('dumpProblems: what the node containerd dumps decides whether the change is applied', () => {
  test('accepts a change that sets config_path and keeps everything else', () => {
    // GIVEN
    const old = dump({ config_path: '' });
    const next = dump({ config_path: hostsDir });
    // WHEN / THEN
    expect(dumpProblems(old, next, { configPath: hostsDir, mirrors: [] })).toEqual([]);
  });

  test('refuses when config_path does not dump as the agent set it (containerd 1.6 and a version 3 file)', () => {
    const old = dump({});
    expect(dumpProblems(old, dump({}), { configPath: hostsDir, mirrors: [] })).toEqual([
      `config_path dumps as "", not "${hostsDir}"`,
    ]);
    expect(
      dumpProblems(old, dump({ config_path: '/elsewhere' }), { configPath: hostsDir, mirrors: [] }),
    ).toEqual([`config_path dumps as "/elsewhere", not "${hostsDir}"`]);
  });

  test('reads the version 3 table of a version 3 dump', () => {
    const old = dump({}, {}, 3);
    expect(
      dumpProblems(old, dump({ config_path: hostsDir }, {}, 3), { configPath: hostsDir, mirrors: [] }),
    ).toEqual([]);
    // the version 2 table of a version 3 dump is not where containerd 2 reads
    const misplaced = {
      ...dump({}, {}, 3),
      plugins: { 'io.containerd.grpc.v1.cri': { registry: { config_path: hostsDir } } },
    };
    expect(dumpProblems(old, misplaced, { configPath: hostsDir, mirrors: [] })).toContain(
      `config_path dumps as "", not "${hostsDir}"`,
    );
  });

  test('refuses mirrors next to config_path, which the CRI plugin refuses although the dump exits 0', () => {
    const old = dump({});
    const next = dump({
      config_path: hostsDir,
      mirrors: { 'docker.io': { endpoint: ['https://mirror.example'] } },
    });
    expect(dumpProblems(old, next, { configPath: hostsDir, mirrors: [] })).toEqual([
      'registry.mirrors would sit next to config_path',
    ]);
  });

  test('accepts mirrors without config_path (legacy mode), and an empty config_path next to them', () => {
    const old = dump({});
    const legacy = { mirrors: ['192.0.2.10:5000'] };
    const mirrors = { '192.0.2.10:5000': { endpoint: ['http://192.0.2.10:5000'] } };
    expect(dumpProblems(old, dump({ mirrors }), legacy)).toEqual([]);
    expect(dumpProblems(old, dump({ mirrors, config_path: '' }), legacy)).toEqual([]);
  });

  test('refuses when an expected mirror is missing from the dump', () => {
    const old = dump({});
    const next = dump({ mirrors: { 'a:5000': { endpoint: ['http://192.0.2.10:5000'] } } });
    expect(dumpProblems(old, next, { mirrors: ['a:5000', 'b:5000'] })).toEqual(['mirror b:5000 is missing']);
  });

  test.each([
    ['a top-level setting', dump({}, { root: '/elsewhere' })],
    [
      'a setting beside the registry table',
      { ...dump({}), plugins: { 'io.containerd.grpc.v1.cri': { sandbox_image: 'x', registry: {} } } },
    ],
    [
      'another plugin',
      {
        ...dump({}),
        plugins: {
          ...(dump({}).plugins as JsonMap),
          'io.containerd.gc.v1.scheduler': { pause_threshold: 0.5 },
        },
      },
    ],
    ['a drop-in under imports', dump({}, { imports: ['/etc/containerd/conf.d/x.toml'] })],
  ])('refuses when %s would change outside the registry tables', (_what, next) => {
    expect(dumpProblems(dump({}), next as JsonMap, { mirrors: [] })).toEqual([
      'settings outside the registry tables would change',
    ]);
  });

  test('ignores changes inside the registry tables of both versions', () => {
    // GIVEN a dump with both plugin tables, each with registry settings
    const both = (registry: JsonMap): JsonMap => ({
      ...dump(registry),
      plugins: {
        ...(dump(registry).plugins as JsonMap),
        'io.containerd.cri.v1.images': { snapshotter: 'overlayfs', registry },
      },
    });
    const old = both({ configs: { a: { auth: { username: 'u' } } } });
    // WHEN only the registry tables change THEN nothing outside them is reported
    expect(dumpProblems(old, both({ config_path: hostsDir }), { configPath: hostsDir, mirrors: [] })).toEqual(
      [],
    );
    // and a change beside the version 3 registry table is
    const changed = both({ config_path: hostsDir });
    (changed.plugins as Record<string, JsonMap>)['io.containerd.cri.v1.images'].snapshotter = 'native';
    expect(dumpProblems(old, changed, { configPath: hostsDir, mirrors: [] })).toEqual([
      'settings outside the registry tables would change',
    ]);
  });

  test('reports every problem at once', () => {
    const next = dump(
      { config_path: '/x', mirrors: { 'a:5000': { endpoint: ['http://a'] } } },
      { root: '/elsewhere' },
    );
    expect(dumpProblems(dump({}), next, { configPath: hostsDir, mirrors: ['b:5000'] })).toHaveLength(4);
  });
});
