import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { everyCrashPoint, runInjected, spawnAsync, type Injection } from './support/crash-points';
import { describeWithTools } from './support/real-tools';
import { ROOT } from './support/run';
import { tempDir } from './support/synth';

/*
 * Synth killed or failed at every write, rename and unlink of its output step (issue 13): the
 * output folder and kustomization.yaml hold a previous synth of another config; afterwards every
 * file is the old or the new version, never partial, and the next synth converges on exactly what a
 * synth without faults writes. Synth runs as `npm run synth` runs it (build/main.js), in a project
 * folder of its own.
 */

const describeReal = describeWithTools(['strace']);
/** What a killed synth leaves beside the output, named with its PID (lib/output/write-manifests.ts). */
const LEFTOVER = /^\.dist[.-](synth-)?(staging|retired)-\d+$|^kustomization\.yaml\.synth-tmp-\d+$/;
const RETIRED = /^\.dist[.-](synth-)?retired-\d+$/;

/** Every file under a folder (relative path → content), skipping `skip` at the top. */
function tree(dir: string, skip: RegExp = /^$/): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (d === dir && skip.test(name)) continue;
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

/** Files of a folder as they would be under dist/. */
const prefixed = (files: Record<string, string>) =>
  Object.fromEntries(Object.entries(files).map(([p, c]) => [`dist/${p}`, c]));

/** A synth's config: the file, and cluster files beside it (issue 11: one folder per cluster). */
interface Setup {
  readonly config: object;
  readonly clusters?: Record<string, object>;
}
const single = { apps: [{ name: 'easy-kanban' }] };
const changed = {
  apps: [
    { name: 'easy-kanban', replicas: 2 },
    { name: 'notes', port: 8080 },
  ],
};
const scenarios: Array<[string, Record<'old' | 'new', Setup>]> = [
  ['one output folder', { old: { config: single }, new: { config: changed } }],
  [
    'one output folder replaced by a folder per cluster',
    {
      old: { config: single },
      new: {
        config: changed,
        clusters: {
          east: { registry: { clusterIP: '10.100.0.50' } },
          west: { nodeSetup: { flavor: 'k3s' } },
        },
      },
    },
  ],
];

/** Writes the config (and its cluster files) into `work`; returns the config file. */
function writeSetup(work: string, setup: Setup): string {
  const config = join(work, 'config.yaml');
  writeFileSync(config, JSON.stringify(setup.config));
  for (const [name, cluster] of Object.entries(setup.clusters ?? {})) {
    mkdirSync(join(work, 'clusters'), { recursive: true });
    writeFileSync(join(work, 'clusters', `${name}.yaml`), JSON.stringify(cluster));
  }
  return config;
}

describeReal('synth killed or failed at every write, rename and unlink of its output step (strace)', () => {
  describe.each(scenarios)('%s', (scenario, configs) => {
    const outputs: Record<'old' | 'new', Record<string, string>> = { old: {}, new: {} };
    const counts: string[] = [];
    afterAll(() =>
      process.stdout.write(`synth crash points (${scenario}):\n${counts.map((c) => `  ${c}`).join('\n')}\n`),
    );

    /** A project folder with the given synth's output in dist/ and beside it; returns how to run the new one. */
    function project(start: Record<string, string>) {
      const work = tempDir('crash-synth-');
      const config = writeSetup(work, configs.new);
      const root = join(work, 'project');
      for (const [path, content] of Object.entries(start)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), content);
      }
      const env = { PATH: process.env.PATH ?? '', CDK8S_OUTDIR: join(root, 'dist'), SYNTH_CONFIG: config };
      const synth = ['node', join(ROOT, 'build', 'main.js')];
      return {
        root,
        run: () => spawnAsync(synth, { env, cwd: ROOT }),
        inject: (injection: Injection, n: number) => runInjected(synth, injection, n, { env, cwd: ROOT }),
      };
    }

    beforeAll(async () => {
      for (const which of ['old', 'new'] as const) {
        const work = tempDir('crash-synth-ref-');
        const config = writeSetup(work, configs[which]);
        const env = {
          PATH: process.env.PATH ?? '',
          CDK8S_OUTDIR: join(work, 'project', 'dist'),
          SYNTH_CONFIG: config,
        };
        const result = await spawnAsync(['node', join(ROOT, 'build', 'main.js')], { env, cwd: ROOT });
        if (result.status !== 0) throw new Error(`synth fails without faults: ${result.stderr}`);
        outputs[which] = tree(join(work, 'project'));
      }
    }, 120000);

    test('the two synths differ in files and content, so that every point can tell old from new', () => {
      expect(Object.keys(outputs.old)).toContain('kustomization.yaml');
      expect(Object.keys(outputs.new).length).toBeGreaterThan(Object.keys(outputs.old).length);
      const both = Object.keys(outputs.old).filter((p) => p in outputs.new);
      expect(both.some((p) => outputs.old[p] !== outputs.new[p])).toBe(true);
    });

    const kill = 'signal=KILL';
    test.each([
      ['write', kill, ['write', 'pwrite64', 'writev']],
      ['rename', kill, ['rename', 'renameat', 'renameat2']],
      ['unlink', kill, ['unlink', 'unlinkat', 'rmdir']],
      ['mkdir', kill, ['mkdir', 'mkdirat']],
      ['write', 'error=ENOSPC', ['write', 'pwrite64', 'writev']],
      ['rename', 'error=EIO', ['rename', 'renameat', 'renameat2']],
    ])(
      '%s %s at every call',
      async (name, fault, syscalls) => {
        let mixed = 0;
        let window = 0;
        const points = await everyCrashPoint(async (n) => {
          // GIVEN the old synth's output
          const target = project(outputs.old);
          // WHEN the new synth meets the fault
          const faulty = await target.inject({ syscalls, fault }, n);
          const context = `${name}:${fault}:when=${n}\n${faulty.stderr.slice(-1500)}`;
          // THEN every file is the old or the new version: dist/ as a whole, kustomization.yaml on its own
          const after = tree(target.root, LEFTOVER);
          const dist = (files: Record<string, string>) =>
            Object.fromEntries(Object.entries(files).filter(([p]) => p.startsWith('dist/')));
          const distIs = [outputs.old, outputs.new].findIndex(
            (o) => JSON.stringify(dist(o)) === JSON.stringify(dist(after)),
          );
          if (distIs < 0) {
            // Between the two renames of the swap, dist/ is missing and the old output is the retired
            // folder, whole (a folder cannot be exchanged in one call from Node); anything else is not a swap.
            const retired = readdirSync(target.root).filter((e) => RETIRED.test(e));
            const whole = retired.some(
              (r) =>
                JSON.stringify(prefixed(tree(join(target.root, r)))) === JSON.stringify(dist(outputs.old)),
            );
            if (Object.keys(dist(after)).length > 0 || !whole) {
              throw new Error(`dist/ is neither the old nor the new output after ${context}`);
            }
            window++;
          }
          const kustomization = after['kustomization.yaml'];
          const kustomizationIs = [outputs.old, outputs.new].findIndex(
            (o) => o['kustomization.yaml'] === kustomization,
          );
          if (kustomizationIs < 0) throw new Error(`kustomization.yaml is neither version after ${context}`);
          if (distIs >= 0 && distIs !== kustomizationIs) mixed++;
          const strays = Object.keys(after).filter(
            (p) => !p.startsWith('dist/') && p !== 'kustomization.yaml',
          );
          if (strays.length > 0) throw new Error(`unexpected files ${strays.join(', ')} after ${context}`);
          const leftovers = () => readdirSync(target.root).filter((e) => LEFTOVER.test(e));
          if (faulty.injected && fault !== kill && faulty.status !== null && !faulty.hung) {
            // A failed call synth handled: it cleans up after itself, and what it says is true.
            if (leftovers().length > 0) throw new Error(`left ${leftovers().join(', ')} after ${context}`);
            const said = /unchanged/.test(faulty.stderr)
              ? outputs.old
              : faulty.status === 0
                ? outputs.new
                : undefined;
            if (said && JSON.stringify(after) !== JSON.stringify(said)) {
              throw new Error(`the output is not what synth said after ${context}`);
            }
          }
          // AND the next synth converges, removing what the faulty one left
          const next = await target.run();
          if (next.status !== 0) throw new Error(`the next synth fails (${next.stderr}) after ${context}`);
          expect(tree(target.root, LEFTOVER)).toEqual(outputs.new);
          // AND it removed every work folder and file a killed run left
          if (leftovers().length > 0)
            throw new Error(`the next synth kept ${leftovers().join(', ')} after ${context}`);
          return { injected: faulty.injected };
        });
        counts.push(
          `${name}:${fault}: ${points} points; dist/ missing between the renames, the old output whole beside it: ${window}; ` +
            `dist/ and kustomization.yaml of different synths: ${mixed}`,
        );
        expect(points).toBeGreaterThan(0);
      },
      600000,
    );
  });
});
