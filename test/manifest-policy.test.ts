import { manifestProblems, objectIdentity, placeholderPaths } from '../lib/apps/manifest-policy';
import { excerpt } from '../lib/config/excerpt';
import { ownershipConflicts } from '../lib/k8s/object-owners';
import { allObjects, configOf, synthCharts } from './support/synth';
import { parseManifestText } from '../lib/apps/app-manifest';
import type { ParsedManifest } from '../lib/config/types';
import { removedApiProblem } from '../lib/k8s/removed-apis';

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

describe('API versions Kubernetes 1.28 no longer serves are refused, naming the one to write', () => {
  test.each([
    ['apps/v1beta2', 'Deployment', 'apps/v1', '1.16'],
    ['apps/v1beta1', 'StatefulSet', 'apps/v1', '1.16'],
    ['extensions/v1beta1', 'Deployment', 'apps/v1', '1.22'],
    ['extensions/v1beta1', 'DaemonSet', 'apps/v1', '1.22'],
    ['extensions/v1beta1', 'Ingress', 'networking.k8s.io/v1', '1.22'],
    ['extensions/v1beta1', 'NetworkPolicy', 'networking.k8s.io/v1', '1.22'],
    ['networking.k8s.io/v1beta1', 'Ingress', 'networking.k8s.io/v1', '1.22'],
    ['batch/v1beta1', 'CronJob', 'batch/v1', '1.25'],
    ['batch/v2alpha1', 'CronJob', 'batch/v1', '1.21'],
    ['policy/v1beta1', 'PodDisruptionBudget', 'policy/v1', '1.25'],
    ['rbac.authorization.k8s.io/v1beta1', 'RoleBinding', 'rbac.authorization.k8s.io/v1', '1.22'],
    ['rbac.authorization.k8s.io/v1alpha1', 'Role', 'rbac.authorization.k8s.io/v1', '1.22'],
    ['autoscaling/v2beta1', 'HorizontalPodAutoscaler', 'autoscaling/v2', '1.25'],
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', 'autoscaling/v2', '1.26'],
    ['apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', 'apiextensions.k8s.io/v1', '1.22'],
    [
      'admissionregistration.k8s.io/v1beta1',
      'ValidatingWebhookConfiguration',
      'admissionregistration.k8s.io/v1',
      '1.22',
    ],
    ['scheduling.k8s.io/v1beta1', 'PriorityClass', 'scheduling.k8s.io/v1', '1.22'],
    ['storage.k8s.io/v1beta1', 'StorageClass', 'storage.k8s.io/v1', '1.27'],
    ['discovery.k8s.io/v1beta1', 'EndpointSlice', 'discovery.k8s.io/v1', '1.25'],
    ['node.k8s.io/v1beta1', 'RuntimeClass', 'node.k8s.io/v1', '1.25'],
    ['flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema', 'flowcontrol.apiserver.k8s.io/v1beta3', '1.26'],
  ])('%s %s: write %s (gone since %s)', (apiVersion, kind, instead, since) => {
    expect(removedApiProblem(apiVersion, kind)).toBe(
      `uses ${apiVersion}, which Kubernetes has not served since ${since}; write apiVersion: ${instead} ` +
        "(some fields changed: see Kubernetes' deprecated API migration guide)",
    );
  });

  test.each([
    ['policy/v1beta1', 'PodSecurityPolicy'],
    ['extensions/v1beta1', 'PodSecurityPolicy'],
    ['extensions/v1beta1', 'ReplicationController'],
  ])('%s %s has no served successor: remove it', (apiVersion, kind) => {
    expect(removedApiProblem(apiVersion, kind)).toBe(
      `uses ${apiVersion}, which Kubernetes has not served since ${apiVersion.startsWith('policy') ? '1.25' : '1.22'}, and no served version replaces it for ${kind}; remove it`,
    );
  });

  test.each([
    ['apps/v1', 'Deployment'],
    ['batch/v1', 'CronJob'],
    ['autoscaling/v1', 'HorizontalPodAutoscaler'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler'],
    ['policy/v1', 'PodDisruptionBudget'],
    ['v1', 'Service'],
    ['flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema'],
    ['example.com/v1beta1', 'Widget'],
    ['constructor', 'Deployment'],
    ['__proto__', 'Deployment'],
  ])('%s %s is served (or not Kubernetes’ to judge)', (apiVersion, kind) => {
    expect(removedApiProblem(apiVersion, kind)).toBeUndefined();
  });

  test('an included apps/v1beta2 Deployment is refused with its document, however its kind is granted', () => {
    const old = { ...deployment, apiVersion: 'apps/v1beta2' };
    expect(
      manifestProblems(app(), 'apps[0].manifest', 'm', docs(deployment, { ...old, metadata: { name: 'x' } })),
    ).toEqual([
      expect.stringMatching(
        /^m document 2: Deployment\/x uses apps\/v1beta2, .* write apiVersion: apps\/v1 /,
      ),
    ]);
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
