// Whether build/ holds bundles of the current sources: every input that scripts/build.mjs recorded in
// build/inputs.json still has its size and mtime. Plain CommonJS without dependencies, so that synth
// and jest's global setup can ask without loading esbuild.
'use strict';
const { readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

/** True when build/inputs.json exists and no recorded input changed since the build. */
function bundlesAreCurrent(build) {
  try {
    const inputs = JSON.parse(readFileSync(join(build, 'inputs.json'), 'utf8'));
    return Object.entries(inputs).every(([file, [size, mtimeMs]]) => {
      const stat = statSync(file);
      return stat.size === size && stat.mtimeMs === mtimeMs;
    });
  } catch {
    return false;
  }
}

module.exports = { bundlesAreCurrent };
