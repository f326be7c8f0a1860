import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyNodeSetup, stateFiles, type AgentState } from '../agent/apply';
import { cleanupNodeSetup } from '../agent/cleanup';
import { Refusal } from '../agent/decide';
import { readAgentEnv } from '../agent/env';
import { renderNodeSetupFiles } from '../lib/node-setup/node-plan';
import { pinnedRegistryAddress } from '../lib/registry/registry-address';
import { ROOT } from './support/run';
import { describeWithTools } from './support/real-tools';
import { configOf, tempDir } from './support/synth';

/*
 * The agent's safeguards, each on its own (issue 13): the backup, the rollback when containerd does
 * not come back, the wait for its CRI plugin, a restart a killed run left pending, and cleanup's
 * "unless changed since". The agent runs in this process on a temporary node folder whose host paths
 * are its real paths (HOST_ROOT=/), and Debian's containerd validates every candidate with `config
 * dump`. Restarting is the stand-in script of each test (it counts restarts), and `ctr plugins ls`
 * answers as the test scripts it: that is the behaviour under test. The real restart and CRI check
 * are proven in test/real/node-faults.test.ts.
 */

const CONFIG = readFileSync(join(ROOT, 'test', 'real', 'node-configs', 'a-default-systemd.toml'), 'utf8');

const describeReal = describeWithTools(['containerd']);

interface Node {
  readonly etc: string;
  readonly config: string;
  readonly env: () => ReturnType<typeof readAgentEnv>;
  /** How many times containerd was restarted, and `ctr plugins ls` was asked. */
  readonly restarts: () => number;
  readonly ctrCalls: () => number;
  /** From now on the CRI plugin never comes back. */
  readonly breakCri: () => void;
}

/**
 * A node folder with `config` (undefined: no file) whose CRI plugin is ok from the `okFrom`-th
 * `ctr` call on, and only after at least `okAfterRestarts` restarts (Infinity: never).
 */
function node(config: string | undefined, cri: { okFrom?: number; okAfterRestarts?: number } = {}): Node {
  const work = tempDir('agent-safeguards-');
  const etc = join(work, 'etc');
  const planDir = join(work, 'plan');
  mkdirSync(etc);
  mkdirSync(planDir);
  const settings = configOf({ nodeSetup: { hostsDir: join(etc, 'certs.d') } });
  const files = renderNodeSetupFiles(settings.nodeSetup, pinnedRegistryAddress(settings.registry));
  for (const [key, content] of Object.entries(files)) writeFileSync(join(planDir, key), content);
  if (config !== undefined) writeFileSync(join(etc, 'config.toml'), config);
  const count = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').length : 0);
  writeFileSync(join(work, 'restart.sh'), `printf x >> ${work}/restarts\n`);
  const okAfter = cri.okAfterRestarts ?? 1;
  writeFileSync(
    join(work, 'ctr.sh'),
    [
      `printf x >> ${work}/ctr-calls`,
      `calls=$(wc -c < ${work}/ctr-calls); restarts=$(cat ${work}/restarts 2>/dev/null | wc -c)`,
      `status=error`,
      `[ "$calls" -ge ${cri.okFrom ?? 1} ] && [ "$restarts" -ge ${Number.isFinite(okAfter) ? okAfter : 1000000} ] && [ ! -e ${work}/cri-down ] && status=ok`,
      'echo "TYPE ID PLATFORMS STATUS"',
      'echo "io.containerd.grpc.v1 cri linux/amd64 $status"',
    ].join('\n'),
  );
  const vars = {
    AGENT_PLAN_DIR: planDir,
    HOST_ROOT: '/',
    MOUNTED_HOST_PATHS: etc,
    CONTAINERD_CONFIG: join(etc, 'config.toml'),
    STATUS_DIR: join(work, 'status'),
    RESTART_COMMAND: `sh ${work}/restart.sh`,
    CONTAINERD_COMMAND: 'containerd',
    CTR_COMMAND: `sh ${work}/ctr.sh`,
    HEALTH_TIMEOUT_SECONDS: '1',
  };
  return {
    etc,
    config: join(etc, 'config.toml'),
    env: () => readAgentEnv(vars),
    restarts: () => count(join(work, 'restarts')),
    ctrCalls: () => count(join(work, 'ctr-calls')),
    breakCri: () => writeFileSync(join(work, 'cri-down'), ''),
  };
}

const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
const stateOf = (n: Node) => JSON.parse(read(stateFiles(n.config).state)!) as AgentState;

describeReal('node agent safeguards (in process, Debian containerd validating)', () => {
  describe('backup', () => {
    test('keeps the node config from before the first change, and never overwrites it', () => {
      // GIVEN a node the agent configured once
      const n = node(CONFIG);
      applyNodeSetup(n.env());
      const { backup } = stateFiles(n.config);
      expect(read(backup)).toBe(CONFIG);
      // WHEN someone reverts config_path by hand and the agent runs again
      writeFileSync(n.config, `${CONFIG}\n# edited by hand\n`);
      const report = applyNodeSetup(n.env());
      // THEN the config is changed again, and the backup is still the original
      expect(report.configChanged).toBe(true);
      expect(read(backup)).toBe(CONFIG);
      expect(stateOf(n).configExisted).toBe(true);
    });

    test('a node without a config: no backup, and the state says so', () => {
      const n = node(undefined);
      applyNodeSetup(n.env());
      expect(read(stateFiles(n.config).backup)).toBeUndefined();
      expect(stateOf(n).configExisted).toBe(false);
      expect(read(n.config)).toMatch(/^version = 2\n/);
    });

    test('nothing to do: no restart, no backup, no state', () => {
      const n = node(CONFIG);
      applyNodeSetup(n.env());
      const restarts = n.restarts();
      const state = read(stateFiles(n.config).state);
      const report = applyNodeSetup(n.env());
      expect(report).toMatchObject({ configChanged: false, hostsFilesWritten: [] });
      expect(n.restarts()).toBe(restarts);
      expect(read(stateFiles(n.config).state)).toBe(state);
    });
  });

  describe('restart and wait', () => {
    test('waits for the CRI plugin: polls until it reports ok', () => {
      // GIVEN containerd whose CRI plugin is ok only from the third look
      const n = node(CONFIG, { okFrom: 3 });
      // WHEN
      const report = applyNodeSetup(n.env());
      // THEN
      expect(report.configChanged).toBe(true);
      expect(n.ctrCalls()).toBe(3);
      expect(n.restarts()).toBe(1);
      expect(stateOf(n).restartPending).toBe(false);
    });

    test('rolls back when containerd does not come back, and says that it runs again', () => {
      // GIVEN containerd that comes back only on the restart after the rollback
      const n = node(CONFIG, { okAfterRestarts: 2 });
      // WHEN / THEN
      expect(() => applyNodeSetup(n.env())).toThrow(
        new Refusal(
          'containerd did not come back with the new config, so the backup was restored; containerd runs again on the restored config',
        ),
      );
      expect(read(n.config)).toBe(CONFIG);
      expect(n.restarts()).toBe(2);
    });

    test('rolls back and says so when containerd comes back on neither config', () => {
      const n = node(CONFIG, { okAfterRestarts: Infinity });
      expect(() => applyNodeSetup(n.env())).toThrow(/containerd did not come back either$/);
      expect(read(n.config)).toBe(CONFIG);
      expect(n.restarts()).toBe(2);
    });

    test('a rollback on a node that had no config removes the one the agent wrote', () => {
      const n = node(undefined, { okAfterRestarts: 2 });
      expect(() => applyNodeSetup(n.env())).toThrow(Refusal);
      expect(existsSync(n.config)).toBe(false);
    });

    test('restarts once more when a killed run left the new config without a restart', () => {
      // GIVEN a run that wrote config.toml and was killed before the restart
      const n = node(CONFIG);
      applyNodeSetup(n.env());
      const { state } = stateFiles(n.config);
      writeFileSync(state, JSON.stringify({ ...stateOf(n), restartPending: true }, null, 2));
      const restarts = n.restarts();
      // WHEN
      applyNodeSetup(n.env());
      // THEN
      expect(n.restarts()).toBe(restarts + 1);
      expect(stateOf(n).restartPending).toBe(false);
    });
  });

  describe('cleanup removes only what nobody changed since', () => {
    test('removes unchanged hosts files, keeps a changed one, restores the config from the backup', () => {
      // GIVEN an applied node where someone edited one hosts file
      const n = node(CONFIG);
      const applied = applyNodeSetup(n.env());
      const [edited, untouched] = applied.hostsFilesWritten;
      writeFileSync(edited, `${read(edited)}# mine\n`);
      // WHEN
      const report = cleanupNodeSetup(n.env());
      // THEN
      expect(report).toEqual({ removed: [untouched], kept: [edited], configRestored: true });
      expect(existsSync(untouched)).toBe(false);
      expect(read(edited)).toMatch(/# mine\n$/);
      expect(read(n.config)).toBe(CONFIG);
      expect(existsSync(stateFiles(n.config).backup)).toBe(false);
      expect(existsSync(stateFiles(n.config).state)).toBe(false);
    });

    test('keeps a config someone changed since, without a restart', () => {
      const n = node(CONFIG);
      applyNodeSetup(n.env());
      const changed = `${read(n.config)}\n# mine\n`;
      writeFileSync(n.config, changed);
      const restarts = n.restarts();
      const report = cleanupNodeSetup(n.env());
      expect(report.configRestored).toBe(false);
      expect(report.kept).toContain(join(n.etc, 'config.toml'));
      expect(read(n.config)).toBe(changed);
      expect(n.restarts()).toBe(restarts);
    });

    test('removes the config it created on a node that had none', () => {
      const n = node(undefined);
      applyNodeSetup(n.env());
      expect(cleanupNodeSetup(n.env()).configRestored).toBe(true);
      expect(existsSync(n.config)).toBe(false);
    });

    test('a hosts file already gone is neither removed nor kept; a node never set up is left alone', () => {
      const n = node(CONFIG);
      const [first] = applyNodeSetup(n.env()).hostsFilesWritten;
      rmSync(first);
      expect(cleanupNodeSetup(n.env()).removed).not.toContain(first);
      const fresh = node(CONFIG);
      expect(cleanupNodeSetup(fresh.env())).toEqual({ removed: [], kept: [], configRestored: false });
      expect(read(fresh.config)).toBe(CONFIG);
      expect(fresh.restarts()).toBe(0);
    });

    test('puts the agent’s config back when containerd does not come back on the restored one', () => {
      // GIVEN an applied node whose containerd will not come back any more
      const n = node(CONFIG);
      applyNodeSetup(n.env());
      const applied = read(n.config);
      n.breakCri();
      // WHEN / THEN
      expect(() => cleanupNodeSetup(n.env())).toThrow(/containerd did not come back/);
      expect(read(n.config)).toBe(applied);
      expect(n.restarts()).toBe(3);
    });
  });
});
