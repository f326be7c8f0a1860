import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@iarna/toml';
import { canonical } from '../../agent/config-edit';
import { ROOT } from '../support/run';
import { buildOciLayout, describeWithTools, runInNamespaces, shippedNodeSetup } from '../support/real-tools';
import { tempDir, type Manifest } from '../support/synth';

/* eslint-disable @typescript-eslint/no-explicit-any -- dumped TOML and manifests are loosely typed */

/**
 * The node matrix: every node config on each containerd series, a real containerd in network, mount
 * and PID namespaces this test creates, Debian's docker-registry on the stand-in ClusterIP
 * 192.0.2.10 (TEST-NET-1, on a veth pair kept inside the namespace), and the DaemonSet's containers
 * run with their rendered command and environment (see POD_DIFFERENCES). No packet leaves the machine.
 */
export type Series = '1.6' | '1.7' | '2.1';

const HERE = join(ROOT, 'test', 'real');
/** The node fixtures (test/decide.test.ts reads them too). */
export const CONFIGS = join(HERE, 'node-configs');
const CACHE = process.env.CONTAINERD_CACHE ?? join(ROOT, '.cache', 'containerd');

/**
 * Where the test node's environment differs from the pod's, and why; everything else is as rendered.
 * A test checks that the harness runs exactly the rendered env plus these.
 */
export const POD_DIFFERENCES: Readonly<Record<string, { value: (work: string) => string; why: string }>> = {
  PATH: {
    value: () => '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    why: 'the container runtime takes PATH from the image (node:20 sets this one); the DaemonSet does not set it',
  },
  TERMINATION_LOG: {
    value: (work) => join(work, 'termination-log'),
    why: 'Kubernetes mounts /dev/termination-log into each container; the test node has no such mount and the machine’s /dev is not the test’s to write',
  },
};

interface Pulls {
  readonly ip: { ok: boolean; error?: string };
  readonly name: { ok: boolean; error?: string };
  readonly cri: string;
}

export interface NodeRun {
  readonly work: string;
  readonly version: string;
  readonly rc: { first: number; second: number; cleanup: number };
  readonly stderr: string;
  readonly restarts: { first: number; second: number };
  readonly files: { before: string; first: string; second: string; afterCleanup: string };
  readonly srv: { before: string; first: string; afterCleanup: string };
  readonly dumpBefore: any;
  readonly dumpAfter: any;
  readonly without: Pulls;
  readonly withAgent: Pulls;
  readonly ready: { before: number; first: number; second: number };
  readonly systemctl: string;
  readonly criAfterCleanup: string;
  readonly terminationLog: string;
  read(file: string): string;
}

function readIn(work: string, file: string): string {
  return existsSync(join(work, file)) ? readFileSync(join(work, file), 'utf8') : '';
}

/** The init container's env as the harness runs it: the rendered one plus POD_DIFFERENCES. */
export function podEnvironment(daemonSet: Manifest, work: string): Record<string, string> {
  const init = daemonSet.spec.template.spec.initContainers[0];
  const rendered = Object.fromEntries(
    init.env.map((e: { name: string; value: string }) => [e.name, e.value]),
  );
  const differences = Object.fromEntries(Object.entries(POD_DIFFERENCES).map(([k, d]) => [k, d.value(work)]));
  return { ...rendered, ...differences };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function writePodScript(daemonSet: Manifest, work: string): void {
  const spec = daemonSet.spec.template.spec;
  const init = spec.initContainers[0];
  const ready = spec.containers[0];
  const env = podEnvironment(daemonSet, work);
  writeFileSync(
    join(work, 'pod.sh'),
    [
      `POD_ENV=(${Object.entries(env)
        .map(([k, v]) => quote(`${k}=${v}`))
        .join(' ')})`,
      `POD_COMMAND=(${[...init.command, ...(init.args ?? [])].map(quote).join(' ')})`,
      `READY_COMMAND=(${ready.readinessProbe.exec.command.map(quote).join(' ')})`,
      `READY_USER=${Number(ready.securityContext.runAsUser)}`,
      '',
    ].join('\n'),
  );
}

/** The containerd binaries of a series: the machine's own for 1.6, fetched ones for the others. */
export function containerdBinaries(series: Series): string | undefined {
  if (series === '1.6') return undefined;
  const dir = join(CACHE, series);
  if (!existsSync(join(dir, 'usr', 'bin', 'containerd'))) {
    // Normally done by scripts/install-test-deps.sh; a missing build fails the suite.
    execFileSync('bash', [join(ROOT, 'scripts', 'fetch-containerd.sh'), series], { stdio: 'inherit' });
  }
  return dir;
}

export function runNode(
  scenario: string,
  options: {
    series: Series;
    daemonSet: Manifest;
    agentDir: string;
    imageLayout: string;
    files?: string;
    late?: boolean;
  },
): NodeRun {
  const work = tempDir(`node-${options.series}-${scenario}-`);
  writePodScript(options.daemonSet, work);
  const binaries = containerdBinaries(options.series);
  runInNamespaces(
    join(HERE, 'node-harness.sh'),
    [work, options.agentDir, options.files ? join(CONFIGS, options.files) : 'none', options.imageLayout],
    { CONTAINERD_BINARIES: binaries ?? '', LATE_CONFIG: options.late ? '1' : '' },
  );
  const read = (f: string) => readIn(work, f);
  const num = (f: string) => Number(read(f).trim());
  const toml = (f: string) => (read(f) ? parse(read(f)) : {});
  return {
    work,
    version: read('containerd-version').trim(),
    rc: { first: num('agent-first.rc'), second: num('agent-second.rc'), cleanup: num('agent-cleanup.rc') },
    stderr: read('agent-first.err'),
    restarts: { first: num('restarts-after-first'), second: num('restarts-after-second') },
    files: {
      before: read('files-etc-before.sha'),
      first: read('files-first.sha'),
      second: read('files-second.sha'),
      afterCleanup: read('files-after-cleanup.sha'),
    },
    srv: {
      before: read('files-srv-before.sha'),
      first: read('files-srv-first.sha'),
      afterCleanup: read('files-srv-after-cleanup.sha'),
    },
    dumpBefore: toml('dump-before.toml'),
    dumpAfter: toml('dump-after.toml'),
    without: JSON.parse(read('pulls-without-agent.json')),
    withAgent: JSON.parse(read('pulls-with-agent.json')),
    ready: { before: num('ready-before.rc'), first: num('ready-first.rc'), second: num('ready-second.rc') },
    systemctl: read('systemctl.log'),
    criAfterCleanup: read('cri-after-cleanup').trim(),
    terminationLog: read('termination-log'),
    read: (f: string) => read(join('etc', f)),
  };
}

/** The dump without the CRI registry tables, `imports` as a set: equal means no other setting changed. */
export function outsideRegistry(dump: any): string {
  const copy = structuredClone(dump);
  delete copy.plugins?.['io.containerd.grpc.v1.cri']?.registry;
  delete copy.plugins?.['io.containerd.cri.v1.images']?.registry;
  // 1.x lists the files it loaded, in random order, the config itself included: bookkeeping, not a setting
  if (Array.isArray(copy.imports))
    copy.imports = copy.imports.filter((f: string) => f !== '/etc/containerd/config.toml').sort();
  return canonical(copy);
}

/** The CRI registry table of a dump, per series. */
export function dumpedRegistry(dump: any, series: Series): any {
  return series === '2.1'
    ? dump.plugins?.['io.containerd.cri.v1.images']?.registry
    : dump.plugins?.['io.containerd.grpc.v1.cri']?.registry;
}

/** SystemdCgroup and the sandbox image as the series dumps them. */
export function dumpedRuntime(dump: any, series: Series): { systemdCgroup?: boolean; sandbox?: string } {
  if (series === '2.1') {
    return {
      systemdCgroup:
        dump.plugins?.['io.containerd.cri.v1.runtime']?.containerd?.runtimes?.runc?.options?.SystemdCgroup,
      sandbox: dump.plugins?.['io.containerd.cri.v1.images']?.pinned_images?.sandbox,
    };
  }
  const cri = dump.plugins?.['io.containerd.grpc.v1.cri'];
  return {
    systemdCgroup: cri?.containerd?.runtimes?.runc?.options?.SystemdCgroup,
    sandbox: cri?.sandbox_image,
  };
}

export type Outcome = { readonly pass: true } | { readonly pass: false; readonly reason: RegExp };

export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** Under node-configs/: a config file, or a folder with etc/ (and srv/); undefined: no config. */
  readonly files?: (series: Series) => string | undefined;
  /** Placed after containerd started (a file this containerd would not start on). */
  readonly late?: (series: Series) => boolean;
  readonly mode?: 'legacy';
  readonly outcome: (series: Series) => Outcome;
  /** Assertions of this config beyond the common ones. */
  readonly check?: (run: NodeRun, series: Series) => void;
}

const PASS: Outcome = { pass: true };
const refused = (reason: RegExp): Outcome => ({ pass: false, reason });
const v2 = (s: Series) => s !== '2.1';
const file = (name: string) => () => name;

/** What every working node shows. */
function expectWorkingNode(run: NodeRun): void {
  expect(run.stderr).toBe('');
  expect(run.rc).toEqual({ first: 0, second: 0, cleanup: 0 });
  // without the agent the same pulls fail, so this test can fail
  expect(run.without.ip.ok).toBe(false);
  expect(run.without.name.ok).toBe(false);
  expect(run.withAgent).toMatchObject({ cri: 'ok', ip: { ok: true }, name: { ok: true } });
  expect(outsideRegistry(run.dumpAfter)).toBe(outsideRegistry(run.dumpBefore));
  // idempotent: the second run changes no file and restarts nothing
  expect(run.files.second).toBe(run.files.first);
  expect(run.restarts.second).toBe(run.restarts.first);
  // the ready container's readiness probe: not Ready before, Ready after each run
  expect(run.ready.before).not.toBe(0);
  expect(run.ready).toMatchObject({ first: 0, second: 0 });
  // cleanup puts every file and link back as it was, and containerd runs on it
  expect(run.files.afterCleanup).toBe(run.files.before);
  expect(run.srv.afterCleanup).toBe(run.srv.before);
  expect(run.criAfterCleanup).toBe('ok');
}

/** What every refusing node shows: one clear line, nothing changed, containerd still running. */
function expectRefusal(run: NodeRun, reason: RegExp): void {
  expect(run.rc.first).toBe(1);
  expect(run.stderr).toMatch(/^node-setup: /);
  expect(run.stderr).toMatch(reason);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.terminationLog).toMatch(reason);
  expect(run.files.first).toBe(run.files.before);
  expect(run.srv.first).toBe(run.srv.before);
  expect(run.restarts.first).toBe(0);
  expect(run.withAgent.cri).toBe('ok');
  expect(run.ready.first).not.toBe(0);
  expect(run.rc.cleanup).toBe(0);
  expect(run.files.afterCleanup).toBe(run.files.before);
}

const CONFIG_PATH = '/etc/containerd/certs.d';
const freshConfig = (s: Series) =>
  v2(s)
    ? `version = 2\n\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "${CONFIG_PATH}"\n`
    : `version = 3\n\n[plugins."io.containerd.cri.v1.images".registry]\n  config_path = "${CONFIG_PATH}"\n`;
const withRegistryTable = (text: string) =>
  `${text}\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "${CONFIG_PATH}"\n`;
const fixture = (name: string) => readFileSync(join(CONFIGS, name), 'utf8');

/** Lines of `after` that are not at the same place in `before` (same line count expected). */
function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return b.filter((line, i) => line !== a[i]);
}

function expectSettingsKept(run: NodeRun, series: Series): void {
  expect(dumpedRuntime(run.dumpAfter, series)).toEqual(dumpedRuntime(run.dumpBefore, series));
  expect(dumpedRuntime(run.dumpAfter, series).systemdCgroup).toBe(true);
  expect(dumpedRegistry(run.dumpAfter, series).config_path).toBe(CONFIG_PATH);
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'a-default',
    title: '`containerd config default` (1.6) with SystemdCgroup and a custom sandbox image',
    files: file('a-default-systemd.toml'),
    outcome: () => PASS,
    check: (run, s) => {
      expectSettingsKept(run, s);
      expect(dumpedRuntime(run.dumpAfter, s).sandbox).toBe('registry.k8s.io/pause:3.9');
      expect(run.restarts.first).toBe(1);
      expect(readIn(run.work, 'etc-first/config.toml.internal-registry.bak')).toBe(
        fixture('a-default-systemd.toml'),
      );
      expect(
        changedLines(fixture('a-default-systemd.toml'), readIn(run.work, 'etc-first/config.toml')),
      ).toEqual(['      config_path = "/etc/containerd/certs.d"']);
    },
  },
  {
    id: 'b-none',
    title: 'no config file',
    outcome: () => PASS,
    check: (run, s) => {
      // version 2 for 1.x (without it config_path is ignored); version 3 for 2.x (no migration warning)
      expect(readIn(run.work, 'etc-first/config.toml')).toBe(freshConfig(s));
      expect(existsSync(join(run.work, 'etc-first', 'config.toml.internal-registry.bak'))).toBe(false);
      expect(run.files.first).toContain('./certs.d/192.0.2.10:5000/hosts.toml');
      // cleanup removes the file the node did not have
      expect(run.files.afterCleanup).not.toContain('config.toml');
    },
  },
  {
    id: 'c-seed-legacy',
    title: 'the seed’s legacy mirrors and a docker.io mirror',
    files: file('c-seed-legacy.toml'),
    outcome: () => PASS,
    check: (run, s) => {
      expectSettingsKept(run, s);
      expect(dumpedRegistry(run.dumpAfter, s).mirrors ?? {}).toEqual({});
      expect(parse(readIn(run.work, 'etc-first/certs.d/docker.io/hosts.toml'))).toEqual({
        server: 'https://registry-1.docker.io',
        host: {
          'https://mirror.example.com': { capabilities: ['pull', 'resolve'] },
          'https://registry-1.docker.io': { capabilities: ['pull', 'resolve'] },
        },
      });
    },
  },
  {
    id: 'd-hand-written',
    title: 'a hand-written config with comments and odd spacing',
    files: file('d-hand-written.toml'),
    outcome: () => PASS,
    check: (run) => {
      expect(readIn(run.work, 'etc-first/config.toml')).toBe(
        withRegistryTable(fixture('d-hand-written.toml')),
      );
    },
  },
  {
    id: 'e-config-path-set',
    title: 'config_path already set to another folder',
    files: file('e-config-path-set.toml'),
    outcome: () => PASS,
    check: (run) => {
      expect(run.restarts.first).toBe(0);
      expect(readIn(run.work, 'etc-first/config.toml')).toBe(fixture('e-config-path-set.toml'));
      expect(readIn(run.work, 'etc-first/registries.d/192.0.2.10:5000/hosts.toml')).not.toBe('');
    },
  },
  {
    id: 'f-malformed',
    title: 'malformed TOML (written after containerd started)',
    files: file('f-malformed.toml'),
    late: () => true,
    outcome: () => refused(/the containerd config was left as it is: it is not valid TOML/),
  },
  {
    id: 'g-version-3',
    title: 'a version 3 config',
    files: file('g-version-3.toml'),
    // containerd 1.7 does not start on a version 3 file (1.6 starts but ignores its CRI tables)
    late: v2,
    outcome: (s) =>
      v2(s) ? refused(new RegExp(`has version = 3, which containerd ${s} does not load`)) : PASS,
    check: (run, s) => {
      if (!v2(s)) expectSettingsKept(run, s);
    },
  },
  {
    id: 'legacy-mode',
    title: 'nodeSetup.mode legacy on the default config',
    files: file('a-default-systemd.toml'),
    mode: 'legacy',
    outcome: (s) => (v2(s) ? PASS : refused(/legacy mode was refused on containerd 2\.1/)),
    check: (run, s) => {
      const registry = dumpedRegistry(run.dumpAfter, s);
      expect(registry.config_path).toBe('');
      expect(registry.mirrors['internal-registry.kube-system.svc.cluster.local:5000'].endpoint).toEqual([
        'http://192.0.2.10:5000',
      ]);
      expect(registry.configs['192.0.2.10:5000'].tls.insecure_skip_verify).toBe(true);
    },
  },
  {
    id: 'legacy-config-path',
    title: 'nodeSetup.mode legacy where config_path is set',
    files: file('e-config-path-set.toml'),
    mode: 'legacy',
    outcome: () => refused(/legacy mode was refused/),
  },
  {
    id: 'link-inside',
    title: 'config.toml an absolute symlink to a file inside the mounted paths',
    files: file('link-inside'),
    outcome: () => PASS,
    check: (run, s) => {
      expectSettingsKept(run, s);
      expect(run.files.first).toContain('./config.toml -> /etc/containerd/real/config.toml');
      // the target edited in place (one line), the link kept
      expect(
        changedLines(fixture('a-default-systemd.toml'), readIn(run.work, 'etc-first/real/config.toml')),
      ).toEqual(['      config_path = "/etc/containerd/certs.d"']);
      expect(readIn(run.work, 'etc-first/real/config.toml.internal-registry.bak')).toBe(
        fixture('a-default-systemd.toml'),
      );
    },
  },
  {
    id: 'link-outside',
    title: 'config.toml an absolute symlink to a file outside the mounted paths',
    files: file('link-outside'),
    outcome: () =>
      refused(
        /\/etc\/containerd\/config\.toml is a symlink to \/srv\/node\/config\.toml, .*outside the host paths mounted into the agent.*nodeSetup\.extraHostPaths/,
      ),
  },
  {
    id: 'link-relative',
    title: 'config.toml a relative symlink (real/config.toml)',
    files: file('link-relative'),
    outcome: () => PASS,
    check: (run, s) => {
      expectSettingsKept(run, s);
      expect(run.files.first).toContain('./config.toml -> real/config.toml');
      expect(
        changedLines(fixture('a-default-systemd.toml'), readIn(run.work, 'etc-first/real/config.toml')),
      ).toEqual(['      config_path = "/etc/containerd/certs.d"']);
    },
  },
  {
    id: 'dropin',
    title: 'an imports drop-in that holds the CRI settings (version 3 files on 2.1)',
    files: (s) => (v2(s) ? 'dropin' : 'dropin-v3'),
    outcome: () => PASS,
    check: (run, s) => {
      expectSettingsKept(run, s);
      const dir = v2(s) ? 'dropin' : 'dropin-v3';
      const main = readIn(run.work, 'etc-first/config.toml');
      const dropIn = readIn(run.work, 'etc-first/conf.d/10-systemd.toml');
      if (v2(s)) {
        // 1.x replaces the whole CRI table with the drop-in's: config_path goes there
        expect(main).toBe(fixture(`${dir}/etc/config.toml`));
        expect(dropIn).toBe(withRegistryTable(fixture(`${dir}/etc/conf.d/10-systemd.toml`)));
      } else {
        // 2.x merges key by key: the main file holds it
        expect(dropIn).toBe(fixture(`${dir}/etc/conf.d/10-systemd.toml`));
        expect(main).toContain(
          '[plugins."io.containerd.cri.v1.images".registry]\n  config_path = "/etc/containerd/certs.d"',
        );
      }
    },
  },
  {
    id: 'imports-own-files',
    title: 'imports = ["/etc/containerd/*.bak"], a glob over the agent’s backup',
    files: file('imports-own-files.toml'),
    outcome: () =>
      refused(
        /\/etc\/containerd\/config\.toml imports "\/etc\/containerd\/\*\.bak", which matches \/etc\/containerd\/config\.toml\.internal-registry\.bak \(the agent's backup .*move the drop-ins into a folder of their own/,
      ),
  },
  {
    id: 'imports-everything',
    title: 'imports = ["/etc/containerd/*"], a glob over the config itself and every file of the agent’s',
    files: file('imports-everything.toml'),
    outcome: () =>
      refused(
        /imports "\/etc\/containerd\/\*", which matches \/etc\/containerd\/config\.toml \(the config itself\).*move the drop-ins into a folder of their own.*imports = \["\/etc\/containerd\/conf\.d\/\*\.toml"\]/,
      ),
  },
  {
    id: 'legacy-auth',
    title: 'legacy mirrors and configs.tls next to configs."registry-1.docker.io".auth',
    files: file('legacy-auth.toml'),
    outcome: () => PASS,
    check: (run, s) => {
      expectSettingsKept(run, s);
      const registry = dumpedRegistry(run.dumpAfter, s);
      expect(registry.configs['registry-1.docker.io'].auth).toMatchObject({
        username: 'puller',
        password: 'not-a-real-secret',
      });
      expect(registry.configs['mirror.example.com']?.tls).toBeUndefined();
      expect(parse(readIn(run.work, 'etc-first/certs.d/docker.io/hosts.toml'))).toEqual({
        server: 'https://registry-1.docker.io',
        host: { 'https://mirror.example.com': { capabilities: ['pull', 'resolve'] } },
      });
    },
  },
  {
    id: 'wildcard-mirror',
    title: 'a legacy mirrors."*" wildcard',
    files: file('wildcard-mirror.toml'),
    outcome: () => PASS,
    check: (run, s) => {
      expectSettingsKept(run, s);
      // containerd reads the wildcard's folder as _default, never `*`; no server, so each registry stays the fallback
      expect(parse(readIn(run.work, 'etc-first/certs.d/_default/hosts.toml'))).toEqual({
        host: { 'https://mirror.example.com': { capabilities: ['pull', 'resolve'] } },
      });
      expect(run.files.first).not.toContain('./certs.d/*/');
    },
  },
  {
    id: 'other-hosts',
    title: 'config_path set, with hosts files for other registries',
    files: file('other-hosts'),
    outcome: () => PASS,
    check: (run) => {
      expect(run.restarts.first).toBe(0);
      const line = (listing: string, f: string) => listing.split('\n').find((l) => l.endsWith(f));
      for (const f of ['./certs.d/quay.io/hosts.toml', './certs.d/docker.io/hosts.toml', './config.toml']) {
        expect(line(run.files.first, f)).toBe(line(run.files.before, f));
        expect(line(run.files.first, f)).toBeDefined();
      }
    },
  },
  {
    id: 'crlf',
    title: 'CRLF line endings',
    files: file('crlf.toml'),
    outcome: () => PASS,
    check: (run) => {
      const after = readIn(run.work, 'etc-first/config.toml');
      expect(after).toBe(withRegistryTable(fixture('d-hand-written.toml')).replace(/\n/g, '\r\n'));
    },
  },
  {
    id: 'bom',
    title: 'a UTF-8 byte order mark',
    files: file('bom.toml'),
    // containerd 2.1 itself refuses such a file, so it runs on its defaults when the file arrives
    late: (s) => !v2(s),
    outcome: (s) =>
      v2(s) ? PASS : refused(/starts with a UTF-8 byte order mark, which containerd 2\.1 refuses/),
    check: (run) => {
      expect(readIn(run.work, 'etc-first/config.toml')).toBe(
        `\uFEFF${withRegistryTable(fixture('d-hand-written.toml'))}`,
      );
    },
  },
];

/** Defines the matrix for one series: one test per node config, then a table of the outcomes. */
export function defineNodeMatrix(series: Series): void {
  const describeReal = describeWithTools(
    ['containerd', 'ctr', 'docker-registry', 'skopeo', 'umoci', 'unshare', 'ip', 'nsenter', 'setpriv'],
    true,
  );
  describeReal(
    `node setup on containerd ${series} (network namespace, TEST-NET-1 ClusterIP 192.0.2.10)`,
    () => {
      let imageLayout = '';
      let version = '';
      const shipped: Record<string, { agentDir: string; daemonSet: Manifest }> = {};
      const table: Array<[string, string]> = [];

      beforeAll(() => {
        // GIVEN: the ConfigMap's files and the DaemonSet of a fresh synth for the stand-in ClusterIP
        shipped.hostsDir = shippedNodeSetup();
        shipped.legacy = shippedNodeSetup({ nodeSetup: { mode: 'legacy' } });
        imageLayout = buildOciLayout();
        containerdBinaries(series);
      }, 180000);

      afterAll(() => {
        const width = Math.max(...table.map(([id]) => id.length));
        const lines = table.map(([id, result]) => `  ${id.padEnd(width)}  ${result}`);
        process.stdout.write(`\nnode matrix, containerd ${version || series}:\n${lines.join('\n')}\n`);
        const out = join(CACHE, '..', 'matrix');
        mkdirSync(out, { recursive: true });
        writeFileSync(join(out, `${series}.json`), JSON.stringify({ series, version, table }, null, 2));
      });

      test('the harness runs the DaemonSet’s containers as rendered, except the listed differences', () => {
        const { daemonSet } = shipped.hostsDir;
        const init = daemonSet.spec.template.spec.initContainers[0];
        const rendered = Object.fromEntries(
          init.env.map((e: { name: string; value: string }) => [e.name, e.value]),
        );
        const env = podEnvironment(daemonSet, '/work');
        const changed = Object.keys(env).filter((k) => env[k] !== rendered[k]);
        expect(changed.sort()).toEqual(Object.keys(POD_DIFFERENCES).sort());
        for (const why of Object.values(POD_DIFFERENCES)) expect(why.why.length).toBeGreaterThan(20);
        // the shipped commands that the harness therefore runs
        expect(rendered.CONTAINERD_COMMAND).toBe('nsenter -t 1 -m -- containerd');
        expect(rendered.CTR_COMMAND).toBe('nsenter -t 1 -m -- ctr');
        expect(rendered.RESTART_COMMAND).toBe('nsenter -t 1 -m -u -i -n -p -- systemctl restart containerd');
        expect(init.volumeMounts).toContainEqual({ name: 'host-0', mountPath: '/host/etc/containerd' });
        expect(readFileSync(join(HERE, 'node-harness.sh'), 'utf8')).toMatch(
          /mount --bind -o ro "\$AGENT_DIR" \/agent/,
        );
      });

      for (const scenario of SCENARIOS) {
        const outcome = scenario.outcome(series);
        const label = outcome.pass ? 'works' : 'is refused cleanly';
        test(`${scenario.id}: ${scenario.title} ${label}`, () => {
          const run = runNode(scenario.id, {
            series,
            ...shipped[scenario.mode ?? 'hostsDir'],
            imageLayout,
            files: scenario.files?.(series),
            late: scenario.late?.(series) ?? false,
          });
          version = run.version;
          table.push([scenario.id, 'FAILED']);
          // the restarts went through `nsenter -t 1 …` to the test node's PID 1 and its namespaces
          const restarts = run.systemctl.trim() === '' ? [] : run.systemctl.trim().split('\n');
          for (const line of restarts) {
            expect(line).toMatch(
              /^systemctl restart containerd: pid 1 is bash .*node-harness\.sh .*namespaces of pid 1: yes$/,
            );
          }
          if (outcome.pass) {
            expect(restarts.length).toBeGreaterThanOrEqual(run.restarts.first);
            expectWorkingNode(run);
            scenario.check?.(run, series);
            table[table.length - 1] = [scenario.id, 'pass'];
          } else {
            expectRefusal(run, outcome.reason);
            table[table.length - 1] = [
              scenario.id,
              `refused: ${run.stderr
                .replace(/^node-setup: /, '')
                .trim()
                .slice(0, 110)}…`,
            ];
          }
        });
      }
    },
  );
}
