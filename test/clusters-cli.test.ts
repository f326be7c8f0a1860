import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { inPool, ROOT, runBundleAsync, treeDigest, type RunResult } from './support/run';
import { ApiServerStub, type StubAnswer } from './support/api-server-stub';
import { filesKubectlReads, kubectlWithoutCluster } from './support/kubectl';
import { requireTools } from './support/real-tools';
import { tempDir } from './support/synth';

// Issue 11 item 2 against the built CLI: a config file with clusters/ beside it synthesizes one
// folder per cluster in one step; every bad cluster folder or file is refused with exit 2, naming the
// path and the field, and leaves every output byte-identical (a recursive digest of the repo).

const SHARED = `registry:\n  storage: {size: 20Gi}\napps:\n  - name: easy-kanban\n    image: easy-kanban\n    port: 3000\n`;
const EAST =
  'registry:\n  clusterIP: 10.100.0.50\n  serviceCIDR: 10.100.0.0/16\nnodeSetup:\n  maxUnavailable: 1\n';
const WEST =
  'registry:\n  clusterIP: 10.43.0.60\n  serviceCIDR: 10.43.0.0/16\nnodeSetup:\n  flavor: k3s\n  maxUnavailable: 25%\n';

/** A repository with config.yaml and clusters/{east,west}.yaml. */
function makeRepo(): string {
  const repo = tempDir('clusters-cli-');
  writeFileSync(join(repo, 'config.yaml'), SHARED);
  mkdirSync(join(repo, 'clusters'));
  writeFileSync(join(repo, 'clusters', 'east.yaml'), EAST);
  writeFileSync(join(repo, 'clusters', 'west.yaml'), WEST);
  return repo;
}

const envOf = (repo: string, env: Record<string, string> = {}) => ({
  SYNTH_CONFIG: join(repo, 'config.yaml'),
  CDK8S_OUTDIR: join(repo, 'dist'),
  ...env,
});
const synth = (repo: string, env: Record<string, string> = {}, args: string[] = []) =>
  runBundleAsync('main.js', envOf(repo, env), args);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are read as loosely typed YAML
type Loose = Record<string, any>;

function objectsIn(file: string): Loose[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
}

describe('a config with clusters/ synthesizes one output folder per cluster', () => {
  let repo: string;
  let first: RunResult;
  beforeAll(async () => {
    repo = makeRepo();
    first = await synth(repo);
  });

  test('writes dist/<cluster>/kustomization.yaml and dist/<cluster>/manifests/, and no root kustomization', () => {
    expect(first).toMatchObject({ status: 0, stderr: '' });
    const files = ['0000-registry.k8s.yaml', '0001-node-setup.k8s.yaml', '0002-app-easy-kanban.k8s.yaml'];
    expect(readdirSync(join(repo, 'dist')).sort()).toEqual(['.synth-output', 'east', 'west']);
    for (const name of ['east', 'west']) {
      expect(readdirSync(join(repo, 'dist', name)).sort()).toEqual(['kustomization.yaml', 'manifests']);
      expect(readdirSync(join(repo, 'dist', name, 'manifests')).sort()).toEqual(files);
      expect(parse(readFileSync(join(repo, 'dist', name, 'kustomization.yaml'), 'utf8')).resources).toEqual(
        files.map((f) => `manifests/${f}`),
      );
    }
    expect(existsSync(join(repo, 'kustomization.yaml'))).toBe(false);
    expect(
      readFileSync(join(repo, 'dist', '.synth-output'), 'utf8')
        .split('\n')
        .slice(1, 3),
    ).toEqual(['east/kustomization.yaml', 'east/manifests/0000-registry.k8s.yaml']);
  });

  test('gives each cluster its own ClusterIP, node settings, and the shared values', () => {
    const service = (name: string) =>
      objectsIn(join(repo, 'dist', name, 'manifests', '0000-registry.k8s.yaml')).find(
        (o) => o.kind === 'Service' && o.metadata.name === 'internal-registry',
      )!;
    const daemonSet = (name: string) =>
      objectsIn(join(repo, 'dist', name, 'manifests', '0001-node-setup.k8s.yaml')).find(
        (o) => o.kind === 'DaemonSet',
      )!;
    const claim = (name: string) =>
      objectsIn(join(repo, 'dist', name, 'manifests', '0000-registry.k8s.yaml')).find(
        (o) => o.kind === 'PersistentVolumeClaim',
      )!;
    expect(service('east').spec.clusterIP).toBe('10.100.0.50');
    expect(service('west').spec.clusterIP).toBe('10.43.0.60');
    expect(daemonSet('east').spec.updateStrategy.rollingUpdate.maxUnavailable).toBe(1);
    expect(daemonSet('west').spec.updateStrategy.rollingUpdate.maxUnavailable).toBe('25%');
    expect(claim('east').spec.resources.requests.storage).toBe('20Gi');
    const image = (name: string) =>
      JSON.stringify(objectsIn(join(repo, 'dist', name, 'manifests', '0002-app-easy-kanban.k8s.yaml')));
    expect(image('east')).toContain('10.100.0.50:5000/easy-kanban');
    expect(image('west')).toContain('10.43.0.60:5000/easy-kanban');
  });

  test('is deterministic: a second run leaves every byte as it was', async () => {
    const before = treeDigest(repo);
    expect(await synth(repo)).toMatchObject({ status: 0 });
    expect(treeDigest(repo)).toEqual(before);
  });

  test('kubectl kustomize renders each cluster folder; kubectl reads dist/<cluster>/manifests/ as manifests only', () => {
    requireTools('kubectl');
    for (const name of ['east', 'west']) {
      const folder = join(repo, 'dist', name);
      const kustomized = kubectlWithoutCluster(['kustomize', folder]);
      expect(kustomized.status).toBe(0);
      const rendered = parseAllDocuments(kustomized.stdout).map((d) => d.toJS());
      const files = readdirSync(join(folder, 'manifests')).flatMap((f) =>
        objectsIn(join(folder, 'manifests', f)),
      );
      const key = (o: Loose) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      expect(rendered.map(key).sort()).toEqual(files.map(key).sort());
      const created = kubectlWithoutCluster([
        'create',
        '--dry-run=client',
        '--validate=false',
        '-f',
        join(folder, 'manifests'),
      ]);
      expect(filesKubectlReads(join(folder, 'manifests')).sort()).toEqual(
        readdirSync(join(folder, 'manifests')).sort(),
      );
      expect(created.stderr).not.toMatch(/kustomization|apiVersion not set|kind not set/);
    }
  });

  test('--stdout prints the cluster SYNTH_CLUSTER names (also as ARGOCD_ENV_SYNTH_CLUSTER), the same text as its folder', async () => {
    const manifests = join(repo, 'dist', 'west', 'manifests');
    const expected = readdirSync(manifests)
      .sort()
      .map((f) => readFileSync(join(manifests, f), 'utf8'))
      .join('---\n');
    for (const variable of ['SYNTH_CLUSTER', 'ARGOCD_ENV_SYNTH_CLUSTER', 'PARAM_SYNTH_CLUSTER']) {
      const result = await synth(repo, { [variable]: 'west' }, ['--stdout']);
      expect(result).toMatchObject({ status: 0, stderr: '' });
      expect(result.stdout).toBe(expected);
    }
  });

  test('--stdout applies the environment’s overrides to the selected cluster only', async () => {
    const result = await synth(repo, { SYNTH_CLUSTER: 'east', REGISTRY_CLUSTER_IP: '10.100.0.99' }, [
      '--stdout',
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('clusterIP: 10.100.0.99');
    expect(result.stdout).not.toContain('10.100.0.50');
  });

  const oneClusterRefusals: Array<[string, Record<string, string>, RegExp]> = [
    [
      'no cluster selected',
      {},
      /clusters holds the clusters east, west: select one with SYNTH_CLUSTER=<name>/,
    ],
    [
      'an unknown cluster',
      { SYNTH_CLUSTER: 'north' },
      /SYNTH_CLUSTER: 'north' is not a cluster of .*clusters; name one of east, west/,
    ],
    [
      'a path as cluster',
      { ARGOCD_ENV_SYNTH_CLUSTER: '../east' },
      /ARGOCD_ENV_SYNTH_CLUSTER: '\.\.\/east' is not a cluster/,
    ],
  ];
  test.each(oneClusterRefusals)(
    '--stdout refuses %s with exit 2, one line, nothing on stdout',
    async (_n, env, message) => {
      const result = await synth(repo, env, ['--stdout']);
      expect(result).toMatchObject({ status: 2, stdout: '' });
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    },
  );

  test.each(oneClusterRefusals)(
    'npm run push’s config question refuses %s with exit 2',
    async (_n, env, message) => {
      const result = await runBundleAsync('push-target.js', envOf(repo, env));
      expect(result).toMatchObject({ status: 2, stdout: '' });
      expect(result.stderr).toMatch(message);
    },
  );

  test.each(oneClusterRefusals)(
    'npm run doctor refuses %s with exit 2 before reading any cluster',
    async (_n, env, message) => {
      const result = await runBundleAsync('doctor.js', envOf(repo, env));
      expect(result).toMatchObject({ status: 2, stdout: '' });
      expect(result.stderr).toMatch(new RegExp(`^doctor: [\\s\\S]*${message.source}`));
    },
  );

  test('npm run push’s config question answers for the selected cluster', async () => {
    const named = makeRepo();
    writeFileSync(
      join(named, 'clusters', 'east.yaml'),
      `${EAST.replace('registry:\n', 'registry:\n  name: east-registry\n')}`,
    );
    const east = await runBundleAsync('push-target.js', envOf(named, { SYNTH_CLUSTER: 'east' }));
    const west = await runBundleAsync('push-target.js', envOf(named, { SYNTH_CLUSTER: 'west' }));
    expect(east).toMatchObject({ status: 0, stdout: 'kube-system deployment/east-registry 5001\n' });
    expect(west).toMatchObject({ status: 0, stdout: 'kube-system deployment/internal-registry 5001\n' });
  });

  // Without the context, `SYNTH_CLUSTER=west npm run push` port-forwarded through the current
  // kubeconfig context, whichever cluster that was (issue 11 attack).
  test.each([
    [
      'east names its context in its file',
      'east',
      {},
      'kube-system deployment/internal-registry 5001 east-admin\n',
    ],
    ['west names none: the current context', 'west', {}, 'kube-system deployment/internal-registry 5001\n'],
    [
      'KUBE_CONTEXT overrides the file',
      'east',
      { KUBE_CONTEXT: 'east-ops' },
      'kube-system deployment/internal-registry 5001 east-ops\n',
    ],
    [
      'ARGOCD_ENV_KUBE_CONTEXT too',
      'west',
      { ARGOCD_ENV_KUBE_CONTEXT: 'west-ops' },
      'kube-system deployment/internal-registry 5001 west-ops\n',
    ],
  ])('npm run push’s config question names the kubeconfig context: %s', async (_n, cluster, env, stdout) => {
    const named = makeRepo();
    writeFileSync(join(named, 'clusters', 'east.yaml'), `${EAST}discovery:\n  context: east-admin\n`);
    const result = await runBundleAsync('push-target.js', envOf(named, { SYNTH_CLUSTER: cluster, ...env }));
    expect(result).toMatchObject({ status: 0, stdout });
  });
});

describe('switching between one output folder and clusters', () => {
  test('adding clusters/ replaces dist/ and removes the root kustomization.yaml synth wrote; removing it goes back', async () => {
    // GIVEN: a single-output synth
    const repo = makeRepo();
    rmSync(join(repo, 'clusters'), { recursive: true });
    expect(await synth(repo)).toMatchObject({ status: 0 });
    const single = treeDigest(repo);
    expect(readdirSync(join(repo, 'dist'))).toContain('0000-registry.k8s.yaml');
    expect(existsSync(join(repo, 'kustomization.yaml'))).toBe(true);
    // WHEN: clusters appear
    mkdirSync(join(repo, 'clusters'));
    writeFileSync(join(repo, 'clusters', 'east.yaml'), EAST);
    expect(await synth(repo)).toMatchObject({ status: 0 });
    // THEN
    expect(readdirSync(join(repo, 'dist')).sort()).toEqual(['.synth-output', 'east']);
    expect(existsSync(join(repo, 'kustomization.yaml'))).toBe(false);
    // WHEN: they go again
    rmSync(join(repo, 'clusters'), { recursive: true });
    expect(await synth(repo)).toMatchObject({ status: 0 });
    expect(treeDigest(repo)).toEqual(single);
  });

  test('a kustomization.yaml beside dist/ that synth did not write is left alone with clusters', async () => {
    const repo = makeRepo();
    writeFileSync(join(repo, 'kustomization.yaml'), 'resources: [mine.yaml]\n');
    expect(await synth(repo)).toMatchObject({ status: 0 });
    expect(readFileSync(join(repo, 'kustomization.yaml'), 'utf8')).toBe('resources: [mine.yaml]\n');
  });

  test('with no clusters folder, SYNTH_CLUSTER is refused rather than ignored', async () => {
    const repo = makeRepo();
    rmSync(join(repo, 'clusters'), { recursive: true });
    const result = await synth(repo, { SYNTH_CLUSTER: 'east' }, ['--stdout']);
    expect(result).toMatchObject({ status: 2, stdout: '' });
    expect(result.stderr).toMatch(
      /SYNTH_CLUSTER: selects a cluster, but there is no cluster folder .*clusters' beside/,
    );
  });
});

interface Case {
  readonly name: string;
  readonly setup: (repo: string) => void;
  readonly env?: Record<string, string>;
  readonly message: RegExp;
}
const write = (path: string, text: string) => (repo: string) => writeFileSync(join(repo, path), text);
const cluster = (text: string, name = 'west') => write(`clusters/${name}.yaml`, text);

const classes: Record<string, Case[]> = {
  'the cluster folder': [
    {
      name: 'a .yml file',
      setup: write('clusters/north.yml', EAST),
      message: /clusters\/north\.yml' ends in \.yml; rename it to north\.yaml/,
    },
    {
      name: 'a name that is no DNS label',
      setup: write('clusters/North.yaml', EAST),
      message: /clusters\/North\.yaml' is not named <cluster>\.yaml/,
    },
    {
      name: 'a dotted name',
      setup: write('clusters/a.b.yaml', EAST),
      message: /clusters\/a\.b\.yaml' is not named/,
    },
    {
      name: 'another file',
      setup: write('clusters/notes.txt', 'x'),
      message: /clusters\/notes\.txt' is not a cluster config/,
    },
    {
      name: 'a subfolder',
      setup: (repo) => mkdirSync(join(repo, 'clusters', 'north')),
      message: /clusters\/north' is a folder; .*nothing nests/,
    },
    {
      name: 'a symbolic link out of the repository',
      setup: (repo) => {
        const outside = tempDir('clusters-outside-');
        writeFileSync(join(outside, 'secret.yaml'), 'registry: {clusterIP: 10.1.1.1}\n');
        symlinkSync(join(outside, 'secret.yaml'), join(repo, 'clusters', 'north.yaml'));
      },
      message: /clusters\/north\.yaml' is a symbolic link; copy/,
    },
    {
      name: 'a FIFO',
      setup: (repo) => execFileSync('mkfifo', [join(repo, 'clusters', 'north.yaml')]),
      message: /clusters\/north\.yaml' is not a regular file/,
    },
    {
      name: 'a folder with only notes',
      setup: (repo) => {
        rmSync(join(repo, 'clusters'), { recursive: true });
        mkdirSync(join(repo, 'clusters'));
        writeFileSync(join(repo, 'clusters', 'README.md'), '# clusters\n');
      },
      message: /clusters' holds no cluster config; add <cluster>\.yaml, or remove the folder/,
    },
    {
      name: 'clusters is a file',
      setup: (repo) => {
        rmSync(join(repo, 'clusters'), { recursive: true });
        writeFileSync(join(repo, 'clusters'), 'x');
      },
      message: /clusters' is not a folder/,
    },
    {
      name: 'clusters is a symbolic link',
      setup: (repo) => {
        rmSync(join(repo, 'clusters'), { recursive: true });
        const elsewhere = tempDir('clusters-elsewhere-');
        writeFileSync(join(elsewhere, 'east.yaml'), EAST);
        symlinkSync(elsewhere, join(repo, 'clusters'));
      },
      message: /clusters' is a symbolic link; make it a folder/,
    },
  ],
  'a cluster file': [
    {
      name: 'a ClusterIP that is no address',
      setup: cluster('registry: {clusterIP: 10.43.0}\n'),
      message:
        /clusters\/west\.yaml over [\s\S]*config\.yaml\):\n  - registry\.clusterIP: '10\.43\.0' is not an IPv4 or IPv6 address/,
    },
    {
      name: 'a ClusterIP outside its serviceCIDR',
      setup: cluster('registry: {clusterIP: 10.100.0.50, serviceCIDR: 10.43.0.0/16}\n'),
      message:
        /clusters\/west\.yaml over [\s\S]*registry\.clusterIP: '10\.100\.0\.50' is outside registry\.serviceCIDR 10\.43\.0\.0\/16/,
    },
    {
      name: 'an unknown key',
      setup: cluster('registry: {clusterIp: 10.43.0.9}\n'),
      message: /clusters\/west\.yaml over [\s\S]*registry\.clusterIp: unknown key/,
    },
    {
      name: 'YAML syntax',
      setup: cluster('registry: {clusterIP: [\n'),
      // the cluster file's own fault: named alone, not as the pair
      message: /\(\S*clusters\/west\.yaml\):\n.*clusters\/west\.yaml: YAML syntax/,
    },
    {
      name: 'duplicate keys',
      setup: cluster('registry: {port: 1}\nregistry: {port: 2}\n'),
      message: /\(\S*clusters\/west\.yaml\):\n.*Map keys must be unique/,
    },
    {
      name: 'a list, not a mapping',
      setup: cluster('- a\n- b\n'),
      message: /cluster file: .*holds a list, not a config mapping/,
    },
    {
      name: 'a mapping without synth keys (a leaked file)',
      setup: cluster('root: "x:1:2"\n'),
      message: /holds a mapping without any synth key/,
    },
    {
      name: 'an empty section over a shared one',
      setup: cluster('registry:\n'),
      message: /clusters\/west\.yaml over [\s\S]*registry: is empty/,
    },
    {
      name: 'the shared Argo CD settings',
      setup: cluster('delivery: {argoApplication: {name: x}}\n'),
      message: /delivery\.argoApplication: is one for every cluster.*set it in .*config\.yaml/,
    },
    {
      name: 'a system host path',
      setup: cluster('nodeSetup: {hostsDir: /etc}\n'),
      message: /clusters\/west\.yaml over [\s\S]*nodeSetup\.hostsDir: '\/etc'/,
    },
    {
      name: 'a missing app manifest, relative to clusters/',
      setup: cluster('apps:\n  - name: easy-kanban\n    manifest: app.yaml\n    podSecurity: baseline\n'),
      message: /clusters\/west\.yaml over [\s\S]*apps\[0\]\.manifest: 'app\.yaml'/,
    },
    {
      name: 'an app that takes the registry’s name (a synth refusal)',
      setup: cluster(
        'apps:\n  - {name: internal-registry, namespace: kube-system, image: x, podSecurity: privileged}\n',
      ),
      message:
        /clusters\/west\.yaml over [\s\S]*apps\[0\]\.name: 'internal-registry' is taken by the registry/,
    },
    {
      name: 'two bad clusters, both named',
      setup: (repo) => {
        cluster('registry: {clusterIP: 10.43.0}\n')(repo);
        cluster('registry: {port: 0}\n', 'east')(repo);
      },
      message:
        /2 cluster configs have problems:[\s\S]*clusters\/east\.yaml over[\s\S]*registry\.port[\s\S]*clusters\/west\.yaml over[\s\S]*registry\.clusterIP/,
    },
    {
      name: 'Argo CD namespaces that differ between clusters',
      setup: (repo) => {
        write(
          'config.yaml',
          `${SHARED}delivery: {argoApplication: {enabled: true, repoURL: https://git.example.com/r.git}}\n`,
        )(repo);
        cluster('registry: {namespace: registry, clusterIP: 10.43.0.60}\n')(repo);
      },
      message: /registry\.namespace: differs between clusters \(east: kube-system, west: registry\)/,
    },
  ],
  'the environment': [
    {
      name: 'REGISTRY_CLUSTER_IP for every cluster',
      setup: () => {},
      env: { REGISTRY_CLUSTER_IP: '10.43.0.7' },
      message:
        /REGISTRY_CLUSTER_IP would apply to every cluster of .*set the field in .*clusters\/<cluster>\.yaml, or select one cluster with SYNTH_CLUSTER/,
    },
    {
      name: 'REGISTRY_SERVICE_CIDR',
      setup: () => {},
      env: { REGISTRY_SERVICE_CIDR: '10.0.0.0/8' },
      message: /REGISTRY_SERVICE_CIDR would apply to every cluster/,
    },
    {
      name: 'REGISTRY_PORT as an Argo CD parameter',
      setup: () => {},
      env: { PARAM_REGISTRY_PORT: '5001' },
      message: /PARAM_REGISTRY_PORT would apply to every cluster/,
    },
    {
      name: 'REGISTRY_IP_SOURCE',
      setup: () => {},
      env: { ARGOCD_ENV_REGISTRY_IP_SOURCE: 'discover' },
      message: /ARGOCD_ENV_REGISTRY_IP_SOURCE would apply to every cluster/,
    },
    {
      name: 'KUBE_CONTEXT',
      setup: () => {},
      env: { KUBE_CONTEXT: 'east' },
      message: /KUBE_CONTEXT would apply to every cluster/,
    },
    {
      name: 'SYNTH_CLUSTER for a synth that writes',
      setup: () => {},
      env: { SYNTH_CLUSTER: 'east' },
      message: /SYNTH_CLUSTER: selects one cluster for --stdout, doctor and push; synth writes every cluster/,
    },
    {
      name: 'an output folder synth did not write (refusals hold with clusters)',
      setup: (repo) => writeFileSync(join(repo, 'dist', 'mine.txt'), 'mine'),
      message: /holds files synth did not write \("mine\.txt"\)/,
    },
    {
      name: 'a foreign folder inside a cluster folder',
      setup: (repo) => mkdirSync(join(repo, 'dist', 'east', 'extra')),
      message: /holds files synth did not write \("east\/extra"\)/,
    },
  ],
};
const rows = Object.entries(classes).flatMap(([group, cases]) => cases.map((c) => ({ group, ...c })));

describe('every bad cluster folder, file or variable is refused with exit 2 and changes no output', () => {
  let results: Array<{ status: number | null; stderr: string; before: object; after: object }>;
  beforeAll(async () => {
    results = await inPool(rows, 2, async (row) => {
      const repo = makeRepo();
      const good = await synth(repo);
      if (good.status !== 0) throw new Error(`the first synth failed: ${good.stderr}`);
      row.setup(repo);
      // A FIFO cannot be read for a digest: the digest skips the cluster folder then (the run must not read it either).
      const digest = () => (row.name === 'a FIFO' ? treeDigest(join(repo, 'dist')) : treeDigest(repo));
      const before = digest();
      const result = await synth(repo, row.env);
      return { status: result.status, stderr: result.stderr, before, after: digest() };
    });
  }, 240_000);

  test(`covers ${rows.length} hostile inputs`, () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
  });

  test.each(rows.map((row, index) => [row.group, row.name, index] as const))(
    '%s: %s',
    (_group, _name, index) => {
      const { status, stderr, before, after } = results[index];
      expect(stderr).toMatch(rows[index].message);
      expect(status).toBe(2);
      expect(after).toEqual(before);
    },
  );
});

describe('the shipped example examples/two-clusters', () => {
  test('its committed output is what synth writes now (the drift check CI runs)', async () => {
    const out = tempDir('two-clusters-');
    const result = await runBundleAsync('main.js', {
      SYNTH_CONFIG: join(ROOT, 'examples', 'two-clusters', 'config.yaml'),
      CDK8S_OUTDIR: join(out, 'dist'),
    });
    expect(result).toMatchObject({
      status: 0,
      stderr: `warning: the ApplicationSet reads examples/two-clusters/dist/ of the repository, not ${join(out, 'dist')}: this output is a preview\n`,
    });
    expect(treeDigest(join(out, 'dist'))).toEqual(treeDigest(join(ROOT, 'examples', 'two-clusters', 'dist')));
    expect(readdirSync(join(out, 'dist')).sort()).toEqual([
      '.synth-output',
      'argocd-applicationset.yaml',
      'east',
      'west',
    ]);
  });
});

describe('discovery runs per cluster, with that cluster’s discovery.context (local API-server stubs)', () => {
  const stubs: ApiServerStub[] = [];
  afterEach(async () => {
    await Promise.all(stubs.splice(0).map((s) => s.stop()));
  });

  /** A repo whose clusters east and west discover from two stubs through the contexts of one kubeconfig. */
  async function discoveringRepo(westAnswer: StubAnswer) {
    const east = new ApiServerStub('service', '192.0.2.71');
    const west = new ApiServerStub(westAnswer, '192.0.2.72');
    stubs.push(east, west);
    const [eastUrl, westUrl] = [await east.start(), await west.start()];
    const repo = makeRepo();
    writeFileSync(join(repo, 'clusters', 'east.yaml'), 'discovery: {source: discover, context: east-ctx}\n');
    writeFileSync(join(repo, 'clusters', 'west.yaml'), 'discovery: {source: discover, context: west-ctx}\n');
    const kubeconfig = join(repo, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- {name: east, cluster: {server: "${eastUrl}", insecure-skip-tls-verify: true}}`,
        `- {name: west, cluster: {server: "${westUrl}", insecure-skip-tls-verify: true}}`,
        'users: [{name: u, user: {token: test-token}}]',
        'contexts:',
        '- {name: east-ctx, context: {cluster: east, user: u}}',
        '- {name: west-ctx, context: {cluster: west, user: u}}',
        'current-context: west-ctx',
        '',
      ].join('\n'),
    );
    return { repo, east, west, env: { KUBECONFIG: kubeconfig, HOME: repo } };
  }

  test('each cluster gets the ClusterIP its own cluster reports', async () => {
    // GIVEN
    const { repo, east, west, env } = await discoveringRepo('service');
    // WHEN
    const result = await synth(repo, env);
    // THEN
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(
      /^warning: east: discovered ClusterIP 192\.0\.2\.71 .* differs from the pinned/m,
    );
    expect(result.stderr).toMatch(/^warning: west: discovered ClusterIP 192\.0\.2\.72 /m);
    const registry = (name: string) =>
      readFileSync(join(repo, 'dist', name, 'manifests', '0000-registry.k8s.yaml'), 'utf8');
    expect(registry('east')).toContain('clusterIP: 192.0.2.71');
    expect(registry('west')).toContain('clusterIP: 192.0.2.72');
    expect(east.requests).toHaveLength(1);
    expect(west.requests).toHaveLength(1);
  });

  test('a cluster whose discovery fails stops the run with exit 3, naming its file, and changes no output', async () => {
    // GIVEN: a good output, then west's Service is gone
    const { repo, env } = await discoveringRepo('service');
    expect((await synth(repo, env)).status).toBe(0);
    stubs[1].answer = 'not-found';
    const before = treeDigest(repo);
    // WHEN
    const result = await synth(repo, env);
    // THEN
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/^synth: .*clusters\/west\.yaml over .*config\.yaml: .*not found/m);
    expect(treeDigest(repo)).toEqual(before);
  });
});
