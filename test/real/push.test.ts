import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from '../support/run';
import { buildOciLayout, describeWithTools } from '../support/real-tools';
import { tempDir } from '../support/synth';

const describeReal = describeWithTools(['docker-registry', 'skopeo', 'umoci', 'kubectl']);
const describeNetns = describeWithTools(['docker-registry', 'skopeo', 'umoci', 'unshare', 'ip'], true);
const SCRIPT = join(ROOT, 'scripts', 'push-image.sh');

/** A port that nothing listens on now (the kernel's pick, closed again). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function push(args: string[], env: Record<string, string>) {
  return spawnSync('bash', [SCRIPT, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', PORT_FORWARD: '0', ...env },
  });
}

/** Fails with the tools' own output (skopeo's, kubectl's) rather than a bare exit code. */
function expectSuccess(result: SpawnSyncReturns<string>): void {
  if (result.status !== 0) throw new Error(`push exited ${result.status}:\n${result.stderr}${result.stdout}`);
}

function registryConfig(dir: string, addr: string): string {
  const file = join(dir, 'config.yml');
  writeFileSync(
    file,
    `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: ${addr}\n`,
  );
  return file;
}

describeReal('npm run push against Debian’s docker-registry on loopback (the port-forward’s end)', () => {
  let registry: ChildProcess;
  let host: string;
  let log = '';
  const tags = async (repository: string) => {
    const response = await fetch(`http://${host}/v2/${repository}/tags/list`);
    return response.ok ? ((await response.json()) as { tags: string[] }).tags : response.status;
  };

  beforeAll(async () => {
    const dir = tempDir('push-registry-');
    // The registry binds the port itself (:0 is not possible with its config): retry on a clash.
    for (let attempt = 0; attempt < 5; attempt++) {
      host = `127.0.0.1:${await closedPort()}`;
      registry = spawn('docker-registry', ['serve', registryConfig(dir, host)], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      registry.stderr?.on('data', (chunk) => (log += String(chunk)));
      for (let i = 0; i < 50 && registry.exitCode === null; i++) {
        const up = await fetch(`http://${host}/v2/`).then(
          (r) => r.ok,
          () => false,
        );
        if (up) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      registry.kill();
    }
    throw new Error(`docker-registry did not start:\n${log.slice(-3000)}`);
  }, 60000);

  afterAll(() => registry?.kill());

  test('pushes an OCI layout as <repository>:<tag>, which the registry then serves', async () => {
    const result = push([`${buildOciLayout()}:latest`, 'easy-kanban:latest'], { PUSH_REGISTRY: host });
    expectSuccess(result);
    expect(result.stdout).toContain(`pushed easy-kanban:latest to ${host}`);
    expect(await tags('easy-kanban')).toEqual(['latest']);
  });

  test('pushes an OCI archive too', async () => {
    const layout = buildOciLayout('v2\n');
    const archive = join(tempDir(), 'image.tar');
    spawnSync('tar', ['-cf', archive, '-C', layout, '.']);
    expectSuccess(push([archive, 'team/app:v2'], { PUSH_REGISTRY: host }));
    expect(await tags('team/app')).toEqual(['v2']);
  });

  test('takes an OCI archive for one even when tar lists on after the oci-layout entry (the flaky SIGPIPE)', async () => {
    // GIVEN: oci-layout first, then a listing far longer than a pipe's buffer
    const layout = buildOciLayout('long\n');
    const extra = join(layout, 'zz-padding');
    mkdirSync(extra);
    for (let i = 0; i < 3000; i++) writeFileSync(join(extra, `file-${'x'.repeat(40)}-${i}`), '');
    const archive = join(tempDir(), 'long.tar');
    const tar = spawnSync('tar', [
      '-cf',
      archive,
      '-C',
      layout,
      'oci-layout',
      'index.json',
      'blobs',
      'zz-padding',
    ]);
    expect(tar.status).toBe(0);
    // WHEN / THEN
    expectSuccess(push([archive, 'team/long:v1'], { PUSH_REGISTRY: host }));
    expect(await tags('team/long')).toEqual(['v1']);
  });

  test('fails at once with kubectl’s own message when the port-forward cannot start, and pushes nothing anywhere', async () => {
    // GIVEN: a kubeconfig whose API server does not answer, and a registry at PUSH_REGISTRY
    const kubeconfig = join(tempDir(), 'kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:${await closedPort()}'}}]\n` +
        `users: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`,
    );
    // WHEN
    const result = push([buildOciLayout(), 'never/pushed:v1'], {
      PORT_FORWARD: '1',
      PUSH_REGISTRY: host,
      KUBECONFIG: kubeconfig,
    });
    // THEN
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/connection refused|[Uu]nable to connect to the server/); // kubectl's words
    expect(result.stderr).toContain(
      'push: kubectl port-forward -n kube-system deployment/internal-registry :5001 did not start; nothing was pushed',
    );
    expect(await tags('never/pushed')).toBe(404);
  });

  test('port-forwards through the context the config names (a cluster file’s discovery.context), not the current one', async () => {
    // GIVEN: a kubeconfig whose current context is another cluster; the config names context "east"
    const [currentPort, eastPort] = [await closedPort(), await closedPort()];
    const dir = tempDir();
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nusers: [{name: u, user: {token: t}}]\nclusters:\n` +
        `  - {name: other, cluster: {server: 'https://127.0.0.1:${currentPort}'}}\n` +
        `  - {name: east, cluster: {server: 'https://127.0.0.1:${eastPort}'}}\n` +
        `contexts: [{name: other, context: {cluster: other, user: u}}, {name: east, context: {cluster: east, user: u}}]\n` +
        `current-context: other\n`,
    );
    writeFileSync(join(dir, 'config.yaml'), 'discovery:\n  context: east\n');
    // WHEN
    const result = push([buildOciLayout(), 'never/pushed:v2'], {
      PORT_FORWARD: '1',
      PUSH_REGISTRY: host,
      KUBECONFIG: kubeconfig,
      SYNTH_CONFIG: join(dir, 'config.yaml'),
    });
    // THEN: kubectl tried east's API server only
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`127.0.0.1:${eastPort}`);
    expect(result.stderr).not.toContain(`127.0.0.1:${currentPort}`);
    expect(result.stderr).toContain('push: kubectl port-forward --context east -n kube-system');
    expect(await tags('never/pushed')).toBe(404);
  });

  test('bad arguments get a clear error', () => {
    expect(push(['/nonexistent', 'easy-kanban:latest'], { PUSH_REGISTRY: host }).stderr).toContain(
      "push: '/nonexistent' is neither an OCI layout nor an image archive",
    );
    const bad = push([buildOciLayout(), 'Easy Kanban'], { PUSH_REGISTRY: host });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("push: 'Easy Kanban' is not <repository>:<tag>");
  });
});

describeNetns('npm run push to a registry beyond loopback', () => {
  test('verifies TLS: a plain-HTTP registry at a TEST-NET address is refused, nothing pushed', () => {
    // GIVEN: a plain-HTTP registry on 192.0.2.1 (a veth pair inside a network namespace)
    const dir = tempDir('push-netns-');
    const config = registryConfig(dir, '192.0.2.1:5000');
    const script = [
      'set -e; ip link set lo up',
      'ip link add veth-reg type veth peer name veth-peer && ip addr add 192.0.2.1/24 dev veth-reg',
      'ip link set veth-reg up && ip link set veth-peer up',
      `docker-registry serve ${config} > ${dir}/registry.log 2>&1 &`,
      'for _ in $(seq 50); do (exec 3<>/dev/tcp/192.0.2.1/5000) 2>/dev/null && break; sleep 0.1; done',
      `PORT_FORWARD=0 PUSH_REGISTRY=192.0.2.1:5000 bash ${SCRIPT} ${buildOciLayout()}:latest easy-kanban:latest || echo "rc=$?"`,
      'curl -s -o /dev/null -w "catalog=%{http_code}" http://192.0.2.1:5000/v2/easy-kanban/tags/list',
    ].join('\n');
    // WHEN
    const result = spawnSync('unshare', ['--net', 'bash', '-c', script], { encoding: 'utf8' });
    // THEN: skopeo spoke TLS to it, in its own words
    expect(result.stdout).toContain('rc=1');
    expect(result.stderr).toMatch(/server gave HTTP response to HTTPS client/);
    expect(result.stdout).toContain('catalog=404');
  });
});
