// Prints the node matrix of the last real-component run (test/real/node-setup-*.test.ts): each
// node config on each containerd series → pass, or refused cleanly with the reason.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, '..', '.cache', 'matrix');
const runs = ['1.6', '1.7', '2.1']
  .map((s) => join(dir, `${s}.json`))
  .filter((f) => existsSync(f))
  .map((f) => JSON.parse(readFileSync(f, 'utf8')));
if (runs.length === 0) {
  console.error(`no matrix results in ${dir}; run the real-component tests first`);
  process.exit(1);
}
const configs = [...new Set(runs.flatMap((r) => r.table.map(([id]) => id)))];
const cell = (run, id) => {
  const result = run.table.find(([c]) => c === id)?.[1] ?? 'not run';
  return result.startsWith('refused') ? 'refused' : result;
};
const width = Math.max(...configs.map((c) => c.length));
const series = runs.map((r) => r.series);
console.log(`\nnode matrix: ${runs.map((r) => r.version).join(' | ')}\n`);
console.log(`${'config'.padEnd(width)}  ${series.map((s) => `containerd ${s}`.padEnd(15)).join('')}`);
for (const id of configs)
  console.log(`${id.padEnd(width)}  ${runs.map((r) => cell(r, id).padEnd(15)).join('')}`);
console.log('\nreasons:');
for (const run of runs) {
  for (const [id, result] of run.table)
    if (result !== 'pass') console.log(`  ${run.series} ${id}: ${result}`);
}
const failed = runs.flatMap((r) => r.table.filter(([, result]) => result === 'FAILED'));
process.exit(failed.length > 0 ? 1 : 0);
