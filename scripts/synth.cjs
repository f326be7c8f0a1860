// `npm run synth` and `cdk8s synth`: rebuilds the bundles only when an input changed (checked by
// size and mtime against build/inputs.json, without loading esbuild), then runs build/main.js
// through V8's code cache. The first successful run stores the compiled code, functions compiled
// lazily during the run included, in build/main.js.cache; later runs skip compiling. V8 rejects a
// cache made by another Node version or for other source, and the cache is then rebuilt.
'use strict';
const { execFileSync } = require('node:child_process');
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const vm = require('node:vm');
const { bundlesAreCurrent } = require('./bundles-current.cjs');

const root = join(__dirname, '..');
const build = join(root, 'build');
const bundle = join(build, 'main.js');
const cacheFile = `${bundle}.cache`;

function readCache() {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

if (!bundlesAreCurrent(build)) {
  execFileSync(process.execPath, [join(__dirname, 'build.mjs')], { stdio: 'inherit' });
}
const cachedData = readCache();
const wrapper = `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`;
const script = new vm.Script(wrapper, { filename: bundle, cachedData });
const module_ = { exports: {} };
script.runInThisContext()(module_.exports, require, module_, bundle, build);
// Synth may finish asynchronously (discovery): store the cache when the process ends, and only
// after a successful run, so that it holds the code a whole synth compiles.
process.on('exit', (code) => {
  if (code !== 0 || (cachedData !== undefined && !script.cachedDataRejected)) return;
  const temp = `${cacheFile}.${process.pid}`;
  writeFileSync(temp, script.createCachedData());
  renameSync(temp, cacheFile);
});
