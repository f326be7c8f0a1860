import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@iarna/toml';
import { canonical } from '../../agent/config-edit';
import { ROOT } from '../support/run';
import { buildOciLayout, describeWithTools, runInNamespaces, shippedNodeSetup } from '../support/real-tools';
import { tempDir, type Manifest } from '../support/synth';

/**
 * Real components: Debian's containerd 1.6, docker-registry, skopeo and umoci, in network, mount
 * and PID namespaces this test creates. The registry listens on the stand-in ClusterIP 192.0.2.10
 * (TEST-NET-1) on a veth pair kept inside the namespace; no packet leaves the machine.
 */
const HERE = join(ROOT, 'test', 'real');
const CONFIGS = join(HERE, 'node-configs');
const describeReal = describeWithTools(
  ['containerd', 'ctr', 'docker-registry', 'skopeo', 'umoci', 'unshare', 'ip'],
  true,
);

interface NodeRun {
  readonly work: string;
  readonly rc: { first: number; second: number; cleanup?: number };
  readonly stderr: string;
  readonly restarts: { first: number; second: number };
  readonly filesFirst: string;
  readonly filesSecond: string;
  readonly filesBefore: string;
  readonly dumpBefore: Record<string, unknown>;
  readonly dumpAfter: Record<string, unknown>;
  readonly without: { ip: { ok: boolean; error?: string }; name: { ok: boolean; error?: string } };
  readonly withAgent: {
    ip: { ok: boolean; error?: string };
    name: { ok: boolean; error?: string };
    cri: string;
  };
  readonly configAfter?: string;
}

let agentDir = '';
let imageLayout = '';
let daemonSet: Manifest;

function read(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

function runNode(
  scenario: string,
  options: { config?: string; late?: string; cleanup?: boolean; agent?: string } = {},
): NodeRun {
  const work = tempDir(`node-${scenario}-`);
  runInNamespaces(
    join(HERE, 'node-harness.sh'),
    [work, options.agent ?? agentDir, options.config ? join(CONFIGS, options.config) : 'none', imageLayout],
    { LATE_CONFIG: options.late ? join(CONFIGS, options.late) : '', RUN_CLEANUP: options.cleanup ? '1' : '' },
  );
  const num = (f: string) => Number(read(join(work, f)).trim());
  return {
    work,
    rc: {
      first: num('agent-first.rc'),
      second: num('agent-second.rc'),
      cleanup: options.cleanup ? num('agent-cleanup.rc') : undefined,
    },
    stderr: read(join(work, 'agent-first.err')),
    restarts: { first: num('restarts-after-first'), second: num('restarts-after-second') },
    filesFirst: read(join(work, 'files-first.sha')),
    filesSecond: read(join(work, 'files-second.sha')),
    filesBefore: read(join(work, 'files-before.sha')),
    dumpBefore: parse(read(join(work, 'dump-before.toml'))),
    dumpAfter: parse(read(join(work, 'dump-after.toml')) || ''),
    without: JSON.parse(read(join(work, 'pulls-without-agent.json'))),
    withAgent: JSON.parse(read(join(work, 'pulls-with-agent.json'))),
    configAfter: existsSync(join(work, 'etc', 'config.toml'))
      ? read(join(work, 'etc', 'config.toml'))
      : undefined,
  };
}

/** The dump without the CRI registry tables: equal means no setting outside them changed. */
function outsideRegistry(dump: Record<string, unknown>): string {
  const copy = structuredClone(dump) as {
    imports?: string[];
    plugins?: Record<string, Record<string, unknown>>;
  };
  delete copy.plugins?.['io.containerd.grpc.v1.cri']?.registry;
  // `imports` lists the file the dump was loaded from: bookkeeping, not a setting.
  copy.imports = copy.imports?.filter((f) => f !== '/etc/containerd/config.toml');
  return canonical(copy);
}

function expectWorkingNode(run: NodeRun): void {
  expect(run.stderr).toBe('');
  expect(run.rc).toMatchObject({ first: 0, second: 0 });
  expect(run.withAgent.cri).toBe('ok');
  expect(run.withAgent.ip).toMatchObject({ ok: true });
  expect(run.withAgent.name).toMatchObject({ ok: true });
  expect(outsideRegistry(run.dumpAfter)).toBe(outsideRegistry(run.dumpBefore));
  // idempotent: the second run changes no file and restarts nothing
  expect(run.filesSecond).toBe(run.filesFirst);
  expect(run.restarts.second).toBe(run.restarts.first);
}

describeReal('node setup on a real containerd (network namespace, TEST-NET-1 ClusterIP 192.0.2.10)', () => {
  beforeAll(() => {
    // GIVEN: the ConfigMap's files of a fresh synth for the stand-in ClusterIP, as the DaemonSet mounts them
    ({ agentDir, daemonSet } = shippedNodeSetup());
    imageLayout = buildOciLayout();
  }, 120000);

  test('the harness runs the agent with the DaemonSet’s own command, paths and mounts', () => {
    const init = daemonSet.spec.template.spec.initContainers[0];
    const env = Object.fromEntries(init.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(init.command).toEqual(['node', '/agent/agent.js']);
    expect(env).toMatchObject({
      AGENT_PLAN_DIR: '/agent',
      HOST_ROOT: '/host',
      MOUNTED_HOST_PATHS: '/etc/containerd',
    });
    expect(init.volumeMounts).toContainEqual({ name: 'host-0', mountPath: '/host/etc/containerd' });
    expect(readFileSync(join(HERE, 'node-env.sh'), 'utf8')).toContain(
      'HOST_ROOT=/host MOUNTED_HOST_PATHS=/etc/containerd',
    );
  });

  test('(a) containerd config default with SystemdCgroup and a custom sandbox image: pulls work, nothing lost', () => {
    const run = runNode('a', { config: 'a-default-systemd.toml' });
    // THEN: without the agent the same pulls fail, so this test can fail
    expect(run.without.ip.error).toMatch(/server gave HTTP response to HTTPS client/);
    expect(run.without.name.error).toMatch(/no such host|lookup internal-registry/);
    expectWorkingNode(run);
    expect(run.restarts.first).toBe(1);
    const cri = (run.dumpAfter.plugins as Record<string, Record<string, any>>)['io.containerd.grpc.v1.cri']; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(cri.sandbox_image).toBe('registry.k8s.io/pause:3.9');
    expect(cri.containerd.runtimes.runc.options.SystemdCgroup).toBe(true);
    expect(cri.registry.config_path).toBe('/etc/containerd/certs.d');
    expect(existsSync(join(run.work, 'etc', 'config.toml.internal-registry.bak'))).toBe(true);
  });

  test('(b) no config.toml: a minimal version 2 file with only the registry setting', () => {
    const run = runNode('b');
    expectWorkingNode(run);
    expect(run.configAfter).toBe(
      'version = 2\n\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
    );
  });

  test('(c) the seed’s legacy mirrors and a docker.io mirror: migrated to hosts files, removed in the same change', () => {
    const run = runNode('c', { config: 'c-seed-legacy.toml' });
    expectWorkingNode(run);
    expect(run.configAfter).not.toMatch(/registry\.mirrors|registry\.configs/);
    expect(run.configAfter).toContain('SystemdCgroup = true');
    const dockerHosts = read(join(run.work, 'etc', 'certs.d', 'docker.io', 'hosts.toml'));
    expect(parse(dockerHosts)).toEqual({
      server: 'https://registry-1.docker.io',
      host: {
        'https://mirror.example.com': { capabilities: ['pull', 'resolve'] },
        'https://registry-1.docker.io': { capabilities: ['pull', 'resolve'] },
      },
    });
  });

  test('(d) a hand-written config with comments and odd spacing keeps every other line as it was', () => {
    const before = readFileSync(join(CONFIGS, 'd-hand-written.toml'), 'utf8');
    const run = runNode('d', { config: 'd-hand-written.toml' });
    expectWorkingNode(run);
    expect(run.configAfter).toBe(
      `${before}\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n`,
    );
  });

  test('(e) config_path already set to another dir: the hosts files go there, config.toml is untouched', () => {
    const run = runNode('e', { config: 'e-config-path-set.toml' });
    expectWorkingNode(run);
    expect(run.restarts.first).toBe(0);
    expect(run.configAfter).toBe(readFileSync(join(CONFIGS, 'e-config-path-set.toml'), 'utf8'));
    expect(existsSync(join(run.work, 'etc', 'registries.d', '192.0.2.10:5000', 'hosts.toml'))).toBe(true);
  });

  test('(f) malformed TOML: the file is left byte-for-byte, the agent says why, containerd still runs', () => {
    const run = runNode('f', { late: 'f-malformed.toml' });
    expect(run.rc.first).toBe(1);
    expect(run.stderr).toMatch(/^node-setup: the containerd config was left as it is: it is not valid TOML/);
    expect(read(join(run.work, 'termination-log-first'))).toMatch(/not valid TOML/);
    expect(run.filesBefore).not.toBe('');
    expect(run.filesFirst).toBe(run.filesBefore);
    expect(run.configAfter).toBe(readFileSync(join(CONFIGS, 'f-malformed.toml'), 'utf8'));
    expect(run.restarts.first).toBe(0);
    expect(run.withAgent.cri).toBe('ok');
  });

  test('(g) a version 3 config on containerd 1.6: refused after the node’s own `config dump`, file unchanged', () => {
    // containerd 1.6 dumps a version 3 file with exit 0 and no config_path; a real containerd 2.x is
    // not packaged for this machine, so the version 3 edit is proven only up to that dump.
    const run = runNode('g', { late: 'g-version-3.toml' });
    expect(run.rc.first).toBe(1);
    expect(run.stderr).toMatch(/would not apply the change \(config_path dumps as ""/);
    expect(run.configAfter).toBe(readFileSync(join(CONFIGS, 'g-version-3.toml'), 'utf8'));
    // nothing written at all: no hosts files, no backup, no state
    expect(run.filesFirst).toBe(run.filesBefore);
    expect(run.restarts.first).toBe(0);
    expect(run.withAgent.cri).toBe('ok');
  });

  test('legacy mode: the seed’s mirror tables, every name pointing at the IP; pulls work, nothing lost', () => {
    const legacy = shippedNodeSetup({ nodeSetup: { mode: 'legacy' } }).agentDir;
    const run = runNode('legacy', { config: 'a-default-systemd.toml', agent: legacy });
    expectWorkingNode(run);
    const registry = (run.dumpAfter.plugins as any)['io.containerd.grpc.v1.cri'].registry; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(registry.config_path).toBe('');
    expect(registry.mirrors['internal-registry.kube-system.svc.cluster.local:5000'].endpoint).toEqual([
      'http://192.0.2.10:5000',
    ]);
    expect(registry.configs['192.0.2.10:5000'].tls.insecure_skip_verify).toBe(true);
  });

  test('legacy mode is refused where config_path is set (mirrors next to it would stop the CRI plugin)', () => {
    const legacy = shippedNodeSetup({ nodeSetup: { mode: 'legacy' } }).agentDir;
    const run = runNode('legacy-refused', { config: 'e-config-path-set.toml', agent: legacy });
    expect(run.rc.first).toBe(1);
    expect(run.stderr).toMatch(/legacy mode was refused: the node sets registry\.config_path/);
    expect(run.filesFirst).toBe(run.filesBefore);
    expect(run.withAgent.cri).toBe('ok');
  });

  test('cleanup removes what the agent added and restores config.toml from its backup', () => {
    const run = runNode('cleanup', { config: 'a-default-systemd.toml', cleanup: true });
    expect(run.rc.cleanup).toBe(0);
    expect(read(join(run.work, 'files-after-cleanup.sha'))).toBe(read(join(run.work, 'files-before.sha')));
  });
});
