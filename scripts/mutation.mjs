// `npm run mutation`: StrykerJS over the pure modules (stryker.config.mjs), then the score per
// module, then the survivors checked against test/mutation-survivors.json: every surviving mutant
// is either killed by a test or listed there with the reason it is harmless (issue 13). Fails on a
// survivor that is not listed, and on a listed one that no longer survives (the list stays true).
// `npm run mutation -- --mutate agent/decide.ts` narrows the run; the check then covers that file only.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const survivorsFile = join(root, 'test', 'mutation-survivors.json');
const report = join(root, 'reports', 'mutation', 'mutation.json');
const args = process.argv.slice(2);

// Bundles from the unmutated sources: tests that read build/ must see the shipped bytes.
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: root });
execFileSync(
  process.execPath,
  [join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'), 'run', ...args],
  {
    stdio: 'inherit',
    cwd: root,
    // Fewer fuzz runs per mutant: the fuzz tests run for every mutant of the validator.
    env: { ...process.env, FUZZ_RUNS: process.env.FUZZ_RUNS ?? '60' },
  },
);

/** A survivor, identified by what it changes rather than by its column, so that edits elsewhere do not move it. */
const key = (m) => `${m.file} | ${m.mutator} | ${m.line} => ${m.replacement}`;

const { files } = JSON.parse(readFileSync(report, 'utf8'));
const survivors = [];
const rows = [];
for (const [file, { source, mutants }] of Object.entries(files).sort()) {
  const lines = source.split('\n');
  const count = (...statuses) => mutants.filter((m) => statuses.includes(m.status)).length;
  const killed = count('Killed', 'Timeout');
  const valid = mutants.length - count('CompileError', 'RuntimeError', 'Ignored');
  rows.push([
    file,
    valid,
    killed,
    count('Survived'),
    count('NoCoverage'),
    valid ? (100 * killed) / valid : 100,
  ]);
  for (const m of mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')) {
    survivors.push({
      file,
      mutator: m.mutatorName,
      line: lines[m.location.start.line - 1].trim(),
      replacement: m.replacement ?? '',
    });
  }
}
process.stdout.write('\nmutation score per module (killed / mutants):\n');
for (const [file, valid, killed, survived, uncovered, score] of rows) {
  process.stdout.write(
    `  ${file.padEnd(36)} ${score.toFixed(1).padStart(5)}%  ${killed}/${valid}  survived ${survived}, no coverage ${uncovered}\n`,
  );
}

const accepted = JSON.parse(readFileSync(survivorsFile, 'utf8'));
const inRun = new Set(Object.keys(files));
const acceptedKeys = new Set(accepted.filter((a) => inRun.has(a.file)).map(key));
const unexplained = survivors.filter((s) => !acceptedKeys.has(key(s)));
const surviving = new Set(survivors.map(key));
const stale = accepted.filter((a) => inRun.has(a.file) && !surviving.has(key(a)));
for (const s of unexplained)
  process.stderr.write(`SURVIVED, not in test/mutation-survivors.json: ${key(s)}\n`);
for (const a of stale)
  process.stderr.write(`listed in test/mutation-survivors.json but killed now, remove it: ${key(a)}\n`);
const missingReason = accepted.filter((a) => !a.why || a.why.trim().length < 10);
for (const a of missingReason) process.stderr.write(`no reason given for an accepted survivor: ${key(a)}\n`);
process.stdout.write(
  `${survivors.length} surviving mutants, ${survivors.length - unexplained.length} of them accepted with a reason\n`,
);
if (unexplained.length + stale.length + missingReason.length > 0) process.exit(1);
