/*
 * The config cases that the validator's tests (config-rules.test.ts) and the JSON Schema's test
 * (config-schema.test.ts) share (issue 11): one row per input class, with the field synth names
 * and a part of its message. `only` marks what config/schema.json cannot refuse: a rule between
 * fields (`cross-field`) or a check that is no regex, range or list of choices (`synth`: an address,
 * a CIDR, a normalised host folder, a URL parse). Files (included manifests, the config file
 * itself) are the loader's and hostile-input.test.ts's.
 */

export type OnlySynth = 'cross-field' | 'synth';

export interface RefusedCase {
  readonly name: string;
  readonly raw: object;
  /** The field the first message names. */
  readonly field: string;
  /** A part of that message. */
  readonly message: string;
  /** Set when only synth refuses it; unset: the JSON Schema refuses it too. */
  readonly only?: OnlySynth;
}

const app = (fields: object) => ({ apps: [{ name: 'easy-kanban', ...fields }] });
const S3 = { bucket: 'registry', credentialsSecret: 'registry-s3' };
const s3 = (fields: object) => ({ registry: { storage: { type: 's3', s3: { ...S3, ...fields } } } });
const argo = (fields: object) => ({
  delivery: { argoApplication: { enabled: true, repoURL: 'https://git.example.com/r.git', ...fields } },
});
const DIGEST = `sha256:${'a'.repeat(64)}`;

export const REFUSED: readonly RefusedCase[] = [
  // registry
  {
    name: 'an IP that is no literal',
    raw: { registry: { clusterIP: '10.110.240' } },
    field: 'registry.clusterIP',
    message: 'is not an IPv4 or IPv6 address',
    only: 'synth',
  },
  {
    name: 'an IPv6 zone',
    raw: { registry: { clusterIP: 'fd00::10%eth0' } },
    field: 'registry.clusterIP',
    message: 'is not an IPv4 or IPv6 address',
    only: 'synth',
  },
  {
    name: 'an unspecified address',
    raw: { registry: { clusterIP: '0.0.0.0' } },
    field: 'registry.clusterIP',
    message: 'which no Service can use',
    only: 'synth',
  },
  {
    name: 'a ClusterIP outside serviceCIDR',
    raw: { registry: { serviceCIDR: '10.96.0.0/12', clusterIP: '10.112.0.5' } },
    field: 'registry.clusterIP',
    message: 'is outside registry.serviceCIDR',
    only: 'cross-field',
  },
  {
    name: 'a prefix too long',
    raw: { registry: { serviceCIDR: '10.96.0.0/33' } },
    field: 'registry.serviceCIDR',
    message: 'has prefix /33',
    only: 'synth',
  },
  {
    name: 'a registry name that is no label',
    raw: { registry: { name: 'Internal_Registry' } },
    field: 'registry.name',
    message: 'is not a DNS-1123 label',
  },
  {
    name: 'a registry name too long for the node setup',
    raw: { registry: { name: 'a'.repeat(53) } },
    field: 'registry.name',
    message: 'is 53 characters',
  },
  {
    name: 'a namespace with a newline',
    raw: { registry: { namespace: 'a\nb' } },
    field: 'registry.namespace',
    message: 'is not a DNS-1123 label',
  },
  {
    name: 'port 0',
    raw: { registry: { port: 0 } },
    field: 'registry.port',
    message: 'is not a whole number from 1 to 65535',
  },
  {
    name: 'a mistyped key',
    raw: { registry: { clusterIp: '10.0.0.1' } },
    field: 'registry.clusterIp',
    message: 'unknown key',
  },
  {
    name: 'latest',
    raw: { registry: { image: 'registry:latest' } },
    field: 'registry.image',
    message: 'must name an exact tag',
  },
  {
    name: 'no tag',
    raw: { registry: { image: 'registry' } },
    field: 'registry.image',
    message: 'must name an exact tag',
  },
  {
    name: 'no image reference',
    raw: { registry: { image: 'Registry 2' } },
    field: 'registry.image',
    message: 'is not an image reference',
  },
  {
    name: 'a short digest',
    raw: { registry: { imageDigest: 'sha256:abc' } },
    field: 'registry.imageDigest',
    message: 'is not a digest',
  },
  {
    name: 'a digest twice',
    raw: { registry: { image: `registry@${DIGEST}`, imageDigest: DIGEST } },
    field: 'registry.imageDigest',
    message: 'already names a digest',
    only: 'cross-field',
  },
  {
    name: 'the node’s /',
    raw: { registry: { storage: { hostPath: '/' } } },
    field: 'registry.storage.hostPath',
    message: "is the node's /;",
    only: 'synth',
  },
  {
    name: 'the node’s /etc, spelled with ..',
    raw: { registry: { storage: { hostPath: '/var/../etc' } } },
    field: 'registry.storage.hostPath',
    message: "is the node's /etc;",
    only: 'synth',
  },
  {
    name: 'a relative host path',
    raw: { registry: { storage: { hostPath: 'var/lib/x' } } },
    field: 'registry.storage.hostPath',
    message: 'is not an absolute path',
  },
  {
    name: 'a size with a space',
    raw: { registry: { storage: { size: '10 Gi' } } },
    field: 'registry.storage.size',
    message: 'is not a size',
  },
  {
    name: 'a storage class that is no subdomain',
    raw: { registry: { storage: { storageClass: 'Fast SSD' } } },
    field: 'registry.storage.storageClass',
    message: 'is not a DNS-1123 subdomain',
  },
  {
    name: 'an unknown storage type',
    raw: { registry: { storage: { type: 'nfs' } } },
    field: 'registry.storage.type',
    message: 'is not one of',
  },
  {
    name: 'garbage collection on emptyDir',
    raw: { registry: { storage: { type: 'emptyDir' }, garbageCollectOnStart: true } },
    field: 'registry.garbageCollectOnStart',
    message: 'needs registry.storage.type',
    only: 'cross-field',
  },
  {
    name: 'a CPU in words',
    raw: { registry: { resources: { limits: { cpu: '1 core' } } } },
    field: 'registry.resources.limits.cpu',
    message: 'is not a CPU quantity',
  },
  {
    name: 'an alias with a port',
    raw: { registry: { aliases: ['registry.local:5000'] } },
    field: 'registry.aliases[0]',
    message: 'is not a host name',
  },
  {
    name: 'an alias that is the service name',
    raw: { registry: { aliases: ['internal-registry.kube-system.svc.cluster.local'] } },
    field: 'registry.aliases[0]',
    message: 'is listed already',
    only: 'cross-field',
  },
  {
    name: 'deleteEnabled as a word',
    raw: { registry: { deleteEnabled: 'yes' } },
    field: 'registry.deleteEnabled',
    message: 'is not true or false',
  },
  {
    name: 'a root user',
    raw: { registry: { runAsUser: 0 } },
    field: 'registry.runAsUser',
    message: 'from 10000 to 2147483647',
  },
  {
    name: '3 replicas on the default claim',
    raw: { registry: { replicas: 3 } },
    field: 'registry.replicas',
    message: 'need registry.storage.type s3',
  },
  {
    name: '2 replicas on hostPath',
    raw: { registry: { replicas: 2, storage: { type: 'hostPath' } } },
    field: 'registry.replicas',
    message: 'need registry.storage.type s3',
  },
  {
    name: '0 replicas',
    raw: { registry: { replicas: 0 } },
    field: 'registry.replicas',
    message: 'from 1 to 50',
  },
  // registry: S3 and the builder push path (issue 10)
  {
    name: 's3 without its section',
    raw: { registry: { storage: { type: 's3' } } },
    field: 'registry.storage.s3.bucket',
    message: 'is required with registry.storage.type s3',
  },
  {
    name: 'an s3 section beside a claim',
    raw: { registry: { storage: { s3: S3 } } },
    field: 'registry.storage.s3',
    message: 'is only read with registry.storage.type s3',
  },
  {
    name: 'an access key in the config',
    raw: s3({ accessKey: 'AKIA' }),
    field: 'registry.storage.s3.accessKey',
    message: 'credentials never go in the config',
  },
  {
    name: 'an endpoint with credentials',
    raw: s3({ endpoint: 'http://k:s@minio:9000' }),
    field: 'registry.storage.s3.endpoint',
    message: 'must not carry credentials',
  },
  {
    name: 'an endpoint with a path',
    raw: s3({ endpoint: 'http://minio:9000/x' }),
    field: 'registry.storage.s3.endpoint',
    message: 'base URL',
  },
  {
    name: 'an endpoint URL cannot parse',
    raw: s3({ endpoint: 'http://[bad' }),
    field: 'registry.storage.s3.endpoint',
    message: 'is not a URL',
    only: 'synth',
  },
  {
    name: 'an upper-case bucket',
    raw: s3({ bucket: 'Registry' }),
    field: 'registry.storage.s3.bucket',
    message: 'is not an S3 bucket name',
  },
  {
    name: 'a bucket shaped like an IP',
    raw: s3({ bucket: '192.0.2.1' }),
    field: 'registry.storage.s3.bucket',
    message: 'is not an S3 bucket name',
  },
  {
    name: 'a region too long',
    raw: s3({ region: 'a'.repeat(33) }),
    field: 'registry.storage.s3.region',
    message: 'is not a region',
  },
  {
    name: 'a root directory with ..',
    raw: s3({ rootDirectory: '/a/../b' }),
    field: 'registry.storage.s3.rootDirectory',
    message: 'is not a prefix',
  },
  {
    name: 'redirect as a string',
    raw: s3({ redirect: 'yes' }),
    field: 'registry.storage.s3.redirect',
    message: 'is not true or false',
  },
  {
    name: 'a builder namespace twice',
    raw: { registry: { builderPush: { namespaces: ['ci', 'ci'] } } },
    field: 'registry.builderPush.namespaces[1]',
    message: 'is listed twice',
  },
  {
    name: 'a builder namespace that is no label',
    raw: { registry: { builderPush: { namespaces: ['CI'] } } },
    field: 'registry.builderPush.namespaces[0]',
    message: 'is not a namespace name',
  },
  // discovery
  {
    name: 'an unknown source',
    raw: { discovery: { source: 'live' } },
    field: 'discovery.source',
    message: 'is not one of pinned, discover, auto',
  },
  {
    name: 'a context with a space',
    raw: { discovery: { context: 'has space' } },
    field: 'discovery.context',
    message: 'is not a kubeconfig context name',
  },
  {
    name: 'a timeout of 0',
    raw: { discovery: { timeoutSeconds: 0 } },
    field: 'discovery.timeoutSeconds',
    message: 'from 1 to 60',
  },
  // delivery
  {
    name: 'syncWaves as a word',
    raw: { delivery: { syncWaves: 'on' } },
    field: 'delivery.syncWaves',
    message: 'is not true or false',
  },
  {
    name: 'an advertised host without port',
    raw: { delivery: { advertise: { host: 'localhost' } } },
    field: 'delivery.advertise.host',
    message: 'is not host:port',
  },
  {
    name: 'a help link that is no http(s) URL',
    raw: { delivery: { advertise: { help: 'ftp://x' } } },
    field: 'delivery.advertise.help',
    message: 'is not an http(s) URL',
  },
  {
    name: 'a smoke test image without tag',
    raw: { delivery: { smokeTest: { image: 'busybox' } } },
    field: 'delivery.smokeTest.image',
    message: 'must name an exact tag',
  },
  {
    name: 'an Application without repoURL',
    raw: { delivery: { argoApplication: { enabled: true } } },
    field: 'delivery.argoApplication.repoURL',
    message: 'is required when',
  },
  {
    name: 'an unknown Application source',
    raw: argo({ source: 'helm' }),
    field: 'delivery.argoApplication.source',
    message: 'is not one of directory, plugin',
  },
  {
    name: 'an Application name that is no label',
    raw: argo({ name: 'Registry' }),
    field: 'delivery.argoApplication.name',
    message: 'is not a DNS-1123 label',
  },
  {
    name: 'a path that leaves the repository',
    raw: argo({ path: 'deploy/../..' }),
    field: 'delivery.argoApplication.path',
    message: 'is not a folder inside the repository',
  },
  {
    name: 'an absolute path',
    raw: argo({ path: '/srv' }),
    field: 'delivery.argoApplication.path',
    message: 'is not a folder inside the repository',
  },
  {
    name: 'a revision with a space',
    raw: argo({ targetRevision: 'main branch' }),
    field: 'delivery.argoApplication.targetRevision',
    message: 'has spaces or control characters',
  },
  {
    name: 'a repoURL with a newline',
    raw: argo({ repoURL: 'https://x\n' }),
    field: 'delivery.argoApplication.repoURL',
    message: 'has spaces or control characters',
  },
  {
    name: 'a destination that is no URL',
    raw: argo({ destinationServer: 'kubernetes' }),
    field: 'delivery.argoApplication.destinationServer',
    message: 'is not an http(s) URL',
  },
  // nodeSetup
  {
    name: 'an unknown mode',
    raw: { nodeSetup: { mode: 'mirrors' } },
    field: 'nodeSetup.mode',
    message: 'is not one of hostsDir, legacy',
  },
  {
    name: 'an unknown flavor',
    raw: { nodeSetup: { flavor: 'docker' } },
    field: 'nodeSetup.flavor',
    message: 'is not one of containerd, k3s, rke2',
  },
  {
    name: 'the node’s /etc as hosts folder',
    raw: { nodeSetup: { hostsDir: '/etc' } },
    field: 'nodeSetup.hostsDir',
    message: "is the node's /etc;",
    only: 'synth',
  },
  {
    name: 'the node’s / as hosts folder',
    raw: { nodeSetup: { hostsDir: '/' } },
    field: 'nodeSetup.hostsDir',
    message: "is the node's /;",
    only: 'synth',
  },
  {
    name: 'a blank restart command',
    raw: { nodeSetup: { restartCommand: '   ' } },
    field: 'nodeSetup.restartCommand',
    message: 'is empty',
  },
  {
    name: '0%',
    raw: { nodeSetup: { maxUnavailable: '0%' } },
    field: 'nodeSetup.maxUnavailable',
    message: 'is not a percentage from 1% to 100%',
  },
  {
    name: '0 nodes',
    raw: { nodeSetup: { maxUnavailable: 0 } },
    field: 'nodeSetup.maxUnavailable',
    message: 'from 1 to 10000',
  },
  {
    name: 'an agent image on latest',
    raw: { nodeSetup: { agentImage: 'node:latest' } },
    field: 'nodeSetup.agentImage',
    message: 'must name an exact tag',
  },
  {
    name: 'a pause image digest that is none',
    raw: { nodeSetup: { pauseImageDigest: 'sha256:x' } },
    field: 'nodeSetup.pauseImageDigest',
    message: 'is not a digest',
  },
  {
    name: 'a mirror that names no host',
    raw: { nodeSetup: { imageRegistry: 'mirror/hub' } },
    field: 'nodeSetup.imageRegistry',
    message: 'names no registry host',
  },
  {
    name: 'a mirror with a port out of range',
    raw: { nodeSetup: { imageRegistry: 'registry.example.com:99999/hub' } },
    field: 'nodeSetup.imageRegistry',
    message: 'port 99999 is not 1–65535',
    only: 'synth',
  },
  {
    name: 'an extra host path with ..',
    raw: { nodeSetup: { extraHostPaths: ['/etc/rancher/../x'] } },
    field: 'nodeSetup.extraHostPaths[0]',
    message: 'is not a normalised absolute path',
  },
  {
    name: 'the node’s /etc as extra host path',
    raw: { nodeSetup: { extraHostPaths: ['/etc'] } },
    field: 'nodeSetup.extraHostPaths[0]',
    message: 'would mount too much of the node',
    only: 'synth',
  },
  // apps
  { name: 'no apps', raw: { apps: [] }, field: 'apps', message: 'is empty' },
  { name: 'apps as a mapping', raw: { apps: { name: 'a' } }, field: 'apps', message: 'is not a list' },
  {
    name: 'an app without a name',
    raw: { apps: [{ namespace: 'team' }] },
    field: 'apps[0].name',
    message: "'' is not a DNS-1123 label",
  },
  {
    name: 'an app name that is no label',
    raw: app({ name: 'Easy' }),
    field: 'apps[0].name',
    message: 'is not a DNS-1123 label',
  },
  { name: 'an app key misspelled', raw: app({ ports: 80 }), field: 'apps[0].ports', message: 'unknown key' },
  {
    name: 'an image path with a space',
    raw: app({ image: 'Easy Kanban' }),
    field: 'apps[0].image',
    message: 'is not a repository path',
  },
  {
    name: 'a hidden tag',
    raw: app({ tag: '.hidden' }),
    field: 'apps[0].tag',
    message: 'is not an image tag',
  },
  {
    name: 'an md5 digest',
    raw: app({ digest: 'md5:1' }),
    field: 'apps[0].digest',
    message: 'is not a digest',
  },
  { name: 'app port 0', raw: app({ port: 0 }), field: 'apps[0].port', message: 'from 1 to 65535' },
  {
    name: 'negative replicas',
    raw: app({ replicas: -1 }),
    field: 'apps[0].replicas',
    message: 'from 0 to 1000',
  },
  {
    name: 'memory in GB with a space',
    raw: app({ resources: { requests: { memory: '1 GB' } } }),
    field: 'apps[0].resources.requests.memory',
    message: 'is not a size',
  },
  {
    name: 'a grpc probe',
    raw: app({ probe: { type: 'grpc' } }),
    field: 'apps[0].probe.type',
    message: 'is not one of tcp, http',
  },
  {
    name: 'a probe path without /',
    raw: app({ probe: { path: 'healthz' } }),
    field: 'apps[0].probe.path',
    message: 'is not an HTTP path',
  },
  {
    name: 'a JSON manifest',
    raw: app({ manifest: 'app.json' }),
    field: 'apps[0].manifest',
    message: 'is not the path of a .yaml',
  },
  {
    name: 'an open Pod Security level',
    raw: app({ podSecurity: 'open' }),
    field: 'apps[0].podSecurity',
    message: 'is not one of restricted, baseline, privileged',
  },
  {
    name: 'a wildcard kind',
    raw: app({ allowKinds: ['*'] }),
    field: 'apps[0].allowKinds[0]',
    message: 'is not a Kubernetes kind',
  },
  {
    name: 'the same app twice',
    raw: { apps: [{ name: 'a' }, { name: 'a' }] },
    field: 'apps[1].name',
    message: "'a/a' is listed twice",
    only: 'cross-field',
  },
  {
    name: 'two levels in one namespace',
    raw: {
      apps: [
        { name: 'a', namespace: 'team' },
        { name: 'b', namespace: 'team', podSecurity: 'baseline' },
      ],
    },
    field: 'apps[1].podSecurity',
    message: 'a namespace has one level',
    only: 'cross-field',
  },
  {
    name: 'an app named like the registry',
    raw: { apps: [{ name: 'internal-registry', namespace: 'kube-system' }] },
    field: 'apps[0].name',
    message: 'is taken by the registry',
    only: 'cross-field',
  },
  {
    name: 'a restricted app in the registry’s own namespace',
    raw: { registry: { namespace: 'platform' }, apps: [{ name: 'web', namespace: 'platform' }] },
    field: 'apps[0].podSecurity',
    message: 'which is registry.namespace',
    only: 'cross-field',
  },
  // the file as a whole
  { name: 'a key that is no section', raw: { extra: 1 }, field: 'extra', message: 'unknown key' },
  {
    name: 'a section that is no mapping',
    raw: { registry: 'x' },
    field: 'registry',
    message: 'is not a mapping',
  },
];

/** Configs that synth and the JSON Schema both accept, at the edges of the rules above. */
export const ACCEPTED: ReadonlyArray<readonly [string, object]> = [
  ['the built-in defaults', {}],
  ['3 replicas on S3', { registry: { replicas: 3, storage: { type: 's3', s3: S3 } } }],
  ['an in-cluster endpoint', s3({ endpoint: 'http://minio.storage.svc:9000' })],
  ['builders in two namespaces', { registry: { builderPush: { namespaces: ['ci', 'tekton'] } } }],
  ['the default host folder', { registry: { storage: { hostPath: '/var/lib/internal-registry' } } }],
  ['the default hosts folder', { nodeSetup: { hostsDir: '/etc/containerd/certs.d' } }],
  ['an alias', { registry: { aliases: ['registry.local'] } }],
  ['an exact registry tag', { registry: { image: 'registry:2.8.3' } }],
  ['a digest-pinned image', { nodeSetup: { agentImage: `node@${DIGEST}` } }],
  ['an app with a version tag', app({ tag: 'v1.2.3' })],
  ['an app with only a name', { apps: [{ name: 'board' }] }],
  ['100%', { nodeSetup: { maxUnavailable: '100%' } }],
  ['a mirror on localhost', { nodeSetup: { imageRegistry: 'localhost:5000/hub' } }],
  ['an Application with its repoURL', argo({ path: 'deploy/registry' })],
  ['a 52-character registry name', { registry: { name: 'a'.repeat(52) } }],
];
