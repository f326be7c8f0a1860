import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAgentBundle } from '../lib/node-setup/agent-bundle';
import { ROOT } from './support/run';
import { configOf, find, synthCharts, tempDir } from './support/synth';

// No k3s runs here: this runs the shipped agent over k3s's file layout (its containerd started with
// --config under /var/lib/rancher), seen through a /proc made by the test.
describe('the node agent on a k3s node layout', () => {
  test('refuses, says where to configure the registry, and writes nothing', () => {
    // GIVEN
    const work = tempDir('k3s-');
    const configMap = find(
      synthCharts(configOf()).get('node-setup')!,
      'ConfigMap',
      'internal-registry-node-setup',
    );
    const agentDir = join(work, 'agent');
    mkdirSync(agentDir);
    for (const [key, value] of Object.entries(configMap.data as Record<string, string>))
      writeFileSync(join(agentDir, key), value);
    writeFileSync(join(agentDir, 'agent.js'), readAgentBundle(ROOT));
    const proc = join(work, 'proc', '4242');
    mkdirSync(proc, { recursive: true });
    writeFileSync(join(proc, 'comm'), 'containerd\n');
    const k3sConfig = '/var/lib/rancher/k3s/agent/etc/containerd/config.toml';
    writeFileSync(
      join(proc, 'cmdline'),
      ['containerd', '-c', k3sConfig, '-a', '/run/k3s/containerd/containerd.sock', ''].join('\0'),
    );
    const host = join(work, 'host');
    mkdirSync(join(host, 'etc', 'containerd'), { recursive: true });
    // WHEN
    const result = spawnSync(process.execPath, [join(agentDir, 'agent.js')], {
      encoding: 'utf8',
      env: {
        AGENT_PLAN_DIR: agentDir,
        HOST_ROOT: host,
        MOUNTED_HOST_PATHS: '/etc/containerd',
        PROC_ROOT: join(work, 'proc'),
        STATUS_DIR: join(work, 'status'),
        RESTART_COMMAND: 'exit 99',
        CONTAINERD_COMMAND: 'exit 99',
        CTR_COMMAND: 'exit 99',
        TERMINATION_LOG: join(work, 'termination-log'),
      },
    });
    // THEN
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`whose containerd reads ${k3sConfig}`);
    expect(result.stderr).toContain('/etc/rancher/k3s/registries.yaml');
    expect(readdirSync(join(host, 'etc', 'containerd'))).toEqual([]);
  });
});
