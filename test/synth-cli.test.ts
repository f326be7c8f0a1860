import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesKubectlReads } from './support/kubectl';
import { requireTools } from './support/real-tools';
import { fingerprint, ROOT, runSynth, SHIPPED_CONFIG } from './support/run';
import { readManifestDir, tempDir } from './support/synth';

function synthInto(env: Record<string, string> = {}): string {
  const out = join(tempDir(), 'dist');
  const result = runSynth({ CDK8S_OUTDIR: out, ...env });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return out;
}

function lines(dir: string): string[] {
  return readManifestDir(dir).flatMap((f) => f.text.split('\n').map((l) => `${f.file}: ${l}`));
}

describe('npm run synth', () => {
  test('two synths write byte-identical files', () => {
    expect(fingerprint(synthInto())).toEqual(fingerprint(synthInto()));
  });

  test('the committed dist/ equals a fresh synth of the shipped config', () => {
    expect(fingerprint(join(ROOT, 'dist'))).toEqual(fingerprint(synthInto({ SYNTH_CONFIG: SHIPPED_CONFIG })));
  });

  test('writes only Kubernetes manifests, named after the charts in apply order', () => {
    const files = readManifestDir(synthInto());
    expect(files.map((f) => f.file)).toEqual([
      '0000-registry.k8s.yaml',
      '0001-node-setup.k8s.yaml',
      '0002-app-easy-kanban.k8s.yaml',
    ]);
    for (const f of files) for (const o of f.objects) expect(o).toHaveProperty('apiVersion');
  });

  test('REGISTRY_CLUSTER_IP changes only the values derived from the address', () => {
    // GIVEN
    const before = lines(synthInto());
    // WHEN
    const after = lines(synthInto({ REGISTRY_CLUSTER_IP: '192.0.2.10' }));
    // THEN
    const removed = before.filter((l) => !after.includes(l));
    const added = after.filter((l) => !before.includes(l));
    const derived = (ip: string) => (line: string) =>
      line.includes(ip) || line.includes(ip.replace(/\./g, '_')) || line.includes('config-hash:');
    expect(removed.length).toBeGreaterThan(0);
    expect(removed.filter((l) => !derived('10.110.240.233')(l))).toEqual([]);
    expect(added.filter((l) => !derived('192.0.2.10')(l))).toEqual([]);
    expect(added).toEqual(
      expect.arrayContaining([
        '0000-registry.k8s.yaml:   clusterIP: 192.0.2.10',
        '0002-app-easy-kanban.k8s.yaml:         - image: 192.0.2.10:5000/easy-kanban:latest',
        '0001-node-setup.k8s.yaml:     server = "http://192.0.2.10:5000"',
        '0001-node-setup.k8s.yaml:   hosts_192.0.2.10_5000.toml: |',
      ]),
    );
  });

  test('kubectl reads the files in an order that creates each Namespace before anything in it', () => {
    // GIVEN
    const out = synthInto();
    // WHEN: kubectl with an API server that refuses at once names each file as it reads it
    requireTools('kubectl');
    const filesRead = filesKubectlReads(out);
    // THEN
    expect(filesRead).toEqual(readManifestDir(out).map((f) => f.file));
    const seen = new Set<string>(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
    for (const file of filesRead) {
      for (const o of readManifestDir(out).find((f) => f.file === file)!.objects) {
        if (o.kind === 'Namespace') seen.add(o.metadata.name);
        else expect(seen).toContain(o.metadata.namespace);
      }
    }
  });
});

describe('bad input stops synth and leaves the last good output untouched', () => {
  const cases: Array<[string, string, Record<string, string>, RegExp]> = [
    ['an unknown key', 'registry:\n  clusterIp: 10.0.0.1\n', {}, /registry\.clusterIp: unknown key/],
    [
      'an IP that is not a literal',
      '{}',
      { REGISTRY_CLUSTER_IP: '10.110.240' },
      /registry\.clusterIP \(from REGISTRY_CLUSTER_IP\): '10\.110\.240' is not an IPv4 or IPv6 address/,
    ],
    [
      'a port outside 1-65535',
      'registry:\n  port: 70000\n',
      {},
      /registry\.port: 70000 is not a whole number from 1 to 65535/,
    ],
    [
      'a name that is not a DNS-1123 label',
      'apps:\n  - name: Easy_Kanban\n',
      {},
      /apps\[0\]\.name: 'Easy_Kanban' is not a DNS-1123 label/,
    ],
    [
      'an impossible image reference',
      'apps:\n  - name: a\n    image: "a b"\n',
      {},
      /apps\[0\]\.image: 'a b' is not a repository path/,
    ],
    ['an empty app list', 'apps: []\n', {}, /apps: is empty/],
    ['a file that is not YAML', 'registry: [\n', {}, /YAML syntax/],
  ];

  test.each(cases)('%s', (_name, file, env, message) => {
    // GIVEN: a good output folder
    const out = synthInto();
    const before = fingerprint(out);
    const config = join(tempDir(), 'config.yaml');
    writeFileSync(config, file);
    // WHEN
    const result = runSynth({ CDK8S_OUTDIR: out, SYNTH_CONFIG: config, ...env });
    // THEN
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('the last good output is unchanged');
    expect(fingerprint(out)).toEqual(before);
  });

  test('several errors come in one run', () => {
    const config = join(tempDir(), 'config.yaml');
    writeFileSync(config, 'registry:\n  port: 0\n  name: X\napps: []\n');
    const result = runSynth({ CDK8S_OUTDIR: join(tempDir(), 'dist'), SYNTH_CONFIG: config });
    expect(result.stderr).toContain('the config has 3 problems');
  });

  test('the warning about a ClusterIP in the dynamic range goes to stderr and synth succeeds', () => {
    const out = join(tempDir(), 'dist');
    const result = runSynth({ CDK8S_OUTDIR: out, REGISTRY_SERVICE_CIDR: '10.96.0.0/12' });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(
      /^warning: registry\.clusterIP: '10\.110\.240\.233' lies in the dynamic part/,
    );
    expect(readFileSync(join(out, '0000-registry.k8s.yaml'), 'utf8')).toContain('clusterIP: 10.110.240.233');
  });
});
