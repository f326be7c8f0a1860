// The jest config of `npm run mutation` (StrykerJS): the targeted unit tests of the mutated modules,
// run in-process. Left out on purpose (issue 13): the tests that run build/'s bundles in a child
// process (a mutant is active only in Stryker's own process, so they cannot kill one), the tests that
// compare the committed dist/ or pin bytes, the chart tests (snapshots: a kill there is drift, not an
// aimed test; and each loads a whole synth per mutant),
// the fuzz tests (hundreds of runs per mutant), the agent tests that run containerd (seconds per
// mutant) and the real-component suites. build/ is built from
// the unmutated sources before the run (scripts/mutation.mjs), never from the instrumented sandbox.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: [
    '<rootDir>/test/config.test.ts',
    '<rootDir>/test/config-rules.test.ts',
    '<rootDir>/test/ip.test.ts',
    '<rootDir>/test/hosts-toml.test.ts',
    '<rootDir>/test/node-plan.test.ts',
    '<rootDir>/test/config-edit.test.ts',
    '<rootDir>/test/decide.test.ts',
    '<rootDir>/test/dump-check.test.ts',
  ],
};
