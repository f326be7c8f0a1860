// npm run bench: times synth against two baselines in the same run, and the node agent.
// Commands are timed as npm would run them, without npm itself (npm's own start-up, about 0.27 s,
// is not part of synth): each is spawned directly with `sh -c`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const root = join(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_RUNS ?? 7);
const work = mkdtempSync(join(tmpdir(), 'bench-'));
const hasGnuTime = existsSync('/usr/bin/time');

execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });

function measure(label, command, env = {}, count = runs) {
  const seconds = [];
  let peakKiB = 0;
  for (let i = 0; i < count; i++) {
    const wrapped = hasGnuTime
      ? `/usr/bin/time -f '%M' -o ${work}/rss sh -c ${JSON.stringify(command)}`
      : command;
    const start = process.hrtime.bigint();
    const result = spawnSync('sh', ['-c', wrapped], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: 'pipe',
    });
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (result.status !== 0) throw new Error(`${label} failed: ${result.stderr}`);
    if (hasGnuTime) peakKiB = Math.max(peakKiB, Number(readFileSync(`${work}/rss`, 'utf8').trim()));
  }
  seconds.sort((a, b) => a - b);
  const median = seconds[Math.floor(seconds.length / 2)];
  console.log(
    `${label.padEnd(44)} median ${(median * 1000).toFixed(0).padStart(6)} ms  peak RSS ${hasGnuTime ? `${(peakKiB / 1024).toFixed(0)} MiB` : 'n/a'}  (${count} runs)`,
  );
  return { median, peakMiB: peakKiB / 1024 };
}

const out = (name) => ({ CDK8S_OUTDIR: join(work, name) });
const hundred = join(work, 'hundred.yaml');
writeFileSync(
  hundred,
  `apps:\n${Array.from({ length: 100 }, (_, i) => `  - name: app-${i}\n    namespace: team-${i % 10}\n`).join('')}`,
);

console.log(`\nsynth (2 cores; medians of ${runs} runs; npm start-up excluded)\n`);
execFileSync('node', ['scripts/synth.cjs'], { cwd: root, env: { ...process.env, ...out('warm-up') } }); // stores the code cache
const synth = measure('synth: node scripts/synth.cjs (npm run synth)', 'node scripts/synth.cjs', out('one'));
const cold = measure(
  'synth without code cache',
  'rm -f build/main.js.cache && node build/main.js',
  out('cold'),
);
const floor = measure(
  "floor: require('cdk8s'), require('cdk8s-plus-28')",
  `node -e "require('cdk8s'); require('cdk8s-plus-28')"`,
);
const many = measure('synth, 100 apps in 10 namespaces', 'node scripts/synth.cjs', {
  ...out('many'),
  SYNTH_CONFIG: hundred,
});
const tsNode = measure(
  'template way: npx ts-node main.ts',
  'npx ts-node main.ts',
  out('ts'),
  Math.min(runs, 5),
);
const bare = measure('node -e 0 (Node.js start-up alone)', 'node -e 0');
execFileSync('node', ['scripts/synth.cjs'], { cwd: root, env: { ...process.env, ...out('warm-up') } }); // leave a cache behind

const ratio = (a, b) => (a / b).toFixed(2);
console.log(`
synth / floor                 ${ratio(synth.median, floor.median)}x   (target <= 0.8x)
ts-node / synth               ${ratio(tsNode.median, synth.median)}x   (target >= 20x)
peak RSS of synth             ${synth.peakMiB.toFixed(0)} MiB  (target <= 80 MiB)
100 apps / 1 app              ${ratio(many.median, synth.median)}x   (target <= 2x)
without code cache / floor    ${ratio(cold.median, floor.median)}x
Node.js start-up / synth      ${ratio(bare.median, synth.median)}x   (what no synth can go below)`);

// The node agent per containerd series, on a real containerd in its own namespaces (as root):
// the repeated run on a node it already set up (reads, compares, asks `containerd --version`,
// exits; no restart), and a restart until the CRI plugin answers `ok`. README, "Rollout time".
const configMap = parseAllDocuments(readFileSync(join(work, 'one', '0001-node-setup.k8s.yaml'), 'utf8'))
  .map((d) => d.toJS())
  .find((o) => o.kind === 'ConfigMap');
const agentDir = join(work, 'agent');
mkdirSync(agentDir);
for (const [key, value] of Object.entries(configMap.data)) writeFileSync(join(agentDir, key), value);
console.log(`\nnode agent per containerd series (medians of ${runs} runs)\n`);
if (process.getuid?.() !== 0) {
  console.log('skipped: needs root for its network, mount and PID namespaces');
} else {
  for (const series of ['1.6', '1.7', '2.1']) {
    const binaries = series === '1.6' ? '' : join(root, '.cache', 'containerd', series);
    if (binaries && !existsSync(join(binaries, 'usr', 'bin', 'containerd'))) {
      execFileSync('bash', [join(root, 'scripts', 'fetch-containerd.sh'), series], { stdio: 'inherit' });
    }
    const nodeWork = mkdtempSync(join(work, `node-${series}-`));
    const result = spawnSync(
      'unshare',
      [
        '--net',
        '--mount',
        '--pid',
        '--fork',
        '--mount-proc',
        'bash',
        join(root, 'scripts', 'bench-node.sh'),
        nodeWork,
        agentDir,
        join(root, 'test', 'real', 'node-configs', 'a-default-systemd.toml'),
        String(runs),
      ],
      { encoding: 'utf8', env: { ...process.env, CONTAINERD_BINARIES: binaries } },
    );
    if (result.status !== 0) throw new Error(`bench-node.sh ${series} failed: ${result.stderr}`);
    const r = JSON.parse(result.stdout.trim().split('\n').pop());
    console.log(
      `containerd ${r.version.padEnd(24)} agent first run ${String(r.firstRunMs).padStart(5)} ms` +
        `  repeated run ${String(r.repeatedRunMs).padStart(5)} ms` +
        `  restart until CRI ok ${String(r.restartUntilCriMs).padStart(5)} ms  (restarts: first run ${r.firstRunRestarts}, repeated runs ${r.repeatedRunRestarts})`,
    );
  }
}
