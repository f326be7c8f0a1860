import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './synth';

/**
 * `describe` for suites that run real tools (containerd, docker-registry, skopeo, umoci…), or
 * `describe.skip` with a loud message where they are missing. With CI=true a missing tool fails
 * instead: CI never skips these suites.
 */
export function describeWithTools(tools: readonly string[], needsRoot = false): jest.Describe {
  const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (needsRoot && process.getuid?.() !== 0) missing.push('root');
  if (missing.length === 0) return describe;
  if (process.env.CI === 'true') {
    test('the real-component tools are installed (CI never skips these tests)', () => {
      throw new Error(`missing: ${missing.join(', ')}; run scripts/install-test-deps.sh`);
    });
  } else {
    process.stderr.write(`SKIPPED real-component tests: missing ${missing.join(', ')}\n`);
  }
  return describe.skip;
}

/** A small single-layer image built with umoci; returns its OCI layout folder (tag `latest`). */
export function buildOciLayout(content = 'easy-kanban\n'): string {
  const dir = tempDir('image-');
  const sh = (cmd: string) => execFileSync('sh', ['-c', cmd], { cwd: dir, stdio: 'pipe' });
  sh('umoci init --layout oci && umoci new --image oci:latest && umoci unpack --image oci:latest bundle');
  writeFileSync(join(dir, 'bundle', 'rootfs', 'hello.txt'), content);
  sh('umoci repack --image oci:latest bundle');
  return join(dir, 'oci');
}
