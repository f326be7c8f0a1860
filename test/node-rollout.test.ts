import { validateConfig } from '../lib/config/validate';
import { NODE_SETUP_DEFAULTS } from '../lib/config/defaults';
import { dockerHubPath, nodeSetupImages } from '../lib/node-setup/node-images';
import { mountedHostPaths } from '../lib/node-setup/node-setup';
import { configOf, find, synthCharts } from './support/synth';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function daemonSetOf(nodeSetup: object) {
  const objects = synthCharts(configOf({ nodeSetup })).get('node-setup')!;
  return find(objects, 'DaemonSet', 'internal-registry-node-setup');
}

function issuesOf(nodeSetup: object): string[] {
  return validateConfig({ nodeSetup }).issues.map((i) => i.message);
}

describe('nodeSetup.imageRegistry, digests and pull policy (air-gapped clusters)', () => {
  test('by default both images come from Docker Hub, IfNotPresent for their exact tags', () => {
    // GIVEN the defaults / WHEN synthesized
    const ds = daemonSetOf({});
    const [init, ready] = [ds.spec.template.spec.initContainers[0], ds.spec.template.spec.containers[0]];
    // THEN
    expect([init.image, init.imagePullPolicy]).toEqual(['node:20.18.1-bookworm-slim', 'IfNotPresent']);
    expect([ready.image, ready.imagePullPolicy]).toEqual(['busybox:1.36.1', 'IfNotPresent']);
  });

  test('one setting points both images at a mirror, under their Docker Hub paths, with optional digests', () => {
    const ds = daemonSetOf({ imageRegistry: 'registry.example.com:5000/hub', agentImageDigest: DIGEST });
    expect(ds.spec.template.spec.initContainers[0].image).toBe(
      `registry.example.com:5000/hub/library/node:20.18.1-bookworm-slim@${DIGEST}`,
    );
    expect(ds.spec.template.spec.containers[0].image).toBe(
      'registry.example.com:5000/hub/library/busybox:1.36.1',
    );
  });

  test.each([
    ['busybox:1.36.1', 'library/busybox:1.36.1'],
    ['bitnami/kubectl:1.32.0', 'bitnami/kubectl:1.32.0'],
    ['quay.io/org/tool:1.0', 'org/tool:1.0'],
    ['localhost/tool:1', 'tool:1'],
    ['registry.example.com:5000/a/b:2', 'a/b:2'],
  ])('the mirror path of %s is %s', (image, path) => {
    expect(dockerHubPath(image)).toBe(path);
    expect(
      nodeSetupImages({ ...NODE_SETUP_DEFAULTS, agentImage: image, imageRegistry: 'm.example' }).agent,
    ).toBe(`m.example/${path}`);
  });

  test.each([
    [
      'imageRegistry',
      'https://registry.example.com',
      /nodeSetup\.imageRegistry: 'https:\/\/registry\.example\.com' is not a registry host/,
    ],
    ['imageRegistry', 'registry.example.com/', /nodeSetup\.imageRegistry: .* is not a registry host/],
    ['imageRegistry', 'Registry.example.com/UPPER', /nodeSetup\.imageRegistry/],
    ['imageRegistry', 'r.example:5000/a b', /nodeSetup\.imageRegistry/],
    ['imageRegistry', 42, /nodeSetup\.imageRegistry/],
    ['agentImageDigest', 'sha256:abc', /nodeSetup\.agentImageDigest: 'sha256:abc' is not a digest/],
    ['pauseImageDigest', `md5:${'a'.repeat(32)}`, /nodeSetup\.pauseImageDigest: .* is not a digest/],
    // No dot, colon or localhost: containerd reads `mirror/...` as a Docker Hub repository.
    [
      'imageRegistry',
      'mirror/hub',
      /nodeSetup\.imageRegistry: 'mirror\/hub' names no registry host .*Docker Hub/,
    ],
    ['imageRegistry', 'mirror', /nodeSetup\.imageRegistry: 'mirror' names no registry host/],
    ['imageRegistry', 'r.example:99999/hub', /nodeSetup\.imageRegistry: .* is not a registry host/],
  ])('refuses %s = %j, naming the field', (key, value, message) => {
    expect(issuesOf({ [key]: value })).toEqual([expect.stringMatching(message)]);
  });

  test.each(['localhost', 'localhost:5000/hub', 'r.example/hub', 'r:5000', '[fd00::1]:5000/hub'])(
    'takes imageRegistry %s',
    (value) => {
      expect(issuesOf({ imageRegistry: value })).toEqual([]);
    },
  );

  test.each([
    ['agentImage', 'agentImageDigest'],
    ['pauseImage', 'pauseImageDigest'],
  ])('refuses a digest given twice, in %s and %s', (image, digestKey) => {
    // GIVEN an image that names a digest, and the digest setting too
    const issues = issuesOf({ [image]: `busybox:1.36.1@${DIGEST}`, [digestKey]: DIGEST });
    // THEN one problem, naming the digest setting (the reference would be `…@sha256:…@sha256:…`)
    expect(issues).toEqual([
      `nodeSetup.${digestKey}: is set while nodeSetup.${image} already names a digest; give the digest in one of them`,
    ]);
  });
});

describe('nodeSetup.maxUnavailable: a count or a percentage', () => {
  test.each([
    [1, 1],
    [25, 25],
    ['10%', '10%'],
    ['100%', '100%'],
    [null, 1], // empty: the key left out, the default (README "Configuration")
  ])('%j rolls out as %j', (value, expected) => {
    expect(issuesOf({ maxUnavailable: value })).toEqual([]);
    expect(daemonSetOf({ maxUnavailable: value }).spec.updateStrategy.rollingUpdate.maxUnavailable).toBe(
      expected,
    );
  });

  test.each([0, -1, 10001, 1.5, '3', '0%', '101%', '5.5%', '%', 'ten', true, ['1']])(
    'refuses %j',
    (value) => {
      expect(issuesOf({ maxUnavailable: value })).toEqual([
        expect.stringMatching(/^nodeSetup\.maxUnavailable: /),
      ]);
    },
  );
});

describe('nodeSetup.extraHostPaths: further host folders mounted into the agent', () => {
  test('each is mounted once, never inside another, and named in MOUNTED_HOST_PATHS', () => {
    expect(
      mountedHostPaths({
        ...NODE_SETUP_DEFAULTS,
        extraHostPaths: ['/opt/node', '/etc/containerd/x', '/opt/node/y'],
      }),
    ).toEqual(['/etc/containerd', '/opt/node']);
    const ds = daemonSetOf({ extraHostPaths: ['/opt/node'] });
    expect(ds.spec.template.spec.initContainers[0].env).toContainEqual({
      name: 'MOUNTED_HOST_PATHS',
      value: '/etc/containerd:/opt/node',
    });
    expect(ds.spec.template.spec.volumes).toContainEqual({
      name: 'host-1',
      hostPath: { path: '/opt/node', type: 'DirectoryOrCreate' },
    });
  });

  test.each([
    '/',
    '/etc',
    '/proc',
    '/sys/fs',
    '/dev',
    '/var',
    'relative/path',
    '/a/../b',
    '/a//b',
    '/a/./b',
    '/trailing/',
    7,
  ])('refuses %j', (value) => {
    expect(issuesOf({ extraHostPaths: [value] })).toEqual([
      expect.stringMatching(/^nodeSetup\.extraHostPaths\[0\]: /),
    ]);
  });

  test('refuses a value that is not a list', () => {
    expect(issuesOf({ extraHostPaths: '/opt' })).toEqual(["nodeSetup.extraHostPaths: '/opt' is not a list"]);
  });
});
