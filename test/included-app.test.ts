import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoPlaceholderIn, replacePlaceholder } from '../lib/apps/image-placeholder';
import { schemaProblems } from './support/schema';
import { fingerprint, ROOT, runSynth } from './support/run';
import { readManifestDir, tempDir } from './support/synth';

const SEED_CONFIG = join(ROOT, 'examples', 'seed-manifest.yaml');

function synthWith(config: string, env: Record<string, string> = {}) {
  const out = join(tempDir(), 'dist');
  return { out, result: runSynth({ CDK8S_OUTDIR: out, SYNTH_CONFIG: config, ...env }) };
}

function configFor(manifest: string, extra = ''): string {
  const dir = tempDir('manifest-');
  writeFileSync(join(dir, 'app.yaml'), manifest);
  writeFileSync(join(dir, 'config.yaml'), `apps:\n  - name: easy-kanban\n    manifest: app.yaml\n${extra}`);
  return join(dir, 'config.yaml');
}

const SEED_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: easy-kanban}
spec:
  selector: {matchLabels: {app: easy-kanban}}
  template:
    metadata: {labels: {app: easy-kanban}}
    spec: {containers: [{name: easy-kanban, image: IMAGE_NAME_PLACEHOLDER}]}
`;

describe("the seed's app-deployment.yaml brought along", () => {
  test('comes out with the placeholder resolved, in its namespace, schema-valid, with the address source', () => {
    // WHEN
    const { out, result } = synthWith(SEED_CONFIG, { REGISTRY_CLUSTER_IP: '192.0.2.10' });
    // THEN
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const file = readManifestDir(out).find((f) => f.file === '0002-app-easy-kanban.k8s.yaml')!;
    expect(file.text).not.toContain('IMAGE_NAME_PLACEHOLDER');
    const [namespace, deployment] = file.objects;
    expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(deployment.metadata).toMatchObject({
      name: 'easy-kanban',
      namespace: 'easy-kanban',
      annotations: { 'internal-registry.dev/registry-address-source': 'pinned' },
    });
    expect(deployment.spec.template.spec.containers[0]).toMatchObject({
      name: 'easy-kanban',
      image: '192.0.2.10:5000/easy-kanban:latest',
    });
    expect(file.objects.flatMap(schemaProblems)).toEqual([]);
  });

  test('as an Argo CD plugin, a config and manifest inside the repository are read', () => {
    const { result } = synthWith('examples/seed-manifest.yaml', { ARGOCD_APP_NAME: 'registry' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('an object without a namespace gets the app’s', () => {
    const { out, result } = synthWith(configFor(SEED_DEPLOYMENT, '    podSecurity: baseline\n'));
    expect(result.status).toBe(0);
    const deployment = readManifestDir(out)[2].objects[1];
    expect(deployment.metadata.namespace).toBe('easy-kanban');
  });

  test('a granted cluster-scoped kind comes out without a namespace; the placeholder is replaced in values only', () => {
    // GIVEN
    const binding =
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: web-view}\n' +
      'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\n' +
      'subjects: [{kind: ServiceAccount, name: default, namespace: easy-kanban}]\n';
    const manifest = `# IMAGE_NAME_PLACEHOLDER in a comment is dropped\n${SEED_DEPLOYMENT}---\n${binding}`;
    // WHEN
    const { out, result } = synthWith(
      configFor(manifest, '    podSecurity: baseline\n    allowKinds: [ClusterRoleBinding]\n'),
    );
    // THEN
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const objects = readManifestDir(out)[2].objects;
    const crb = objects.find((o) => o.kind === 'ClusterRoleBinding')!;
    expect(crb.metadata.name).toBe('web-view');
    expect(crb.metadata.namespace).toBeUndefined();
    expect(readManifestDir(out)[2].text).not.toContain('IMAGE_NAME_PLACEHOLDER');
  });

  const bad: Array<[string, string | undefined, string, RegExp]> = [
    ['a missing file', undefined, '', /apps\[0\]\.manifest: '.*app\.yaml' does not exist/],
    ['a file that is not YAML', 'kind: [\n', '', /apps\[0\]\.manifest: .* is not valid YAML/],
    [
      'YAML that is not Kubernetes',
      'hello: world\n',
      '',
      /document 1: is not Kubernetes YAML: it needs apiVersion, kind and metadata\.name/,
    ],
    [
      'no placeholder',
      SEED_DEPLOYMENT.replace('IMAGE_NAME_PLACEHOLDER', 'nginx'),
      '    podSecurity: baseline\n',
      /has no IMAGE_NAME_PLACEHOLDER/,
    ],
    [
      'another namespace',
      SEED_DEPLOYMENT.replace('{name: easy-kanban}', '{name: easy-kanban, namespace: other}'),
      '    podSecurity: baseline\n',
      /puts Deployment\/easy-kanban in namespace 'other'; apps\[0\]\.namespace is easy-kanban/,
    ],
    [
      'pods short of the namespace’s Pod Security level',
      SEED_DEPLOYMENT,
      '',
      /Deployment\/easy-kanban falls short of Pod Security "restricted".*allowPrivilegeEscalation must be false.*set apps\[0\]\.podSecurity to a level it meets/,
    ],
  ];

  test.each(bad)('%s is a config error, and dist/ is untouched', (_name, manifest, extra, message) => {
    // GIVEN
    const config = manifest === undefined ? configFor('') : configFor(manifest, extra);
    if (manifest === undefined)
      writeFileSync(config, 'apps:\n  - name: easy-kanban\n    manifest: missing/app.yaml\n');
    const out = join(tempDir(), 'dist');
    expect(runSynth({ CDK8S_OUTDIR: out }).status).toBe(0);
    const before = fingerprint(out);
    // WHEN
    const result = runSynth({ CDK8S_OUTDIR: out, SYNTH_CONFIG: config });
    // THEN
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(fingerprint(out)).toEqual(before);
  });
});

describe('the placeholder', () => {
  test('is replaced in every string, wherever it stands', () => {
    expect(
      replacePlaceholder(
        { a: ['x IMAGE_NAME_PLACEHOLDER y', 1, null], b: { c: 'IMAGE_NAME_PLACEHOLDER' } },
        'img:1',
      ),
    ).toEqual({
      a: ['x img:1 y', 1, null],
      b: { c: 'img:1' },
    });
  });

  test('left anywhere in the output stops synth', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '0000-x.k8s.yaml'), 'image: IMAGE_NAME_PLACEHOLDER\n');
    expect(() => assertNoPlaceholderIn(dir)).toThrow('IMAGE_NAME_PLACEHOLDER is left in 0000-x.k8s.yaml');
  });
});
