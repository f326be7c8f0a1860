// StrykerJS over the pure modules (issue 13). Run it with `npm run mutation` (scripts/mutation.mjs),
// which builds first, prints the score per module and checks the survivors against
// test/mutation-survivors.json.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'jest.mutation.config.js', enableFindRelatedTests: false },
  coverageAnalysis: 'perTest',
  // Module-level constants would rerun the whole suite once per mutant; the tests that read them
  // (defaults, tables) are in the run anyway through the functions that use them.
  ignoreStatic: true,
  mutate: [
    'lib/config/validate.ts',
    // The validator's logic since issue 11: the schema walker, the field rules, the cross-field rules.
    'lib/config/schema/read.ts',
    'lib/config/schema/rules.ts',
    'lib/config/cross-field.ts',
    'lib/config/field-reader.ts',
    'lib/net/ip.ts',
    'lib/node-setup/hosts-toml.ts',
    'agent/decide.ts',
    'agent/dump-check.ts',
  ],
  // Stryker would prepend `// @ts-nocheck` to every file it copies, build/'s bundles included, and so
  // change the agent bytes that a snapshot pins. swc never type-checks, so nothing needs it.
  disableTypeChecks: false,
  concurrency: 2,
  // A mutant that loops is cut off after the time its tests took unmutated plus this. At 5 s, on a
  // loaded 2-core machine every mutant of agent/dump-check.ts timed out (jest restarting cold after
  // each), and a timeout counts as killed: the score was false (issue 13).
  timeoutMS: 30000,
  // Later runs reuse the results of mutants whose code and tests did not change.
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  reporters: ['json', 'clear-text', 'progress'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  // The real suites are not run, and their node fixtures hold symlinks that point outside the folder.
  ignorePatterns: ['test/real/', 'reports/', '.stryker-tmp*'],
  cleanTempDir: 'always',
};
