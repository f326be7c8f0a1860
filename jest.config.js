/** @type {import('jest').Config} */
module.exports = {
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/agent/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  snapshotResolver: '<rootDir>/test/support/snapshot-resolver.js',
  globalSetup: '<rootDir>/test/support/global-setup.js',
  testTimeout: 120000,
  maxWorkers: 2,
  // StrykerJS's sandboxes (npm run mutation) hold a copy of the project.
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/.stryker-tmp'],
};
