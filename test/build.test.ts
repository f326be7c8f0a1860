import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprint, ROOT } from './support/run';
import { tempDir } from './support/synth';

const k8sModule = join(ROOT, 'node_modules', 'cdk8s-plus-28', 'lib', 'imports', 'k8s.js');
const cache = join(ROOT, 'build', 'main.js.cache');

/** Runs the build's transform in its own process (it is an ES module, as the build script is). */
function toEsm(source: string): string {
  const script =
    `import { toEsm } from ${JSON.stringify(join(ROOT, 'scripts', 'esbuild-plugins.mjs'))};` +
    'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => process.stdout.write(toEsm(s)));';
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    input: source,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

function launch(env: Record<string, string>) {
  return spawnSync(process.execPath, [join(ROOT, 'scripts', 'synth.cjs')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
}

describe('k8s.js as an ES module (lets esbuild drop the unused Kubernetes API)', () => {
  test('exports exactly what the CommonJS module exports', () => {
    // GIVEN
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cjsExports = Object.keys(require(k8sModule)).sort();
    // WHEN
    const esm = toEsm(readFileSync(k8sModule, 'utf8'));
    // THEN
    const exported = /\nexport \{ ([^}]*) \};\n$/.exec(esm)![1].split(', ').sort();
    expect(exported).toEqual(cjsExports);
    expect(exported.length).toBeGreaterThan(500);
  });

  test('fails the build on CommonJS it does not recognize, rather than bundle something else', () => {
    expect(() => toEsm('const cdk8s_1 = require("cdk8s");\nexports.Surprise = 1;\n')).toThrow(
      /unrecognized CommonJS at line 2/,
    );
  });
});

describe('scripts/synth.cjs (npm run synth): the bundle through V8’s code cache', () => {
  test('writes the same files as the bundle, stores a cache only after a successful run, and reuses it', () => {
    // GIVEN: no cache, and the output of the bundle run directly
    rmSync(cache, { force: true });
    const direct = join(tempDir(), 'dist');
    expect(
      spawnSync(process.execPath, [join(ROOT, 'build', 'main.js')], { env: { CDK8S_OUTDIR: direct } }).status,
    ).toBe(0);
    // WHEN: a failing run, then two good ones
    const badConfig = join(tempDir(), 'bad.yaml');
    writeFileSync(badConfig, 'apps: []\n');
    const failed = launch({ CDK8S_OUTDIR: join(tempDir(), 'dist'), SYNTH_CONFIG: badConfig });
    const cachedAfterFailure = existsSync(cache);
    const first = join(tempDir(), 'dist');
    const second = join(tempDir(), 'dist');
    const firstRun = launch({ CDK8S_OUTDIR: first });
    const cachedAfterSuccess = existsSync(cache);
    const secondRun = launch({ CDK8S_OUTDIR: second });
    // THEN
    expect(failed.status).toBe(2);
    expect(failed.stderr).toContain('apps: is empty');
    expect(cachedAfterFailure).toBe(false);
    expect([firstRun.status, secondRun.status]).toEqual([0, 0]);
    expect(cachedAfterSuccess).toBe(true);
    expect(fingerprint(first)).toEqual(fingerprint(direct));
    expect(fingerprint(second)).toEqual(fingerprint(direct));
  });
});
