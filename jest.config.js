/** @type {import('jest').Config} */
module.exports = {
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/agent/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  snapshotResolver: '<rootDir>/test/support/snapshot-resolver.js',
  globalSetup: '<rootDir>/test/support/global-setup.js',
  testTimeout: 120000,
  maxWorkers: 2,
};
