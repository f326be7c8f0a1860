import type { AppConfig, DeliveryConfig, DiscoveryConfig, NodeSetupConfig, RegistryConfig } from './types';

/**
 * The seed's system. `config/default.yaml` spells the same values out for readers; a test keeps
 * the two equal.
 */
export const REGISTRY_DEFAULTS: RegistryConfig = {
  name: 'internal-registry',
  namespace: 'kube-system',
  port: 5000,
  clusterIP: '10.110.240.233',
  clusterDomain: 'cluster.local',
  aliases: [],
  image: 'registry:2.8.3',
  storage: { type: 'persistentVolumeClaim', size: '10Gi', hostPath: '/var/lib/internal-registry' },
  deleteEnabled: true,
  garbageCollectOnStart: false,
  runAsUser: 10001,
  resources: {
    requests: { cpu: '100m', memory: '128Mi', ephemeralStorage: '64Mi' },
    limits: { cpu: '1', memory: '512Mi', ephemeralStorage: '256Mi' },
  },
  replicas: 1,
  builderPush: { namespaces: [], htpasswdSecret: 'internal-registry-htpasswd' },
};

/** Defaults of `registry.storage.s3`, whose bucket and credentials Secret have none. */
export const S3_DEFAULTS = { region: 'us-east-1', redirect: false } as const;

export const DISCOVERY_DEFAULTS: DiscoveryConfig = {
  source: 'pinned',
  timeoutSeconds: 5,
};

export const DELIVERY_DEFAULTS: DeliveryConfig = {
  syncWaves: true,
  advertise: {
    enabled: true,
    host: 'localhost:5000',
    help: 'https://github.com/kubernetes/enhancements/tree/master/keps/sig-cluster-lifecycle/generic/1755-communicating-a-local-registry',
  },
  smokeTest: { enabled: false, image: 'busybox:1.36.1' },
  argoApplication: {
    enabled: false,
    source: 'directory',
    name: 'internal-registry',
    namespace: 'argocd',
    project: 'default',
    path: '.',
    targetRevision: 'HEAD',
    destinationServer: 'https://kubernetes.default.svc',
  },
};

export const NODE_SETUP_DEFAULTS: NodeSetupConfig = {
  mode: 'hostsDir',
  hostsDir: '/etc/containerd/certs.d',
  flavor: 'containerd',
  maxUnavailable: 1,
  agentImage: 'node:20.18.1-bookworm-slim',
  pauseImage: 'busybox:1.36.1',
  extraHostPaths: [],
  restartCommand: 'nsenter -t 1 -m -u -i -n -p -- systemctl restart containerd',
};

export const APP_DEFAULTS: Omit<AppConfig, 'name' | 'namespace' | 'image'> = {
  tag: 'latest',
  port: 3000,
  replicas: 1,
  resources: {
    requests: { cpu: '50m', memory: '64Mi', ephemeralStorage: '64Mi' },
    limits: { cpu: '500m', memory: '256Mi', ephemeralStorage: '256Mi' },
  },
  probe: { type: 'tcp', path: '/' },
  runAsUser: 10001,
  readOnlyRootFilesystem: true,
  podSecurity: 'restricted',
  allowKinds: [],
};

export const DEFAULT_APPS: readonly AppConfig[] = [
  { ...APP_DEFAULTS, name: 'easy-kanban', namespace: 'easy-kanban', image: 'easy-kanban' },
];
