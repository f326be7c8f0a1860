import { manifestProblems, objectIdentity, placeholderPaths } from '../lib/apps/manifest-policy';
import { excerpt } from '../lib/config/excerpt';
import { ownershipConflicts } from '../lib/k8s/object-owners';
import { allObjects, configOf, synthCharts } from './support/synth';
import { parseManifestText } from '../lib/apps/app-manifest';
import type { ParsedManifest } from '../lib/config/types';

const app = (extra: Record<string, unknown> = {}) =>
  configOf({ apps: [{ name: 'web', podSecurity: 'baseline', ...extra }] }).apps[0];
const docs = (...objects: unknown[]) => objects.map((object, i) => ({ index: i + 1, object }));
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { template: { spec: { containers: [{ name: 'web', image: 'IMAGE_NAME_PLACEHOLDER' }] } } },
};

describe('what an included manifest may hold (pure)', () => {
  test('application kinds in the app’s namespace with the placeholder in a value pass', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'web' } };
    expect(manifestProblems(app(), 'apps[0].manifest', 'm', docs(deployment, service))).toEqual([]);
  });

  test('a granted ClusterRoleBinding passes, and RoleBinding to a ClusterRole needs ClusterRole granted', () => {
    const crb = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'b' },
    };
    const rb = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'r' },
      roleRef: { kind: 'ClusterRole', name: 'view' },
    };
    expect(
      manifestProblems(app({ allowKinds: ['ClusterRoleBinding'] }), 'f', 'm', docs(deployment, crb)),
    ).toEqual([]);
    expect(manifestProblems(app(), 'apps[0].manifest', 'm', docs(deployment, rb))).toEqual([
      expect.stringContaining('m document 2: RoleBinding/r binds roleRef.kind'),
    ]);
    expect(manifestProblems(app({ allowKinds: ['ClusterRole'] }), 'f', 'm', docs(deployment, rb))).toEqual(
      [],
    );
  });

  test('the placeholder is found in values only, with the YAML path of a key that holds it', () => {
    expect(placeholderPaths({ a: ['x', 'IMAGE_NAME_PLACEHOLDER'], IMAGE_NAME_PLACEHOLDER: 1 })).toEqual({
      values: ['a[1]'],
      keys: ['IMAGE_NAME_PLACEHOLDER'],
    });
    const parsed = parseManifestText('m.yaml', '# IMAGE_NAME_PLACEHOLDER\nkind: A\n') as ParsedManifest;
    expect(placeholderPaths(parsed.documents[0].object).values).toEqual([]);
  });

  test('identities tell groups, kinds and namespaces apart', () => {
    const id = (apiVersion: string, kind: string, ns?: string) =>
      objectIdentity({ apiVersion, kind, metadata: { name: 'x' } }, ns);
    expect(id('v1', 'Service', 'a')).toBe('Service a/x');
    expect(id('apps/v1', 'Deployment', 'a')).not.toBe(id('evil.example/v1', 'Deployment', 'a'));
    expect(id('apps/v1', 'Deployment', 'a')).toBe(id('apps/v1beta2', 'Deployment', 'a'));
    expect(
      ownershipConflicts([
        { identity: 'Service a/x', source: 'one' },
        { identity: 'Service b/x', source: 'two' },
        { identity: 'Service a/x', source: 'three' },
      ]),
    ).toEqual(['Service a/x comes from both one and three; rename one of them']);
  });

  test('an alias bomb is refused while parsing', () => {
    const bomb =
      'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n';
    expect(parseManifestText('m.yaml', bomb)).toMatch(/expands YAML aliases more than 100 times/);
  });
});

describe('messages quote short excerpts', () => {
  test.each([
    ['plain', "'plain'"],
    ['a\nb', "'a\\nb'"],
    ["it's", "'it\\'s'"],
    ['\u001b[31m', "'\\u{1b}[31m'"],
    ['x'.repeat(100), `'${'x'.repeat(72)}…'`],
  ])('%j is quoted as %s', (value, quoted) => {
    expect(excerpt(value)).toBe(quoted);
  });
  test('mappings and lists are named by type, never printed', () => {
    expect(excerpt({ secret: 'x' })).toBe('a mapping');
    expect(excerpt(['x'])).toBe('a list of 1');
  });
});

describe('a registry namespace that is not built in', () => {
  test('is created first, at the privileged level the node agent needs', () => {
    const charts = synthCharts(configOf({ registry: { namespace: 'platform' } }));
    const [first] = charts.get('registry')!;
    expect(first).toMatchObject({
      kind: 'Namespace',
      metadata: { name: 'platform', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } },
    });
  });

  test('shared with a privileged app, it is created once', () => {
    const config = configOf({
      registry: { namespace: 'platform' },
      apps: [{ name: 'web', namespace: 'platform', podSecurity: 'privileged' }],
    });
    const namespaces = allObjects(synthCharts(config)).filter((o) => o.kind === 'Namespace');
    expect(namespaces.map((o) => o.metadata.name)).toEqual(['platform']);
  });
});
