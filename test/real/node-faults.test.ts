import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@iarna/toml';
import { canonical } from '../../agent/config-edit';
import { ROOT } from '../support/run';
import { buildOciLayout, describeWithTools, runInNamespaces, shippedNodeSetup } from '../support/real-tools';
import { tempDir } from '../support/synth';

/* eslint-disable @typescript-eslint/no-explicit-any -- dumped TOML is loosely typed */

const HERE = join(ROOT, 'test', 'real');
const CONFIG = join(HERE, 'node-configs', 'a-default-systemd.toml');
const KILLS = Number(process.env.FAULT_KILLS ?? 30);
const describeReal = describeWithTools(
  ['containerd', 'ctr', 'docker-registry', 'skopeo', 'umoci', 'unshare', 'ip'],
  true,
);

const read = (work: string, file: string) =>
  existsSync(join(work, file)) ? readFileSync(join(work, file), 'utf8') : '';

/** Settings outside the registry tables that differ between two dumps: must be none. */
function settingsLost(work: string): number {
  const strip = (text: string) => {
    const dump = parse(text) as any;
    delete dump.plugins?.['io.containerd.grpc.v1.cri']?.registry;
    dump.imports = (dump.imports ?? []).filter((f: string) => f !== '/etc/containerd/config.toml');
    return dump;
  };
  const [before, after] = [strip(read(work, 'dump-before.toml')), strip(read(work, 'dump-after.toml'))];
  return Object.keys({ ...before, ...after }).filter((k) => canonical(before[k]) !== canonical(after[k]))
    .length;
}

describeReal('faults on a real node (containerd 1.6 in its own namespaces)', () => {
  let agentDir: string;
  let imageLayout: string;
  const fault = (name: string) => {
    const work = tempDir(`fault-${name}-`);
    runInNamespaces(join(HERE, 'fault-harness.sh'), [
      work,
      agentDir,
      CONFIG,
      imageLayout,
      name,
      String(KILLS),
    ]);
    return work;
  };

  beforeAll(() => {
    ({ agentDir } = shippedNodeSetup());
    imageLayout = buildOciLayout();
  }, 120000);

  test('SIGKILL at random points, many times: every file old or new, never partial; the next run converges', () => {
    // WHEN
    const work = fault('kill');
    // THEN
    const states = read(work, 'states.log')
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/));
    const digests = (file: string, when?: string) =>
      states.filter(([w, , f]) => f === file && (when === undefined || w === when)).map(([, sha]) => sha);
    const [original] = digests('./config.toml', '0');
    const [final] = digests('./config.toml', 'final');
    const files = [...new Set(states.map(([, , f]) => f))];
    for (const file of files) {
      const allowed = new Set([...digests(file, '0'), ...digests(file, 'final')]);
      for (const sha of digests(file)) expect(allowed).toContain(sha);
    }
    expect(final).not.toBe(original);
    expect(read(work, 'agent-final.rc').trim()).toBe('0');
    expect(read(work, 'cri').trim()).toBe('ok');
    expect(read(work, 'leftovers')).toBe('');
    const lost = settingsLost(work);
    expect(lost).toBe(0);
    const kills = Number(read(work, 'kills'));
    process.stdout.write(
      `fault injection: runs ${KILLS + 1}, kills ${kills}, files checked ${states.length}, settings lost ${lost}\n`,
    );
    expect(kills).toBeGreaterThan(KILLS / 3);
  });

  test('/etc/containerd read-only: the agent fails clearly and changes nothing', () => {
    const work = fault('readonly');
    expect(read(work, 'agent-final.rc').trim()).toBe('1');
    expect(read(work, 'agent-final.err')).toMatch(
      /^node-setup: cannot write .*: the file system is read-only/,
    );
    expect(read(work, 'files-after.sha')).toBe(read(work, 'files-before.sha'));
    expect(read(work, 'restarts-final').trim()).toBe('0');
  });

  test('a full disk: no truncated file, nothing changed, a clear failure', () => {
    const work = fault('full');
    expect(read(work, 'agent-final.rc').trim()).toBe('1');
    expect(read(work, 'agent-final.err')).toMatch(/the disk is full/);
    expect(read(work, 'files-after.sha')).toBe(read(work, 'files-before.sha'));
  });

  test('containerd that does not come back: the backup is restored and containerd runs again', () => {
    const work = fault('norestart');
    expect(read(work, 'agent-final.rc').trim()).toBe('1');
    expect(read(work, 'agent-final.err')).toContain(
      'containerd did not come back with the new config, so the backup was restored; containerd runs again on the restored config',
    );
    const configLine = (file: string) =>
      read(work, file)
        .split('\n')
        .find((l) => l.endsWith('./config.toml'));
    expect(configLine('files-after.sha')).toBe(configLine('files-before.sha'));
    expect(read(work, 'cri').trim()).toBe('ok');
    expect(settingsLost(work)).toBe(0);
  });
});
