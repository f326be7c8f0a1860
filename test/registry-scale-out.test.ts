import { Yaml } from 'cdk8s';
import { parse } from 'yaml';
import type { RegistryConfig } from '../lib/config/types';
import { renderRegistryConfig } from '../lib/registry/registry-config';
import { pushTarget } from '../lib/registry/registry-roles';
import { allObjects, configOf, find, synthCharts, type Manifest } from './support/synth';

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are read as loosely typed YAML */

const S3 = {
  endpoint: 'http://minio.storage.svc:9000',
  bucket: 'registry',
  region: 'us-east-1',
  credentialsSecret: 'registry-s3',
};
const registryOf = (raw: object): RegistryConfig => configOf({ registry: raw }).registry;
const objectsOf = (raw: object): Manifest[] => synthCharts(configOf({ registry: raw })).get('registry')!;
const configFile = (objects: Manifest[], key: string) =>
  parse(find(objects, 'ConfigMap', 'internal-registry-config').data[key]);
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('registry config files (pure)', () => {
  test('the reader is read-only, purges nothing and keeps no blob descriptors in memory', () => {
    const reader = parse(renderRegistryConfig(registryOf({}), 'reader'));
    expect(reader.storage.maintenance).toEqual({
      uploadpurging: { enabled: false },
      readonly: { enabled: true },
    });
    expect(reader.storage.cache).toBeUndefined();
    expect(reader.http.addr).toBe(':5000');
    expect(reader.auth).toBeUndefined();
  });

  test('the writer listens on 127.0.0.1 only, writable, with the cache', () => {
    const writer = parse(renderRegistryConfig(registryOf({}), 'writer'));
    expect(writer.http.addr).toBe('127.0.0.1:5001');
    expect(writer.storage.maintenance).toBeUndefined();
    expect(writer.storage.cache).toEqual({ blobdescriptor: 'inmemory' });
    expect(writer.storage.delete).toEqual({ enabled: true });
  });

  test('the builder asks for htpasswd credentials on every interface', () => {
    const builder = parse(
      renderRegistryConfig(registryOf({ builderPush: { namespaces: ['ci'] } }), 'builder'),
    );
    expect(builder.http.addr).toBe(':5002');
    expect(builder.auth).toEqual({
      htpasswd: { realm: 'internal-registry-push', path: '/etc/docker/registry/auth/htpasswd' },
    });
  });

  test('S3: the endpoint, path style by regionendpoint, plain HTTP only for an http endpoint, redirect off', () => {
    const config = parse(renderRegistryConfig(registryOf({ storage: { type: 's3', s3: S3 } }), 'reader'));
    expect(config.storage.s3).toEqual({
      regionendpoint: 'http://minio.storage.svc:9000',
      region: 'us-east-1',
      bucket: 'registry',
      secure: false,
      v4auth: true,
    });
    expect(config.storage.redirect).toEqual({ disable: true });
    expect(config.storage.filesystem).toBeUndefined();
    expect(JSON.stringify(config)).not.toMatch(/accesskey|secretkey/i);
  });

  test('S3: AWS itself is reached over TLS, a rootDirectory is kept, redirect on when asked', () => {
    const config = parse(
      renderRegistryConfig(
        registryOf({
          storage: {
            type: 's3',
            s3: { bucket: 'registry', credentialsSecret: 's', rootDirectory: '/prod', redirect: true },
          },
        }),
        'writer',
      ),
    );
    expect(config.storage.s3).toEqual({
      region: 'us-east-1',
      bucket: 'registry',
      rootdirectory: '/prod',
      secure: true,
      v4auth: true,
    });
    expect(config.storage.redirect).toEqual({ disable: false });
  });
});

describe('the default single pod', () => {
  const objects = objectsOf({});
  const service = find(objects, 'Service', 'internal-registry');
  const pod = find(objects, 'Deployment', 'internal-registry').spec.template;

  test('a reader on the Service’s port and a writer on 127.0.0.1, on one volume', () => {
    const [reader, writer] = pod.spec.containers;
    expect(pod.spec.containers.map((c: any) => c.name)).toEqual(['registry', 'writer']);
    expect(reader.ports).toEqual([{ name: 'registry', containerPort: 5000, protocol: 'TCP' }]);
    expect(writer.ports).toBeUndefined();
    expect(reader.volumeMounts).toContainEqual({
      name: 'data',
      mountPath: '/var/lib/registry',
      readOnly: true,
    });
    expect(writer.volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/registry' });
    expect(reader.volumeMounts).toContainEqual({
      name: 'config',
      mountPath: '/etc/docker/registry/config.yml',
      subPath: 'reader.yml',
      readOnly: true,
    });
    expect(writer.volumeMounts).toContainEqual({
      name: 'config',
      mountPath: '/etc/docker/registry/config.yml',
      subPath: 'writer.yml',
      readOnly: true,
    });
    expect(writer.readinessProbe.exec.command).toEqual([
      'wget',
      '-q',
      '-O',
      '/dev/null',
      'http://127.0.0.1:5001/v2/',
    ]);
    expect(service.spec.ports[0].targetPort).toBe(5000);
  });

  test('the pod mounts the ConfigMap that holds both configs, and rolls when it changes', () => {
    expect(pod.spec.volumes).toContainEqual({
      name: 'config',
      configMap: { name: 'internal-registry-config' },
    });
    expect(Object.keys(find(objects, 'ConfigMap', 'internal-registry-config').data)).toEqual([
      'reader.yml',
      'writer.yml',
    ]);
    const other = find(objectsOf({ deleteEnabled: false }), 'Deployment', 'internal-registry').spec.template;
    expect(other.metadata.annotations['internal-registry.dev/config-hash']).not.toBe(
      pod.metadata.annotations['internal-registry.dev/config-hash'],
    );
  });

  test('no writer Deployment, no PodDisruptionBudget, no push Service', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Service/internal-registry',
      'ConfigMap/internal-registry-config',
      'PersistentVolumeClaim/internal-registry',
      'Deployment/internal-registry',
      'ConfigMap/local-registry-hosting',
    ]);
  });

  test('npm run push forwards to the pod’s writer', () => {
    expect(pushTarget(registryOf({}))).toEqual({
      namespace: 'kube-system',
      workload: 'deployment/internal-registry',
      port: 5001,
    });
  });
});

describe('scale-out on S3', () => {
  const objects = objectsOf({ replicas: 3, garbageCollectOnStart: true, storage: { type: 's3', s3: S3 } });
  const service = find(objects, 'Service', 'internal-registry');
  const readers = find(objects, 'Deployment', 'internal-registry');
  const writer = find(objects, 'Deployment', 'internal-registry-writer');
  const budget = find(objects, 'PodDisruptionBudget', 'internal-registry');

  test('matches the snapshot (review diff)', () => {
    expect(Yaml.stringify(...objects)).toMatchSnapshot();
  });

  test('N read-only readers behind the Service, rolled one at a time with none taken before its successor is Ready', () => {
    expect(readers.spec.replicas).toBe(3);
    expect(readers.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['registry']);
    expect(readers.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    expect(readers.spec.template.spec.containers[0].readinessProbe.httpGet).toMatchObject({
      path: '/v2/',
      port: 5000,
    });
    expect(matches(service.spec.selector, readers.spec.template.metadata.labels)).toBe(true);
    expect(readers.spec.template.spec.initContainers).toBeUndefined();
  });

  test('spread across nodes, and a PodDisruptionBudget that keeps all but one', () => {
    expect(readers.spec.template.spec.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { app: 'internal-registry' } },
      },
    ]);
    expect(budget.spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { app: 'internal-registry' } },
    });
    expect(matches(budget.spec.selector.matchLabels, readers.spec.template.metadata.labels)).toBe(true);
  });

  test('one writer Deployment that no Service selects, recreated (one upload-taking process), collecting before it serves', () => {
    expect(writer.spec.replicas).toBe(1);
    expect(writer.spec.strategy).toEqual({ type: 'Recreate' });
    expect(writer.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['writer']);
    expect(writer.spec.template.spec.initContainers.map((c: any) => c.command)).toEqual([
      ['/bin/registry', 'garbage-collect', '/etc/docker/registry/config.yml'],
    ]);
    for (const o of objects.filter((x) => x.kind === 'Service')) {
      expect(matches(o.spec.selector, writer.spec.template.metadata.labels)).toBe(false);
    }
    expect(matches(budget.spec.selector.matchLabels, writer.spec.template.metadata.labels)).toBe(false);
    expect(pushTarget(registryOf({ storage: { type: 's3', s3: S3 } })).workload).toBe(
      'deployment/internal-registry-writer',
    );
  });

  test('no volume for data, and S3 credentials only as references to the user’s Secret', () => {
    expect(objects.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);
    for (const d of [readers, writer]) {
      const spec = d.spec.template.spec;
      expect(spec.volumes.map((v: any) => v.name)).toEqual(['config', 'tmp']);
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        expect(c.env).toEqual([
          {
            name: 'REGISTRY_STORAGE_S3_ACCESSKEY',
            valueFrom: { secretKeyRef: { name: 'registry-s3', key: 'accessKey' } },
          },
          {
            name: 'REGISTRY_STORAGE_S3_SECRETKEY',
            valueFrom: { secretKeyRef: { name: 'registry-s3', key: 'secretKey' } },
          },
        ]);
      }
    }
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
  });

  test('one replica on S3 renders no PodDisruptionBudget (it would block every drain)', () => {
    expect(objectsOf({ storage: { type: 's3', s3: S3 } }).some((o) => o.kind === 'PodDisruptionBudget')).toBe(
      false,
    );
  });
});

describe('the builder push path', () => {
  test.each([
    ['the single pod', {}, 'internal-registry'],
    ['scale-out', { replicas: 2, storage: { type: 's3', s3: S3 } }, 'internal-registry-writer'],
  ])(
    '%s: a push Service on the builder port, reachable only from the listed namespaces, with htpasswd from the Secret',
    (_what, raw, podName) => {
      const objects = objectsOf({
        ...raw,
        builderPush: { namespaces: ['ci', 'tekton'], htpasswdSecret: 'builders' },
      });
      const pushService = find(objects, 'Service', 'internal-registry-push');
      const policy = find(objects, 'NetworkPolicy', 'internal-registry-push');
      const pod = find(objects, 'Deployment', podName).spec.template;
      const builder = pod.spec.containers.find((c: any) => c.name === 'builder');
      expect(pushService.spec.clusterIP).toBeUndefined();
      expect(pushService.spec.ports).toEqual([
        { name: 'push', protocol: 'TCP', port: 5000, targetPort: 5002 },
      ]);
      expect(matches(pushService.spec.selector, pod.metadata.labels)).toBe(true);
      expect(matches(policy.spec.podSelector.matchLabels, pod.metadata.labels)).toBe(true);
      expect(policy.spec.ingress[0]).toEqual({
        ports: [{ protocol: 'TCP', port: 5002 }],
        from: [
          {
            namespaceSelector: {
              matchExpressions: [
                { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ci', 'tekton'] },
              ],
            },
          },
        ],
      });
      expect(builder.ports).toEqual([{ name: 'push', containerPort: 5002, protocol: 'TCP' }]);
      expect(pod.spec.volumes).toContainEqual({
        name: 'htpasswd',
        secret: { secretName: 'builders', items: [{ key: 'htpasswd', path: 'htpasswd' }] },
      });
      expect(builder.volumeMounts).toContainEqual({
        name: 'htpasswd',
        mountPath: '/etc/docker/registry/auth',
        readOnly: true,
      });
      expect(configFile(objects, 'builder.yml').auth.htpasswd.path).toBe(
        '/etc/docker/registry/auth/htpasswd',
      );
      // The pull address is never the push path.
      expect(find(objects, 'Service', 'internal-registry').spec.ports.map((p: any) => p.targetPort)).toEqual([
        5000,
      ]);
    },
  );

  test('with one pod the policy still lets every pull reach the reader', () => {
    const objects = objectsOf({ builderPush: { namespaces: ['ci'] } });
    expect(find(objects, 'NetworkPolicy', 'internal-registry-push').spec.ingress[1]).toEqual({
      ports: [{ protocol: 'TCP', port: 5000 }],
    });
  });

  test('off by default: no builder container, no push Service, no policy', () => {
    const objects = allObjects(synthCharts(configOf()));
    expect(objects.some((o) => o.metadata.name === 'internal-registry-push')).toBe(false);
  });
});
