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

/** One timed run of `command` (seconds) and its peak RSS (KiB, where GNU time exists). */
function runOnce(label, command, env) {
  const wrapped = hasGnuTime
    ? `/usr/bin/time -f '%M' -o ${work}/rss sh -c ${JSON.stringify(command)}`
    : command;
  const start = process.hrtime.bigint();
  const result = spawnSync('sh', ['-c', wrapped], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: 'pipe',
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${label} failed: ${result.stderr}`);
  const kib = hasGnuTime ? Number(readFileSync(`${work}/rss`, 'utf8').trim()) : 0;
  return { seconds, kib };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Runs every case `count` times, round-robin, so that a change in the machine's load (2 shared cores)
 * hits every case alike. Each result has its median and its noise: the median absolute deviation
 * relative to the median.
 */
function measureTogether(cases, count = runs) {
  const samples = cases.map(() => ({ seconds: [], peakKiB: 0 }));
  for (let i = 0; i < count; i++) {
    cases.forEach(({ label, command, env = {}, setup, teardown }, index) => {
      if (setup) execFileSync('sh', ['-c', setup], { cwd: root });
      const { seconds, kib } = runOnce(label, command, env);
      samples[index].seconds.push(seconds);
      samples[index].peakKiB = Math.max(samples[index].peakKiB, kib);
      if (teardown) execFileSync('sh', ['-c', teardown], { cwd: root });
    });
  }
  return cases.map(({ label }, index) => {
    const { seconds, peakKiB } = samples[index];
    const m = median(seconds);
    const noise = median(seconds.map((s) => Math.abs(s - m))) / m;
    console.log(
      `${label.padEnd(50)} median ${(m * 1000).toFixed(0).padStart(6)} ms  ±${(noise * 100).toFixed(0).padStart(2)}%  peak RSS ${hasGnuTime ? `${(peakKiB / 1024).toFixed(0)} MiB` : 'n/a'}  (${count} runs)`,
    );
    return { median: m, noise, peakMiB: peakKiB / 1024 };
  });
}

const out = (name) => ({ CDK8S_OUTDIR: join(work, name) });
const hundred = join(work, 'hundred.yaml');
writeFileSync(
  hundred,
  `apps:\n${Array.from({ length: 100 }, (_, i) => `  - name: app-${i}\n    namespace: team-${i % 10}\n`).join('')}`,
);

console.log(
  `\nsynth (2 cores; medians of ${runs} runs, taken round-robin; ± is the median deviation; npm start-up excluded)\n`,
);
execFileSync('node', ['scripts/synth.cjs'], { cwd: root, env: { ...process.env, ...out('warm-up') } }); // stores the code cache
const [synth, floor, many, cold, bare] = measureTogether([
  {
    label: 'synth: node scripts/synth.cjs (npm run synth)',
    command: 'node scripts/synth.cjs',
    env: out('one'),
  },
  {
    label: "floor: require('cdk8s'), require('cdk8s-plus-28')",
    command: `node -e "require('cdk8s'); require('cdk8s-plus-28')"`,
  },
  {
    label: 'synth, 100 apps in 10 namespaces',
    command: 'node scripts/synth.cjs',
    env: { ...out('many'), SYNTH_CONFIG: hundred },
  },
  {
    label: 'synth without code cache',
    command: 'node build/main.js',
    env: out('cold'),
    // the cache is set aside, untimed, and put back for the other cases
    setup: 'mv build/main.js.cache build/main.js.cache.bench',
    teardown: 'mv build/main.js.cache.bench build/main.js.cache',
  },
  { label: 'node -e 0 (Node.js start-up alone)', command: 'node -e 0' },
]);
const [tsNode] = measureTogether(
  [{ label: 'template way: npx ts-node main.ts', command: 'npx ts-node main.ts', env: out('ts') }],
  Math.min(runs, 5),
);
execFileSync('node', ['scripts/synth.cjs'], { cwd: root, env: { ...process.env, ...out('warm-up') } }); // leave a cache behind

// The node-setup ConfigMap as client-side `kubectl apply` stores it in its last-applied annotation (JSON).
const configMap = parseAllDocuments(readFileSync(join(work, 'one', '0001-node-setup.k8s.yaml'), 'utf8'))
  .map((d) => d.toJS())
  .find((o) => o.kind === 'ConfigMap');
const configMapBytes = Buffer.byteLength(JSON.stringify(configMap));

// A goal is missed when the figure is worse than the goal by more than the noise measured for it
// (the sum of the relative noises of a ratio's two medians); within the noise it is marked `~`.
const goals = [];
function goal(label, value, unit, target, better, noise) {
  const slack = target * noise;
  const met = better === 'lower' ? value <= target : value >= target;
  const missed = better === 'lower' ? value > target + slack : value < target - slack;
  const mark = met ? 'ok' : missed ? 'MISSED' : '~ (within noise)';
  const sign = better === 'lower' ? '<=' : '>=';
  console.log(
    `${label.padEnd(30)} ${value.toFixed(unit === 'x' ? 2 : 0).padStart(8)}${unit}  goal ${sign} ${target}${unit}  noise ±${(noise * 100).toFixed(0)}%  ${mark}`,
  );
  goals.push({ label, missed });
}
console.log('');
goal('synth / floor', synth.median / floor.median, 'x', 0.8, 'lower', synth.noise + floor.noise);
goal('100 apps / 1 app', many.median / synth.median, 'x', 2, 'lower', many.noise + synth.noise);
goal('ts-node / synth', tsNode.median / synth.median, 'x', 20, 'higher', tsNode.noise + synth.noise);
if (hasGnuTime) goal('peak RSS of synth', synth.peakMiB, ' MiB', 80, 'lower', 0);
goal('node-setup ConfigMap (JSON)', configMapBytes, ' B', 262144, 'lower', 0);
console.log(`without code cache / floor     ${(cold.median / floor.median).toFixed(2)}x`);
console.log(
  `Node.js start-up / synth       ${(bare.median / synth.median).toFixed(2)}x   (what no synth can go below)`,
);

// The node agent per containerd series, on a real containerd in its own namespaces (as root):
// the repeated run on a node it already set up (reads, compares, asks `containerd --version`,
// exits; no restart), and a restart until the CRI plugin answers `ok`. README, "Rollout time".
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

// The registry reader: what one serves (README, "Capacity").
const { benchRegistry } = await import('./bench-registry.mjs');
await benchRegistry(readFileSync(join(work, 'one', '0000-registry.k8s.yaml'), 'utf8'), work);

const missed = goals.filter((g) => g.missed);
if (missed.length > 0) {
  console.error(`\nmissed by more than the noise: ${missed.map((g) => g.label).join(', ')}`);
  process.exitCode = 1;
}
