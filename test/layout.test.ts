import { readdirSync } from 'node:fs';
import { join } from 'node:path';

// Issue 11 item 6: lib/'s root shows the architecture, the composition and one folder per concern.
test('lib/ holds only the composition (build-app.ts) and feature folders', () => {
  const entries = readdirSync(join(__dirname, '..', 'lib'), { withFileTypes: true });
  const files = entries.filter((entry) => !entry.isDirectory()).map((entry) => entry.name);
  expect(files).toEqual(['build-app.ts']);
  const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  expect(folders).toEqual(expect.arrayContaining(['k8s', 'config', 'output', 'node-setup', 'registry']));
});
