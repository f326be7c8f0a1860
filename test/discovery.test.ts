import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitCodeOf } from '../lib/cli/cli-errors';
import type { LookupResult } from '../lib/discovery/service-lookup';
import { DiscoveryError, resolveRegistryAddress } from '../lib/discovery/resolve-registry-address';
import { ApiServerStub, type StubAnswer } from './support/api-server-stub';
import { requireTools } from './support/real-tools';
import { fingerprint, runSynth, runSynthAsync } from './support/run';
import { configOf, readManifestDir, tempDir, type Manifest } from './support/synth';

const cluster = { server: 'https://10.0.0.1:6443', context: 'prod' };

describe('resolveRegistryAddress (pure, with a fake lookup)', () => {
  const resolveWith = (raw: unknown, result: LookupResult) => {
    const warnings: string[] = [];
    let calls = 0;
    const lookup = () => async () => {
      calls++;
      return result;
    };
    return resolveRegistryAddress(configOf(raw), {}, lookup, (w) => warnings.push(w)).then(
      (address) => ({ address, warnings, calls }),
      (error: unknown) => ({ error, warnings, calls }),
    );
  };

  test('pinned never loads the Kubernetes client', async () => {
    const { address, calls } = (await resolveWith({}, { ok: true, clusterIP: '192.0.2.77', cluster })) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(calls).toBe(0);
    expect(address).toMatchObject({ clusterIP: '10.110.240.233', source: 'pinned' });
  });

  test('discover uses the live ClusterIP and says when it differs from the pinned one', async () => {
    const r = (await resolveWith(
      { discovery: { source: 'discover' } },
      { ok: true, clusterIP: '192.0.2.77', cluster },
    )) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(r.address).toMatchObject({
      clusterIP: '192.0.2.77',
      source: 'discovered',
      ipHost: '192.0.2.77:5000',
    });
    expect(r.warnings).toEqual([
      expect.stringContaining('differs from the pinned registry.clusterIP 10.110.240.233'),
    ]);
  });

  test('a failed discover names the cluster, what went wrong and what to do, with exit code 3', async () => {
    const r = (await resolveWith(
      { discovery: { source: 'discover' } },
      { ok: false, failure: 'forbidden', detail: 'services "internal-registry" is forbidden', cluster },
    )) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(r.error).toBeInstanceOf(DiscoveryError);
    expect(exitCodeOf(r.error)).toBe(3);
    expect(r.error.message).toBe(
      'could not read Service kube-system/internal-registry from cluster https://10.0.0.1:6443 (context prod): ' +
        'forbidden: services "internal-registry" is forbidden; allow `get` on services in the registry namespace ' +
        '(kubectl auth can-i get services -n <namespace>), or use REGISTRY_IP_SOURCE=pinned',
    );
  });

  test('auto falls back to the pinned address and says so', async () => {
    const r = (await resolveWith(
      { discovery: { source: 'auto' } },
      { ok: false, failure: 'unreachable', detail: 'connect ECONNREFUSED', cluster },
    )) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(r.address).toMatchObject({ clusterIP: '10.110.240.233', source: 'pinned' });
    expect(r.warnings).toEqual([
      expect.stringMatching(
        /unreachable: connect ECONNREFUSED.*falling back to the pinned registry\.clusterIP 10\.110\.240\.233/,
      ),
    ]);
  });

  test('an answer that is not an IP is refused', async () => {
    const r = (await resolveWith(
      { discovery: { source: 'discover' } },
      { ok: true, clusterIP: 'bogus', cluster },
    )) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(r.error.message).toContain("invalid: clusterIP 'bogus' is not an IP address");
  });
});

describe('discovery against a local API-server stub (real API paths and response shapes; no real API server runs here)', () => {
  let work: string;
  const stubs: ApiServerStub[] = [];

  async function stubAt(answer: StubAnswer, tls?: { key: string; cert: string }) {
    const stub = new ApiServerStub(answer);
    stubs.push(stub);
    return { stub, url: await stub.start(tls) };
  }

  function kubeconfig(currentServer: string, otherServer = 'http://127.0.0.1:9'): string {
    const file = join(tempDir('kube-'), 'config');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- {name: stub, cluster: {server: "${currentServer}", insecure-skip-tls-verify: true}}`,
        `- {name: other, cluster: {server: "${otherServer}", insecure-skip-tls-verify: true}}`,
        'users: [{name: u, user: {token: test-token}}]',
        'contexts:',
        '- {name: stub, context: {cluster: stub, user: u}}',
        '- {name: other, context: {cluster: other, user: u}}',
        'current-context: stub',
        '',
      ].join('\n'),
    );
    return file;
  }

  function goodDist(): string {
    const out = join(tempDir(), 'dist');
    expect(runSynth({ CDK8S_OUTDIR: out }).status).toBe(0);
    return out;
  }

  beforeEach(() => {
    work = tempDir('discovery-');
  });

  afterEach(async () => {
    await Promise.all(stubs.splice(0).map((s) => s.stop()));
  });

  test('REGISTRY_IP_SOURCE=discover puts the live ClusterIP in the Service, the images and the node hosts files', async () => {
    // GIVEN
    const { stub, url } = await stubAt('service');
    const out = join(work, 'dist');
    // WHEN
    const result = await runSynthAsync({
      CDK8S_OUTDIR: out,
      REGISTRY_IP_SOURCE: 'discover',
      KUBECONFIG: kubeconfig(url),
      HOME: work,
    });
    // THEN
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(
      'discovered ClusterIP 192.0.2.77 of kube-system/internal-registry differs from the pinned',
    );
    const objects = readManifestDir(out).flatMap((f) => f.objects);
    const byKind = (kind: string) => objects.filter((o: Manifest) => o.kind === kind);
    expect(byKind('Service')[0].spec.clusterIP).toBe('192.0.2.77');
    expect(
      byKind('Deployment').find((d) => d.metadata.name === 'easy-kanban')!.spec.template.spec.containers[0]
        .image,
    ).toBe('192.0.2.77:5000/easy-kanban:latest');
    const configMap = byKind('ConfigMap').find((c) => c.metadata.name === 'internal-registry-node-setup')!;
    expect(configMap.data['hosts_192.0.2.77_5000.toml']).toContain('server = "http://192.0.2.77:5000"');
    const advertised = byKind('ConfigMap').find((c) => c.metadata.name === 'local-registry-hosting')!;
    expect(advertised.data['localRegistryHosting.v1']).toContain('hostFromContainerRuntime: 192.0.2.77:5000');
    const app = byKind('Deployment').find((d) => d.metadata.name === 'easy-kanban')!;
    for (const o of [byKind('Service')[0], configMap, advertised, app]) {
      expect(o.metadata.annotations['internal-registry.dev/registry-address-source']).toBe('discovered');
    }
    expect(stub.requests).toEqual([
      {
        path: '/api/v1/namespaces/kube-system/services/internal-registry',
        authorization: 'Bearer test-token',
      },
    ]);
  });

  test('two discovered synths are byte-identical (nothing time-dependent in the output)', async () => {
    const { url } = await stubAt('service');
    const env = { REGISTRY_IP_SOURCE: 'discover', KUBECONFIG: kubeconfig(url), HOME: work };
    const [a, b] = [join(work, 'a'), join(work, 'b')];
    await runSynthAsync({ ...env, CDK8S_OUTDIR: a });
    await runSynthAsync({ ...env, CDK8S_OUTDIR: b });
    expect(fingerprint(a)).toEqual(fingerprint(b));
  });

  test('a discovered address changes only what the address and its source decide', async () => {
    // GIVEN: the same IP, pinned and discovered
    const { url } = await stubAt('service');
    const pinned = join(work, 'pinned');
    expect(runSynth({ CDK8S_OUTDIR: pinned, REGISTRY_CLUSTER_IP: '192.0.2.77' }).status).toBe(0);
    // WHEN
    const discovered = join(work, 'discovered');
    await runSynthAsync({
      CDK8S_OUTDIR: discovered,
      REGISTRY_IP_SOURCE: 'discover',
      KUBECONFIG: kubeconfig(url),
      HOME: work,
    });
    // THEN: only the recorded source differs (and the node-setup hash, which covers the ConfigMap)
    const lines = (dir: string) =>
      readManifestDir(dir).flatMap((f) => f.text.split('\n').map((l) => `${f.file}: ${l.trim()}`));
    const [before, after] = [lines(pinned), lines(discovered)];
    const changed = [
      ...before.filter((l) => !after.includes(l)),
      ...after.filter((l) => !before.includes(l)),
    ];
    expect(
      changed.filter((l) => !/registry-address-source: (pinned|discovered)$|config-hash: /.test(l)),
    ).toEqual([]);
    // the registry Service, local-registry-hosting, the node-setup ConfigMap, the app Deployment
    expect(changed.filter((l) => l.endsWith('registry-address-source: discovered'))).toHaveLength(4);
  });

  test('KUBE_CONTEXT selects the context', async () => {
    const { stub, url } = await stubAt('service');
    const result = await runSynthAsync({
      CDK8S_OUTDIR: join(work, 'dist'),
      REGISTRY_IP_SOURCE: 'discover',
      KUBECONFIG: kubeconfig('http://127.0.0.1:9', url),
      KUBE_CONTEXT: 'other',
      HOME: work,
    });
    expect(result.status).toBe(0);
    expect(stub.requests).toHaveLength(1);
  });

  const failures: Array<[StubAnswer | 'unreachable', RegExp]> = [
    ['not-found', /not-found: services "internal-registry" not found; apply dist\/ first/],
    ['forbidden', /forbidden: services "internal-registry" is forbidden: User .*; allow `get` on services/],
    ['slow', /timeout: no answer within 1 s; check the API server, or raise discovery.timeoutSeconds/],
    ['headless', /headless: clusterIP is None; recreate the Service/],
    ['unreachable', /unreachable: .*ECONNREFUSED.*; check the API server's address/],
  ];

  test.each(failures)('discover, %s: exit 3, the cluster named, dist/ untouched', async (answer, message) => {
    // GIVEN
    const url = answer === 'unreachable' ? 'http://127.0.0.1:9' : (await stubAt(answer)).url;
    const out = goodDist();
    const before = fingerprint(out);
    const config = join(work, 'config.yaml');
    writeFileSync(config, 'discovery:\n  timeoutSeconds: 1\n');
    // WHEN
    const started = Date.now();
    const result = await runSynthAsync({
      CDK8S_OUTDIR: out,
      SYNTH_CONFIG: config,
      REGISTRY_IP_SOURCE: 'discover',
      KUBECONFIG: kubeconfig(url),
      HOME: work,
    });
    // THEN
    expect(result.status).toBe(3);
    expect(result.stderr).toContain(`from cluster ${url} (context stub)`);
    expect(result.stderr).toMatch(message);
    expect(fingerprint(out)).toEqual(before);
    expect(Date.now() - started).toBeLessThan(8000); // bounded: the slow stub would answer after 10 s
  });

  test('auto falls back to the pinned address and says so on stderr', async () => {
    const { url } = await stubAt('not-found');
    const out = join(work, 'dist');
    const result = await runSynthAsync({
      CDK8S_OUTDIR: out,
      REGISTRY_IP_SOURCE: 'auto',
      KUBECONFIG: kubeconfig(url),
      HOME: work,
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(
      /falling back to the pinned registry\.clusterIP 10\.110\.240\.233 \(discovery\.source: auto\)/,
    );
    expect(fingerprint(out)).toEqual(fingerprint(goodDist()));
  });

  test('in a pod: the service account token and CA, over HTTPS', async () => {
    // GIVEN: a TLS stub with its own CA, and the service account files under a prefix
    const root = join(work, 'sa');
    const sa = join(root, 'var', 'run', 'secrets', 'kubernetes.io', 'serviceaccount');
    mkdirSync(sa, { recursive: true });
    requireTools('openssl');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(work, 'key.pem'),
        '-out',
        join(sa, 'ca.crt'),
      ],
      { stdio: 'ignore' },
    );
    writeFileSync(join(sa, 'token'), 'in-cluster-token');
    writeFileSync(join(sa, 'namespace'), 'argocd');
    const { stub } = await stubAt('service', {
      key: readFileSync(join(work, 'key.pem'), 'utf8'),
      cert: readFileSync(join(sa, 'ca.crt'), 'utf8'),
    });
    // WHEN
    const result = await runSynthAsync({
      CDK8S_OUTDIR: join(work, 'dist'),
      REGISTRY_IP_SOURCE: 'discover',
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: String(stub.port),
      KUBE_SERVICEACCOUNT_ROOT: root,
      HOME: work,
    });
    // THEN
    expect(result.stderr).not.toMatch(/could not read/);
    expect(result.status).toBe(0);
    expect(stub.requests).toEqual([
      {
        path: '/api/v1/namespaces/kube-system/services/internal-registry',
        authorization: 'Bearer in-cluster-token',
      },
    ]);
    expect(readFileSync(join(work, 'dist', '0000-registry.k8s.yaml'), 'utf8')).toContain(
      'clusterIP: 192.0.2.77',
    );
  });
});
