import { Yaml } from 'cdk8s';
import { AGENT_KEY, CONFIG_HASH_ANNOTATION } from '../lib/node-setup/node-setup';
import { configOf, find, synthCharts, type Manifest } from './support/synth';

function nodeSetup(raw: unknown = {}, env: Record<string, string> = {}) {
  const objects = synthCharts(configOf(raw, env)).get('node-setup')!;
  return {
    objects,
    configMap: find(objects, 'ConfigMap', 'internal-registry-node-setup'),
    daemonSet: find(objects, 'DaemonSet', 'internal-registry-node-setup'),
  };
}

describe('node setup chart', () => {
  const { objects, configMap, daemonSet } = nodeSetup();
  const pod = daemonSet.spec.template.spec;

  test('matches the snapshot (review diff; the agent and the hash of it left out)', () => {
    // The agent's bytes are pinned once, by the committed dist/ (test/agent-bundle.test.ts); the
    // hash that rolls the DaemonSet has its own assertion below.
    const reviewable = objects.map((o: Manifest) => {
      if (o.kind === 'ConfigMap') return { ...o, data: { ...o.data, [AGENT_KEY]: '<build/node-agent.js>' } };
      if (o.kind !== 'DaemonSet') return o;
      const template = o.spec.template;
      const annotations = {
        ...template.metadata.annotations,
        [CONFIG_HASH_ANNOTATION]: '<sha256 of the ConfigMap>',
      };
      return {
        ...o,
        spec: { ...o.spec, template: { ...template, metadata: { ...template.metadata, annotations } } },
      };
    });
    expect(Yaml.stringify(...reviewable)).toMatchSnapshot();
  });

  test('the ConfigMap carries hosts files for the IP and the service name, both to the IP over HTTP', () => {
    expect(Object.keys(configMap.data).sort()).toEqual([
      'agent.js',
      'hosts_10.110.240.233_5000.toml',
      'hosts_internal-registry.kube-system.svc.cluster.local_5000.toml',
      'legacy-registry.toml',
      'plan.json',
    ]);
    expect(configMap.data['hosts_internal-registry.kube-system.svc.cluster.local_5000.toml']).toContain(
      'server = "http://10.110.240.233:5000"',
    );
    expect(JSON.parse(configMap.data['plan.json']).hosts).toEqual([
      { directory: '10.110.240.233:5000', key: 'hosts_10.110.240.233_5000.toml' },
      {
        directory: 'internal-registry.kube-system.svc.cluster.local:5000',
        key: 'hosts_internal-registry.kube-system.svc.cluster.local_5000.toml',
      },
    ]);
  });

  test('aliases get their own hosts files', () => {
    const { configMap: withAlias } = nodeSetup({
      registry: { aliases: ['internal-registry.kube-system.svc'] },
    });
    expect(withAlias.data).toHaveProperty(['hosts_internal-registry.kube-system.svc_5000.toml']);
  });

  test('the DaemonSet mounts the ConfigMap it ships with, and rolls when its content changes', () => {
    expect(pod.volumes).toContainEqual({
      name: 'agent',
      configMap: { name: configMap.metadata.name, defaultMode: 0o444 },
    });
    const other = nodeSetup({}, { REGISTRY_CLUSTER_IP: '192.0.2.10' }).daemonSet;
    const hash = daemonSet.spec.template.metadata.annotations[CONFIG_HASH_ANNOTATION];
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(other.spec.template.metadata.annotations[CONFIG_HASH_ANNOTATION]).not.toBe(hash);
  });

  test('runs on every node with least privilege for what it does', () => {
    expect(daemonSet.metadata.namespace).toBe('kube-system');
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.hostPID).toBe(true);
    expect(pod.hostNetwork).toBeUndefined();
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(daemonSet.spec.updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 1 },
    });
    const hostPaths = pod.volumes
      .filter((v: { hostPath?: unknown }) => v.hostPath)
      .map((v: { hostPath: { path: string } }) => v.hostPath.path);
    expect(hostPaths).toEqual(['/etc/containerd']);
  });

  test('the work happens in an init container; the long-running one is small; every command is explicit', () => {
    const [init] = pod.initContainers;
    const [ready] = pod.containers;
    expect(init.command).toEqual(['node', '/agent/agent.js']);
    expect(init.image).toBe('node:20.18.1-bookworm-slim');
    expect(ready.image).toBe('busybox:1.36.1');
    expect(ready.command[0]).toBe('sh');
    expect(ready.readinessProbe.exec.command).toEqual(['cat', '/status/configured']);
    expect(ready.securityContext).toMatchObject({
      privileged: false,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
    });
    expect(ready.resources.requests).toEqual({ cpu: '1m', memory: '4Mi', 'ephemeral-storage': '1Mi' });
  });

  test('a hosts dir outside /etc/containerd is mounted too, and maxUnavailable comes from the config', () => {
    const { daemonSet: ds } = nodeSetup({ nodeSetup: { hostsDir: '/etc/registries.d', maxUnavailable: 3 } });
    const env = ds.spec.template.spec.initContainers[0].env;
    expect(env).toContainEqual({ name: 'MOUNTED_HOST_PATHS', value: '/etc/containerd:/etc/registries.d' });
    expect(ds.spec.updateStrategy.rollingUpdate.maxUnavailable).toBe(3);
  });
});
