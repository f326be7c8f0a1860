import { join } from 'node:path';
import { projectRoot } from '../lib/cli/project-root';
import { schemaProblems, KUBERNETES_128_KINDS } from './support/schema';
import { allObjects, configOf, readManifestDir, synthCharts, type Manifest } from './support/synth';

const committed = readManifestDir(join(projectRoot(), 'dist')).flatMap((f) => f.objects);
const variants: Array<[string, Manifest[]]> = [
  ['committed dist/', committed],
  [
    'scale-out on S3 with the builder push path',
    allObjects(
      synthCharts(
        configOf({
          registry: {
            replicas: 3,
            storage: {
              type: 's3',
              s3: { bucket: 'registry', credentialsSecret: 'registry-s3', redirect: true },
            },
            builderPush: { namespaces: ['ci'] },
          },
        }),
      ),
    ),
  ],
  [
    'hostPath storage, IPv6, digests',
    allObjects(
      synthCharts(
        configOf(
          {
            registry: { storage: { type: 'hostPath' }, imageDigest: `sha256:${'e'.repeat(64)}` },
            delivery: {
              smokeTest: { enabled: true },
              argoApplication: { enabled: true, repoURL: 'https://git.example.com/r.git' },
            },
            apps: [
              { name: 'a', digest: `sha256:${'f'.repeat(64)}`, probe: { type: 'http' } },
              { name: 'b', namespace: 'default' },
            ],
          },
          { REGISTRY_CLUSTER_IP: 'fd00::10' },
        ),
      ),
    ),
  ],
];

/** Argo CD's Application is not a Kubernetes kind; it is checked by its own tests (delivery.test.ts). */
const kubernetesOnly = (objects: Manifest[]) =>
  objects.filter((o) => !o.apiVersion.startsWith('argoproj.io/'));

describe.each(variants)('every object of %s', (_name, all) => {
  const objects = kubernetesOnly(all);
  test('is valid against the Kubernetes OpenAPI schema, with no unknown field', () => {
    const problems = objects.flatMap((o) => schemaProblems(o).map((p) => `${o.kind}/${o.metadata.name}${p}`));
    expect(problems).toEqual([]);
    expect(objects.length).toBeGreaterThan(2);
  });

  test('is of a kind that Kubernetes 1.28 serves', () => {
    for (const o of objects) expect(KUBERNETES_128_KINDS).toContain(`${o.apiVersion}/${o.kind}`);
  });
});

describe('the validator', () => {
  test('catches a mistyped field and a wrong type', () => {
    // GIVEN: the mistake this project once made, `clusterIp` for `clusterIP`
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'x' },
      spec: { clusterIp: '10.0.0.1', ports: [{ port: '80' }] },
    };
    // THEN
    expect(schemaProblems(service)).toEqual([
      '/spec/ports/0/port: type {"type":"integer"}',
      '/spec/clusterIp: not a field of v1 Service',
    ]);
  });
});
