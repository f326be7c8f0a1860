import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from '../support/run';
import { buildOciLayout, describeWithTools } from '../support/real-tools';
import { tempDir } from '../support/synth';

const describeReal = describeWithTools(['docker-registry', 'skopeo', 'umoci']);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function push(args: string[], env: Record<string, string>) {
  return spawnSync('bash', [join(ROOT, 'scripts', 'push-image.sh'), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', PORT_FORWARD: '0', ...env },
  });
}

describeReal('npm run push against Debian’s docker-registry on loopback (the port-forward’s end)', () => {
  let registry: ChildProcess;
  let host: string;

  beforeAll(async () => {
    const port = await freePort();
    host = `127.0.0.1:${port}`;
    const dir = tempDir('push-registry-');
    // Like the registry:2 image's own config (Debian's ships htpasswd auth).
    writeFileSync(
      join(dir, 'config.yml'),
      `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: ${host}\n`,
    );
    registry = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      const up = await fetch(`http://${host}/v2/`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('docker-registry did not start');
  }, 60000);

  afterAll(() => registry?.kill());

  test('pushes an OCI layout as <repository>:<tag>, which the registry then serves', async () => {
    const result = push([`${buildOciLayout()}:latest`, 'easy-kanban:latest'], { PUSH_REGISTRY: host });
    expect(result.stderr).not.toMatch(/FATA|error/i);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`pushed easy-kanban:latest to ${host}`);
    const tags = await (await fetch(`http://${host}/v2/easy-kanban/tags/list`)).json();
    expect(tags).toEqual({ name: 'easy-kanban', tags: ['latest'] });
  });

  test('pushes an OCI archive too', async () => {
    const layout = buildOciLayout('v2\n');
    const archive = join(tempDir(), 'image.tar');
    spawnSync('tar', ['-cf', archive, '-C', layout, '.']);
    const result = push([archive, 'team/app:v2'], { PUSH_REGISTRY: host });
    expect(result.status).toBe(0);
    const tags = (await (await fetch(`http://${host}/v2/team/app/tags/list`)).json()) as { tags: string[] };
    expect(tags.tags).toEqual(['v2']);
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
