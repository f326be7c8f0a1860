import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiServerStub } from './support/api-server-stub';
import { daemonSet, deployment, pod, podList } from './support/cluster-objects';
import { runBundleAsync } from './support/run';
import { tempDir } from './support/synth';

const runDoctor = (env: Record<string, string>) => runBundleAsync('doctor.js', env);

describe('npm run doctor against a local API-server stub (real API paths and response shapes; no real API server runs here)', () => {
  let stub: ApiServerStub;
  let env: Record<string, string>;

  const PUSH_PATH =
    '/api/v1/namespaces/kube-system/services/internal-registry:registry/proxy/v2/internal-registry-doctor/push-check/blobs/uploads/';
  /** The registry behind the Service, as docker-registry 2.8 answers the start of a push. */
  const READ_ONLY = { status: 405, headers: { allow: 'GET, HEAD' }, body: 'Method not allowed\n' };
  const WRITABLE = {
    status: 202,
    headers: { location: '/v2/internal-registry-doctor/push-check/blobs/uploads/5e1f?_state=x' },
    body: '',
  };

  async function cluster(
    clusterIP: string,
    appImage: string,
    nodeSetupReady: [boolean, boolean],
    push: { status: number; headers?: Record<string, string>; body: string } = READ_ONLY,
  ) {
    stub = new ApiServerStub('service', clusterIP);
    const url = await stub.start();
    stub.postRoutes.set(PUSH_PATH, push);
    const registry = { app: 'internal-registry' };
    const nodeSetup = { app: 'internal-registry-node-setup' };
    stub.routes.set(
      '/api/v1/namespaces/kube-system/pods?labelSelector=app=internal-registry',
      podList([pod('internal-registry-7d9c-abcde', 'k8s', true, registry)]),
    );
    stub.routes.set(
      '/apis/apps/v1/namespaces/kube-system/daemonsets/internal-registry-node-setup',
      daemonSet('internal-registry-node-setup', 2, nodeSetupReady.filter(Boolean).length),
    );
    stub.routes.set(
      '/api/v1/namespaces/kube-system/pods?labelSelector=app=internal-registry-node-setup',
      podList([
        pod('node-setup-aaaaa', 'k8s', nodeSetupReady[0], nodeSetup),
        pod('node-setup-bbbbb', 'k8s2', nodeSetupReady[1], nodeSetup),
      ]),
    );
    stub.routes.set(
      '/apis/apps/v1/namespaces/easy-kanban/deployments/easy-kanban',
      deployment('easy-kanban', 'easy-kanban', appImage),
    );
    const dir = tempDir('doctor-');
    writeFileSync(
      join(dir, 'config'),
      `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${url}", insecure-skip-tls-verify: true}}]\n` +
        'users: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n',
    );
    env = { KUBECONFIG: join(dir, 'config'), HOME: dir };
  }

  afterEach(() => stub?.stop());

  test('a healthy cluster: every check passes, exit 0', async () => {
    await cluster('10.110.240.233', '10.110.240.233:5000/easy-kanban:latest', [true, true]);
    const result = await runDoctor(env);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        'ok    Service kube-system/internal-registry ClusterIP: 10.110.240.233',
        'ok    a push to Service kube-system/internal-registry: refused (405: the registry behind the Service is read-only)',
        'ok    registry pods (app=internal-registry): 1 of 1 Ready',
        'ok    node k8s: configured (node-setup Ready)',
        'ok    node k8s2: configured (node-setup Ready)',
        'ok    node setup: 2 of 2 nodes Ready',
        'ok    Deployment easy-kanban/easy-kanban image: 10.110.240.233:5000/easy-kanban:latest',
        'doctor: all checks pass',
      ]),
    );
    expect(result.status).toBe(0);
  });

  test('a registry behind the Service that takes pushes: named, the started upload cancelled, exit 1', async () => {
    // GIVEN: a registry of an older version (no read-only reader) behind the Service
    await cluster('10.110.240.233', '10.110.240.233:5000/easy-kanban:latest', [true, true], WRITABLE);
    // WHEN
    const result = await runDoctor(env);
    // THEN
    expect(result.stdout).toContain(
      "FAIL  a push to Service kube-system/internal-registry: accepted (202): any pod can push to the pull address; apply this version's dist/ (a read-only reader behind the Service)",
    );
    expect(result.stdout).toContain('doctor: 1 check(s) failed');
    expect(stub.requests).toContainEqual(
      expect.objectContaining({
        method: 'DELETE',
        path: '/api/v1/namespaces/kube-system/services/internal-registry:registry/proxy/v2/internal-registry-doctor/push-check/blobs/uploads/5e1f?_state=x',
      }),
    );
    expect(result.status).toBe(1);
  });

  test('a Service proxy that cannot reach the registry: the push check says it could not check, exit 1', async () => {
    await cluster('10.110.240.233', '10.110.240.233:5000/easy-kanban:latest', [true, true], {
      status: 503,
      body: '{"kind":"Status","code":503,"message":"no endpoints available for service \\"internal-registry:registry\\""}',
    });
    const result = await runDoctor(env);
    expect(result.stdout).toContain(
      "FAIL  a push to Service kube-system/internal-registry: could not be checked: the API server's Service proxy answered 503",
    );
    expect(result.status).toBe(1);
  });

  test('a wrong ClusterIP, an app on the old address and a node not set up: named, exit 1', async () => {
    await cluster('10.110.240.234', '10.110.240.234:5000/easy-kanban:latest', [true, false]);
    const result = await runDoctor(env);
    expect(result.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        'FAIL  Service kube-system/internal-registry ClusterIP: 10.110.240.234, but the config says 10.110.240.233',
        'FAIL  node k8s2: not configured: node-setup pod node-setup-bbbbb is not Ready',
        'FAIL  node setup: 1 of 2 nodes Ready',
        'FAIL  Deployment easy-kanban/easy-kanban image: 10.110.240.234:5000/easy-kanban:latest, expected 10.110.240.233:5000/easy-kanban:latest',
        'doctor: 4 check(s) failed',
      ]),
    );
    expect(result.status).toBe(1);
  });

  test('no cluster to ask: exit 3 and why', async () => {
    const result = await runDoctor({ HOME: tempDir() });
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('doctor: no cluster to check: no KUBECONFIG, no ~/.kube/config');
  });
});
