// Bundles the node agent and the synth app with esbuild (pinned exactly: the agent's bytes land in
// dist/, and another esbuild version would show up as drift). `build/` is never committed.
// It also records its input files (size and mtime) in build/inputs.json, so that
// scripts/synth.cjs can tell whether the bundles are current without loading esbuild.
import { build } from 'esbuild';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentOptions, commonOptions } from './build-options.mjs';
import { k8sAsEsm, oneYaml } from './esbuild-plugins.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build');
const common = commonOptions(root);

const agent = await build(agentOptions(root, join(out, 'node-agent.js')));
const synth = await build({
  ...common,
  entryPoints: [join(root, 'main.ts')],
  outfile: join(out, 'main.js'),
  minify: true,
  plugins: [k8sAsEsm, oneYaml(root)],
});
// The Kubernetes client, loaded only when discovery is asked for (lib/discovery/load-service-lookup.ts).
const discover = await build({
  ...common,
  entryPoints: [join(root, 'lib', 'discovery', 'service-lookup.ts')],
  outfile: join(out, 'discover.js'),
  minify: true,
});
// `npm run doctor`, with the same Kubernetes client.
const doctor = await build({
  ...common,
  entryPoints: [join(root, 'lib', 'doctor', 'main.ts')],
  outfile: join(out, 'doctor.js'),
  minify: true,
});
// `npm run push`: the writer's workload and port from the config.
const pushTarget = await build({
  ...common,
  entryPoints: [join(root, 'lib', 'cli', 'push-target-cli.ts')],
  outfile: join(out, 'push-target.js'),
  minify: true,
});
// A code cache compiled for the previous bundle is useless now.
rmSync(join(out, 'main.js.cache'), { force: true });

// Files under node_modules are stood for by npm's own record of the install, which every
// `npm install` and `npm ci` rewrites: stat-ing a few dozen files keeps the check cheap.
const inputs = [
  ...[agent, synth, discover, doctor, pushTarget].flatMap((result) => Object.keys(result.metafile.inputs)),
  'scripts/build.mjs',
  'scripts/build-options.mjs',
  'scripts/esbuild-plugins.mjs',
  'package-lock.json',
  'node_modules/.package-lock.json',
].filter((file) => !file.startsWith('node_modules/') || file === 'node_modules/.package-lock.json');
const record = Object.fromEntries(
  [...new Set(inputs.map((f) => resolve(root, f)))].sort().map((file) => {
    const { size, mtimeMs } = statSync(file);
    return [file, [size, mtimeMs]];
  }),
);
writeFileSync(join(out, 'inputs.json'), JSON.stringify(record));
