// `npm run synth` and `cdk8s synth`: rebuilds the bundles only when an input changed (checked by
// size and mtime against build/inputs.json, without loading esbuild), then runs build/main.js
// through V8's code cache. The first successful run stores the compiled code, functions compiled
// lazily during the run included, in build/main.js.cache; later runs skip compiling. V8 rejects a
// cache made by another Node version or for other source, and the cache is then rebuilt.
//
// `--stdout` (Argo CD's generate) prints the manifest stream and writes nothing into the project
// once the bundles and the cache exist; every failure is one line on stderr. `--prepare` (the
// plugin's init) builds the bundles and stores the cache, so that generate works on a read-only copy.
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const vm = require('node:vm');
const { bundlesAreCurrent } = require('./bundles-current.cjs');

const root = join(__dirname, '..');
const build = join(root, 'build');
const bundle = join(build, 'main.js');
const cacheFile = `${bundle}.cache`;
// EXIT_CODES.build in lib/config/errors.ts (this file runs before any bundle exists).
const EXIT_BUILD = 5;
const toStdout = process.argv.includes('--stdout');

function readCache() {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

function fail(message) {
  process.stderr.write(`synth: ${message}\n`);
  process.exit(EXIT_BUILD);
}

function buildBundles() {
  if (bundlesAreCurrent(build)) return;
  // esbuild's own report is many lines; generate's stderr must be one, so it is kept for the message.
  const result = spawnSync(process.execPath, [join(__dirname, 'build.mjs')], {
    stdio: toStdout ? 'pipe' : 'inherit',
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    const lines = `${result.stderr ?? ''}`.split('\n').map((line) => line.trim());
    const first = lines.find((line) => /error/i.test(line)) ?? lines.find(Boolean) ?? `exit ${result.status}`;
    fail(`could not build the bundles in build/ (${first}); run npm run build (Argo CD: the plugin's init)`);
  }
}

// A synth of the built-in config (an empty config file, none of the caller's variables), printed
// nowhere: compiles what a synth compiles and stores it in the code cache.
function prepare() {
  buildBundles();
  const dir = mkdtempSync(join(tmpdir(), 'synth-prepare-'));
  try {
    const empty = join(dir, 'empty.yaml');
    writeFileSync(empty, '');
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, SYNTH_CONFIG: empty };
    const result = spawnSync(process.execPath, [__filename, '--stdout'], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    if (result.status !== 0) fail(`the warm-up synth failed: ${result.stderr.trim()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--prepare')) {
  prepare();
  process.exit(0);
}
buildBundles();
const cachedData = readCache();
let script;
try {
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`;
  script = new vm.Script(wrapper, { filename: bundle, cachedData });
  const module_ = { exports: {} };
  script.runInThisContext()(module_.exports, require, module_, bundle, build);
} catch (error) {
  fail(`could not load ${bundle}: ${String(error && error.message).split('\n')[0]}; run npm run build`);
}
// Synth may finish asynchronously (discovery): store the cache when the process ends, and only
// after a successful run, so that it holds the code a whole synth compiles.
process.on('exit', (code) => {
  if (code !== 0 || (cachedData !== undefined && !script.cachedDataRejected)) return;
  const temp = `${cacheFile}.${process.pid}`;
  try {
    writeFileSync(temp, script.createCachedData());
    renameSync(temp, cacheFile);
  } catch {
    // Only a speed-up: a read-only checkout (Argo CD after init) runs without storing it.
    rmSync(temp, { force: true });
  }
});
