import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './support/run';
import { everyCrashPoint, runInjected, spawnAsync, type Injection } from './support/crash-points';
import { describeWithTools, shippedNodeSetup } from './support/real-tools';
import { tempDir } from './support/synth';

/*
 * The shipped node agent, killed or failed at every write, fsync, rename and unlink in turn (issue 13).
 * The agent runs as the DaemonSet runs it, on a temporary node folder: the node's /etc/containerd is
 * <work>/root/etc/containerd, seen by the agent under HOST_ROOT and bind-mounted over /etc/containerd
 * in a private mount namespace, so that Debian's real containerd validates the candidate files at the
 * host paths the agent names. Two commands are stand-ins, because these points are about the agent's
 * own files: RESTART_COMMAND is `true` and CTR_COMMAND prints a loaded CRI plugin. Restarting a real
 * containerd and waiting for it are proven in test/real/node-faults.test.ts.
 */

const CONFIG = join(ROOT, 'test', 'real', 'node-configs', 'a-default-systemd.toml');
const ETC = join('root', 'etc', 'containerd');
/** Names the agent's temporary files have (agent/apply.ts sweeps them at the start of a run). */
const TEMP = /(^|\/)(\.[^/]+\.tmp-\d+|\.internal-registry-candidate-\d+)$/;

const describeReal = describeWithTools(['strace', 'containerd', 'unshare', 'mount'], true);

/** Every file under a folder (relative path → content). */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

describeReal('the node agent killed or failed at every write, fsync, rename and unlink (strace)', () => {
  let agentDir: string;
  const fresh = () => ({ 'config.toml': readFileSync(CONFIG, 'utf8') });
  let applied: Record<string, string>;
  const counts: string[] = [];
  afterAll(() => process.stdout.write(`agent crash points:\n${counts.map((c) => `  ${c}`).join('\n')}\n`));

  /** A node folder holding `files`, and the agent's environment on it. */
  function node(files: Record<string, string>, mode: 'apply' | 'cleanup') {
    const work = tempDir('crash-agent-');
    writeTree(join(work, ETC), files);
    const env = {
      PATH: process.env.PATH ?? '',
      AGENT_MODE: mode,
      AGENT_PLAN_DIR: agentDir,
      HOST_ROOT: join(work, 'root'),
      MOUNTED_HOST_PATHS: '/etc/containerd',
      CONTAINERD_CONFIG: '/etc/containerd/config.toml',
      STATUS_DIR: join(work, 'status'),
      RESTART_COMMAND: 'true',
      CONTAINERD_COMMAND: 'containerd',
      CTR_COMMAND: `sh ${join(work, 'ctr.sh')}`,
      HEALTH_TIMEOUT_SECONDS: '5',
      TERMINATION_LOG: join(work, 'termination-log'),
    };
    writeFileSync(join(work, 'ctr.sh'), 'echo "io.containerd.grpc.v1  cri  linux/amd64  ok"\n');
    // /etc/containerd is the node folder only inside this mount namespace.
    const wrap = (argv: string[]) => [
      'unshare',
      '--mount',
      'sh',
      '-c',
      'mount --make-rprivate / && mkdir -p /etc/containerd && mount --bind "$0" /etc/containerd && exec "$@"',
      join(work, ETC),
      ...argv,
    ];
    const agent = ['node', join(agentDir, 'agent.js')];
    return {
      work,
      etc: join(work, ETC),
      run: () => spawnAsync(wrap(agent), { env }),
      // The agent's own calls only: node makes every synchronous fs call on its main thread. Its
      // children (containerd config dump, sh) are not crash points of the agent's files.
      inject: (injection: Injection, n: number) =>
        runInjected(agent, injection, n, { env, wrap, followForks: false }),
    };
  }

  beforeAll(async () => {
    ({ agentDir } = shippedNodeSetup());
    const reference = node(fresh(), 'apply');
    const result = await reference.run();
    if (result.status !== 0) throw new Error(`the agent fails without faults: ${result.stderr}`);
    applied = tree(reference.etc);
  }, 120000);

  /**
   * Each point: the agent with the fault, then every file is a whole version the agent writes (or
   * the one it started from), then a run without faults ends exactly where a run without faults ends.
   */
  async function crashPoints(
    mode: 'apply' | 'cleanup',
    start: () => Record<string, string>,
    end: () => Record<string, string>,
    injection: Injection,
  ): Promise<number> {
    const versions = (path: string): Array<string | undefined> => {
      const all = [start()[path], end()[path]];
      // The state file is written twice: before containerd's restart (restartPending) and after.
      if (mode === 'apply' && path.endsWith('.internal-registry.json')) {
        all.push(`${JSON.stringify({ ...JSON.parse(applied[path]), restartPending: true }, null, 2)}`);
      }
      return all;
    };
    const paths = [...new Set([...Object.keys(start()), ...Object.keys(end())])];
    const points = await everyCrashPoint(async (n) => {
      const target = node(start(), mode);
      const faulty = await target.inject(injection, n);
      const context = `${mode} ${injection.syscalls[0]}:${injection.fault}:when=${n}\n${faulty.stderr}\n${faulty.trace.slice(-2000)}`;
      const after = tree(target.etc);
      for (const path of paths) {
        if (!versions(path).includes(after[path]))
          throw new Error(`${path} is neither version after ${context}`);
      }
      const strays = Object.keys(after).filter((p) => !paths.includes(p));
      for (const stray of strays) {
        if (!TEMP.test(stray)) throw new Error(`unexpected file ${stray} after ${context}`);
      }
      if (injection.fault.startsWith('error=') && faulty.injected && faulty.status === 1) {
        // A failed call the agent handled (exit 1, not a signal: node aborts when a write to its own
        // event pipe fails) is not a kill: the agent removes its temporary files itself.
        if (strays.length > 0) throw new Error(`temporary files left: ${strays.join(', ')} after ${context}`);
      }
      const next = await target.run();
      if (next.status !== 0) throw new Error(`the next run fails (${next.stderr}) after ${context}`);
      expect(tree(target.etc)).toEqual(end());
      return { injected: faulty.injected };
    });
    counts.push(`${mode}, ${injection.syscalls[0]}:${injection.fault}: ${points} points`);
    return points;
  }

  const kill = 'signal=KILL';
  const writes = ['write', 'pwrite64', 'writev'];
  const fsyncs = ['fsync', 'fdatasync'];
  const renames = ['rename', 'renameat', 'renameat2'];
  const unlinks = ['unlink', 'unlinkat'];

  test.each([
    ['write', kill, writes],
    ['fsync', kill, fsyncs],
    ['rename', kill, renames],
    ['unlink', kill, unlinks],
    ['write', 'error=ENOSPC', writes],
    ['fsync', 'error=EIO', fsyncs],
    ['rename', 'error=EIO', renames],
  ])(
    'apply: %s %s at every call',
    async (_name, fault, syscalls) => {
      const points = await crashPoints('apply', fresh, () => applied, { syscalls, fault });
      expect(points).toBeGreaterThan(0);
    },
    600000,
  );

  test.each([
    ['rename', kill, renames],
    ['unlink', kill, unlinks],
    ['write', kill, writes],
  ])(
    'cleanup: %s %s at every call',
    async (_name, fault, syscalls) => {
      const points = await crashPoints('cleanup', () => applied, fresh, { syscalls, fault });
      expect(points).toBeGreaterThan(0);
    },
    600000,
  );

  test('the agent writes files at all, so these points are real (the apply run changes config.toml and writes hosts files)', () => {
    expect(applied['config.toml']).not.toBe(fresh()['config.toml']);
    expect(Object.keys(applied).filter((p) => p.endsWith('hosts.toml')).length).toBeGreaterThanOrEqual(2);
  });
});
