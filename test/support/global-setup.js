// Tests run the same bundle that `npm run synth` runs, so build it first, unless build/ is current
// (checked as synth checks it): a mutation run starts jest once per mutant, and rebuilding each time
// cost more than the tests themselves (issue 13).
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { bundlesAreCurrent } = require('../../scripts/bundles-current.cjs');

const root = path.join(__dirname, '..', '..');

module.exports = async () => {
  if (bundlesAreCurrent(path.join(root, 'build'))) return;
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
};
