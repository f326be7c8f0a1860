// Snapshots live in the top-level __snapshots__/ folder, one file per test file.
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const folder = path.join(root, '__snapshots__');

module.exports = {
  resolveSnapshotPath: (testPath, extension) => path.join(folder, path.basename(testPath) + extension),
  resolveTestPath: (snapshotPath, extension) =>
    path.join(root, 'test', path.basename(snapshotPath).slice(0, -extension.length)),
  testPathForConsistencyCheck: path.join(root, 'test', 'example.test.ts'),
};
