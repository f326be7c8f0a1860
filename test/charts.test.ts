import { Yaml } from 'cdk8s';
import { registryAddress } from '../lib/registry/registry-address';
import { allObjects, configOf, find, synthCharts } from './support/synth';

const seed = configOf();

describe('registry chart', () => {
  const objects = synthCharts(seed).get('registry')!;
  const service = find(objects, 'Service', 'internal-registry');
  const deployment = find(objects, 'Deployment', 'internal-registry');

  test('matches the snapshot (review diff)', () => {
    expect(Yaml.stringify(...objects)).toMatchSnapshot();
  });

  test('Service internal-registry in kube-system pins the ClusterIP on port 5000', () => {
    expect(service.metadata.namespace).toBe('kube-system');
    expect(service.spec).toMatchObject({
      type: 'ClusterIP',
      clusterIP: '10.110.240.233',
      selector: { app: 'internal-registry' },
      ports: [{ port: 5000, targetPort: 5000, protocol: 'TCP' }],
    });
  });

  test('the Service selector matches the registry pod labels', () => {
    const podLabels = deployment.spec.template.metadata.labels;
    for (const [key, value] of Object.entries(service.spec.selector)) expect(podLabels[key]).toBe(value);
    expect(deployment.spec.selector.matchLabels).toEqual({ app: 'internal-registry' });
  });

  test('the registry runs pinned, non-root, read-only, on a claim that outlives the pod', () => {
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(container.image).toBe('registry:2.8.3');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001 });
    expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.volumeMounts).toContainEqual({
      name: 'data',
      mountPath: '/var/lib/registry',
      readOnly: true,
    });
    expect(pod.volumes).toContainEqual({
      name: 'data',
      persistentVolumeClaim: { claimName: 'internal-registry' },
    });
    expect(find(objects, 'PersistentVolumeClaim', 'internal-registry').spec.resources.requests.storage).toBe(
      '10Gi',
    );
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/v2/', port: 5000 });
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/v2/', port: 5000 });
    expect(container.resources.limits).toEqual({ cpu: '1', memory: '512Mi', 'ephemeral-storage': '256Mi' });
    expect(container.env).toBeUndefined(); // no secret to pass with filesystem storage
  });

  test('the selector carries no version label', () => {
    expect(Object.keys(deployment.spec.selector.matchLabels)).not.toContain('app.kubernetes.io/version');
  });

  test('hostPath and emptyDir storage are selectable; emptyDir rolls without Recreate', () => {
    const hostPath = synthCharts(
      configOf({ registry: { storage: { type: 'hostPath', hostPath: '/srv/reg' } } }),
    ).get('registry')!;
    const hostPathPod = find(hostPath, 'Deployment', 'internal-registry').spec.template.spec;
    expect(hostPathPod.volumes.find((v: { name: string }) => v.name === 'data')).toEqual({
      name: 'data',
      hostPath: { path: '/srv/reg', type: 'DirectoryOrCreate' },
    });
    expect(hostPath.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);

    const empty = synthCharts(configOf({ registry: { storage: { type: 'emptyDir' } } })).get('registry')!;
    expect(find(empty, 'Deployment', 'internal-registry').spec.strategy.type).toBe('RollingUpdate');
  });

  test('a storage class and a digest come from the config', () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    const objects2 = synthCharts(
      configOf({ registry: { imageDigest: digest, storage: { storageClass: 'fast' } } }),
    ).get('registry')!;
    expect(find(objects2, 'PersistentVolumeClaim', 'internal-registry').spec.storageClassName).toBe('fast');
    expect(find(objects2, 'Deployment', 'internal-registry').spec.template.spec.containers[0].image).toBe(
      `registry:2.8.3@${digest}`,
    );
  });
});

describe('app chart', () => {
  const objects = synthCharts(seed).get('app-easy-kanban')!;
  const deployment = find(objects, 'Deployment', 'easy-kanban');
  const container = deployment.spec.template.spec.containers[0];

  test('matches the snapshot (review diff)', () => {
    expect(Yaml.stringify(...objects)).toMatchSnapshot();
  });

  test('creates the namespace first, then the Deployment in it', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/easy-kanban',
      'Deployment/easy-kanban',
    ]);
    expect(deployment.metadata.namespace).toBe('easy-kanban');
  });

  test('container easy-kanban pulls <ClusterIP>:5000/easy-kanban:latest, always', () => {
    expect(container.name).toBe('easy-kanban');
    expect(container.image).toBe('10.110.240.233:5000/easy-kanban:latest');
    expect(container.imagePullPolicy).toBe('Always');
  });

  test('a digest pulls IfNotPresent', () => {
    const digest = `sha256:${'d'.repeat(64)}`;
    const charts = synthCharts(configOf({ apps: [{ name: 'easy-kanban', digest }] }));
    const c = find(charts.get('app-easy-kanban')!, 'Deployment', 'easy-kanban').spec.template.spec
      .containers[0];
    expect(c.image).toBe(`10.110.240.233:5000/easy-kanban:latest@${digest}`);
    expect(c.imagePullPolicy).toBe('IfNotPresent');
  });

  test('the selector matches the pod labels', () => {
    const labels = deployment.spec.template.metadata.labels;
    for (const [k, v] of Object.entries(deployment.spec.selector.matchLabels)) expect(labels[k]).toBe(v);
  });

  test('port, replicas, resources and an HTTP probe come from the config', () => {
    const charts = synthCharts(
      configOf({
        apps: [
          {
            name: 'easy-kanban',
            port: 8080,
            replicas: 3,
            probe: { type: 'http', path: '/health' },
            resources: { limits: { memory: '1Gi' } },
          },
        ],
      }),
    );
    const d = find(charts.get('app-easy-kanban')!, 'Deployment', 'easy-kanban');
    const c = d.spec.template.spec.containers[0];
    expect(d.spec.replicas).toBe(3);
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/health', port: 8080 });
    expect(c.resources.limits).toEqual({ cpu: '500m', memory: '1Gi', 'ephemeral-storage': '256Mi' });
  });

  test('an IPv6 ClusterIP is bracketed in the image', () => {
    const charts = synthCharts(configOf({}, { REGISTRY_CLUSTER_IP: 'fd00::10' }));
    expect(
      find(charts.get('app-easy-kanban')!, 'Deployment', 'easy-kanban').spec.template.spec.containers[0]
        .image,
    ).toBe('[fd00::10]:5000/easy-kanban:latest');
    expect(find(charts.get('registry')!, 'Service', 'internal-registry').spec.clusterIP).toBe('fd00::10');
  });
});

describe('the whole output', () => {
  test('apps in one namespace share a chart; each namespace is created once; built-in ones never', () => {
    const charts = synthCharts(
      configOf({
        apps: [
          { name: 'a', namespace: 'team' },
          { name: 'b', namespace: 'team' },
          { name: 'c', namespace: 'default' },
        ],
      }),
    );
    expect([...charts.keys()]).toEqual(['registry', 'node-setup', 'app-team', 'app-default']);
    expect(charts.get('app-team')!.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/team',
      'Deployment/a',
      'Deployment/b',
    ]);
    expect(charts.get('app-default')!.map((o) => o.kind)).toEqual(['Deployment']);
  });

  test('every namespaced object names its namespace explicitly', () => {
    for (const o of allObjects(synthCharts(seed))) {
      if (o.kind !== 'Namespace') expect(o.metadata.namespace).toMatch(/^[a-z0-9-]+$/);
    }
  });

  test('the address source is recorded on the objects that carry the address', () => {
    const objects = allObjects(synthCharts(seed, registryAddress(seed.registry, '192.0.2.77', 'discovered')));
    for (const o of [
      find(objects, 'Service', 'internal-registry'),
      find(objects, 'Deployment', 'easy-kanban'),
    ]) {
      expect(o.metadata.annotations['internal-registry.dev/registry-address-source']).toBe('discovered');
    }
  });
});
