import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Yaml } from 'cdk8s';
import { readAgentBundle } from '../lib/node-setup/agent-bundle';
import { AGENT_KEY } from '../lib/node-setup/node-setup';
import { NodeSetupChart } from '../lib/node-setup/node-setup-chart';
import { pinnedRegistryAddress } from '../lib/registry/registry-address';
import { ROOT } from './support/run';
import { configOf, find, tempDir, type Manifest } from './support/synth';

/** What client-side `kubectl apply` can keep in the last-applied-configuration annotation. */
const LAST_APPLIED_LIMIT = 262144;

/** The agent bundled as scripts/build.mjs bundles it, with `file`'s text replaced by `contents`. */
function bundleAgent(file?: string, contents?: string): string {
  const script = `
    import { build } from 'esbuild';
    import { agentOptions } from ${JSON.stringify(join(ROOT, 'scripts', 'build-options.mjs'))};
    const [file, contents] = JSON.parse(process.env.REPLACE);
    const replace = {
      name: 'replace-one-file',
      setup(b) {
        if (file) b.onLoad({ filter: /\\.ts$/ }, (args) => (args.path === file ? { contents, loader: 'ts' } : undefined));
      },
    };
    const result = await build({ ...agentOptions(process.cwd(), 'node-agent.js'), write: false, plugins: [replace] });
    process.stdout.write(result.outputFiles[0].text);`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', REPLACE: JSON.stringify([file ?? '', contents ?? '']) },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

/** The node-setup output file's text for a given agent, as synth writes it. */
function renderNodeSetup(agentScript: string): { text: string; objects: Manifest[] } {
  const config = configOf();
  const chart = new NodeSetupChart(new App(), 'node-setup', {
    registry: config.registry,
    nodeSetup: config.nodeSetup,
    address: pinnedRegistryAddress(config.registry),
    agentScript,
  });
  const objects = chart.toJson() as Manifest[];
  return { text: Yaml.stringify(...objects), objects };
}

/** The changed lines of `diff` between two texts: `<` old, `>` new. */
function changedLines(before: string, after: string): string[] {
  const dir = tempDir();
  writeFileSync(join(dir, 'before'), before);
  writeFileSync(join(dir, 'after'), after);
  const diff = spawnSync('diff', [join(dir, 'before'), join(dir, 'after')], { encoding: 'utf8' });
  return diff.stdout.split('\n').filter((line) => /^[<>] /.test(line));
}

/** A line of agent/ with a string literal the bundle keeps (a message), to change by one word. */
function aLineToChange(): { file: string; line: number; text: string } {
  const files = readdirSync(join(ROOT, 'agent'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort();
  for (const name of files) {
    const file = join(ROOT, 'agent', name);
    const lines = readFileSync(file, 'utf8').split('\n');
    const line = lines.findIndex((l) => /^\s+[^/*\s].*'[a-z][a-z ]{11,}[a-z]'/.test(l));
    if (line >= 0) return { file, line, text: readFileSync(file, 'utf8') };
  }
  throw new Error('no line with a message literal in agent/');
}

describe('the agent in the node-setup ConfigMap', () => {
  const shipped = readAgentBundle(ROOT);
  const { text, objects } = renderNodeSetup(shipped);
  const configMap = find(objects, 'ConfigMap', 'internal-registry-node-setup');

  test('is the bundle scripts/build.mjs wrote, built with the options this test uses', () => {
    expect(bundleAgent()).toBe(shipped);
    expect(configMap.data[AGENT_KEY]).toBe(shipped);
  });

  test('is readable code: one statement a line, no line longer than 400 characters, a YAML block', () => {
    expect(shipped.split('\n').length).toBeGreaterThan(1000);
    expect(Math.max(...text.split('\n').map((line) => line.length))).toBeLessThanOrEqual(400);
    expect(text).toContain(`${AGENT_KEY}: |`);
  });

  test('a one-line change in agent/ is a diff of a few short lines in the output', () => {
    // GIVEN: one word of a message in agent/ changed
    const { file, line, text: source } = aLineToChange();
    const lines = source.split('\n');
    const original = lines[line];
    lines[line] = original.replace(/'([a-z]+)/, "'reworded");
    expect(lines[line]).not.toBe(original);
    // WHEN
    const changed = renderNodeSetup(bundleAgent(file, lines.join('\n'))).text;
    // THEN: that line in the ConfigMap and the DaemonSet's config hash, nothing else
    const diff = changedLines(text, changed);
    expect(diff.length).toBeGreaterThanOrEqual(2);
    expect(diff.length).toBeLessThanOrEqual(4);
    expect(diff.filter((l) => l.startsWith('>')).some((l) => l.includes('reworded'))).toBe(true);
    for (const l of diff) expect(l.length).toBeLessThanOrEqual(200);
  });

  test(`keeps the ConfigMap below the ${LAST_APPLIED_LIMIT} bytes of kubectl apply's last-applied annotation`, () => {
    // The annotation holds the object as JSON; keep a margin for labels and annotations added later.
    const size = Buffer.byteLength(JSON.stringify(configMap));
    expect(size).toBeLessThan(LAST_APPLIED_LIMIT * 0.75);
  });

  test('the committed dist/ carries it the same way', () => {
    const file = readdirSync(join(ROOT, 'dist')).find((f) => f.endsWith('-node-setup.k8s.yaml'))!;
    const committed = readFileSync(join(ROOT, 'dist', file), 'utf8');
    expect(committed).toContain(`${AGENT_KEY}: |`);
    expect(Math.max(...committed.split('\n').map((l) => l.length))).toBeLessThanOrEqual(400);
  });
});
