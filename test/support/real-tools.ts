import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeContainers } from './registry-pods';
import { runSynth } from './run';
import { find, readManifestDir, tempDir, type Manifest } from './synth';

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
export function buildOciLayout(content: string | Buffer = 'easy-kanban\n'): string {
  const dir = tempDir('image-');
  const sh = (cmd: string) => execFileSync('sh', ['-c', cmd], { cwd: dir, stdio: 'pipe' });
  sh('umoci init --layout oci && umoci new --image oci:latest && umoci unpack --image oci:latest bundle');
  writeFileSync(join(dir, 'bundle', 'rootfs', 'hello.txt'), content);
  sh('umoci repack --image oci:latest bundle');
  return join(dir, 'oci');
}

/**
 * A fresh synth for the stand-in ClusterIP 192.0.2.10, with the node-setup ConfigMap's files written
 * to a folder as the DaemonSet mounts them at /agent: the bytes that ship. Beside it, `../registry`
 * holds the registry pod of the same synth as test/real/registry-pods.sh runs it (node-env.sh pulls
 * through its reader).
 */
export function shippedNodeSetup(config?: object): { agentDir: string; daemonSet: Manifest } {
  const out = join(tempDir(), 'dist');
  const env: Record<string, string> = { CDK8S_OUTDIR: out, REGISTRY_CLUSTER_IP: '192.0.2.10' };
  if (config) {
    env.SYNTH_CONFIG = join(tempDir(), 'config.yaml');
    writeFileSync(env.SYNTH_CONFIG, JSON.stringify(config));
  }
  const synth = runSynth(env);
  if (synth.status !== 0) throw new Error(synth.stderr);
  const objects = readManifestDir(out).flatMap((f) => f.objects);
  const configMap = find(objects, 'ConfigMap', 'internal-registry-node-setup');
  const shipped = tempDir('shipped-');
  const agentDir = join(shipped, 'agent');
  mkdirSync(agentDir);
  for (const [key, value] of Object.entries(configMap.data as Record<string, string>)) {
    writeFileSync(join(agentDir, key), value);
  }
  const uid = writeContainers(join(shipped, 'registry'), objects, 'internal-registry', {});
  writeFileSync(join(shipped, 'registry', 'uid'), String(uid));
  return { agentDir, daemonSet: find(objects, 'DaemonSet', 'internal-registry-node-setup') };
}

/** Runs a node harness in its own network, mount and PID namespaces; throws with its logs on failure. */
export function runInNamespaces(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  timeout = 180000,
): void {
  const result = spawnSync(
    'unshare',
    ['--net', '--mount', '--pid', '--fork', '--mount-proc', 'bash', script, ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      timeout,
    },
  );
  if (result.status !== 0)
    throw new Error(`${script} failed (${result.status}): ${result.stderr.slice(-3000)}`);
}

/**
 * Fails the test, naming the tool, when one it runs is missing. For tools of the base image rather
 * than scripts/test-packages.txt (kubectl 1.32; Debian's kubernetes-client is 1.20): without it the
 * test would fail on a confusing empty output instead.
 */
export function requireTools(...tools: string[]): void {
  const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (missing.length > 0) {
    throw new Error(
      `missing: ${missing.join(', ')}; these tests need it on PATH (the CI image ships kubectl 1.32)`,
    );
  }
}
