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

  async function cluster(clusterIP: string, appImage: string, nodeSetupReady: [boolean, boolean]) {
    stub = new ApiServerStub('service', clusterIP);
    const url = await stub.start();
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
