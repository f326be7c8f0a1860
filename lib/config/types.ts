/**
 * The validated synth configuration. Every field is filled in: defaults are applied by the loader,
 * so constructs and renderers never guess.
 */
export interface SynthConfig {
  readonly registry: RegistryConfig;
  readonly discovery: DiscoveryConfig;
  readonly delivery: DeliveryConfig;
  readonly nodeSetup: NodeSetupConfig;
  readonly apps: readonly AppConfig[];
}

/** Where the registry's ClusterIP comes from. */
export type AddressSourceMode = 'pinned' | 'discover' | 'auto';

export interface DiscoveryConfig {
  /** `pinned`: registry.clusterIP; `discover`: the live Service; `auto`: discover, else pinned. */
  readonly source: AddressSourceMode;
  /** kubeconfig context to read; undefined means the current context. */
  readonly context?: string;
  readonly timeoutSeconds: number;
}

/** Pod Security Standards level (pod-security.kubernetes.io). */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export type StorageType = 'persistentVolumeClaim' | 'hostPath' | 'emptyDir' | 's3';

/** S3-compatible object storage shared by every registry process (the scale-out mode). */
export interface S3StorageConfig {
  /** Base URL of an S3-compatible server; undefined means AWS S3 itself. */
  readonly endpoint?: string;
  readonly bucket: string;
  readonly region: string;
  /** Secret in the registry's namespace with the keys `accessKey` and `secretKey`. */
  readonly credentialsSecret: string;
  /** Prefix of every object the registry writes in the bucket; undefined means the bucket's root. */
  readonly rootDirectory?: string;
  /** Let pulls fetch blobs straight from S3 (a redirect); nodes must then reach the endpoint. */
  readonly redirect: boolean;
}

export interface StorageConfig {
  readonly type: StorageType;
  /** PersistentVolumeClaim size. */
  readonly size: string;
  /** PersistentVolumeClaim storage class; undefined means the cluster's default class. */
  readonly storageClass?: string;
  /** Directory on the node, for `hostPath`. */
  readonly hostPath: string;
  /** Set exactly when `type` is `s3`. */
  readonly s3?: S3StorageConfig;
}

/** The opt-in push path for in-cluster builders: never the pull address. */
export interface BuilderPushConfig {
  /** Namespaces whose pods may reach the push Service; empty means no push path. */
  readonly namespaces: readonly string[];
  /** Secret in the registry's namespace whose key `htpasswd` holds bcrypt htpasswd lines. */
  readonly htpasswdSecret: string;
}

export interface ResourceAmounts {
  readonly cpu: string;
  readonly memory: string;
  /** Container logs and writable layers; kubelet evicts a pod past its limit. */
  readonly ephemeralStorage: string;
}

export interface ResourcesConfig {
  readonly requests: ResourceAmounts;
  readonly limits: ResourceAmounts;
}

export interface RegistryConfig {
  readonly name: string;
  readonly namespace: string;
  readonly port: number;
  /** The pinned ClusterIP, after environment overrides. */
  readonly clusterIP: string;
  /** The cluster's Service CIDR, when known; enables the range checks. */
  readonly serviceCIDR?: string;
  readonly clusterDomain: string;
  /** Extra host names (without port) that nodes accept for the registry. */
  readonly aliases: readonly string[];
  /** `registry` image reference with an exact tag. */
  readonly image: string;
  readonly imageDigest?: string;
  readonly storage: StorageConfig;
  readonly deleteEnabled: boolean;
  /** Run the registry's garbage collection before it serves, at each start of its pod. */
  readonly garbageCollectOnStart: boolean;
  readonly runAsUser: number;
  readonly resources: ResourcesConfig;
  /** Read-only registry replicas behind the Service; more than one needs `storage.type: s3`. */
  readonly replicas: number;
  readonly builderPush: BuilderPushConfig;
}

export type NodeSetupMode = 'hostsDir' | 'legacy';
export type NodeFlavor = 'containerd' | 'k3s' | 'rke2';

export interface NodeSetupConfig {
  readonly mode: NodeSetupMode;
  /** Hosts directory used when the node's containerd names none. */
  readonly hostsDir: string;
  readonly flavor: NodeFlavor;
  /** Nodes set up at once during a rollout: a count, or a percentage such as `10%`. */
  readonly maxUnavailable: number | string;
  /** Image that runs the node agent (needs node and nsenter). */
  readonly agentImage: string;
  /** Pins agentImage to this digest (`image:tag@digest`). */
  readonly agentImageDigest?: string;
  /** Image of the long-running container that reports readiness. */
  readonly pauseImage: string;
  /** Pins pauseImage to this digest. */
  readonly pauseImageDigest?: string;
  /** Pull both images from this registry (and path) instead of Docker Hub: for air-gapped clusters. */
  readonly imageRegistry?: string;
  /** Further host folders mounted into the agent, e.g. where a symlinked config.toml points. */
  readonly extraHostPaths: readonly string[];
  /** Command run in the host's namespaces to restart containerd. */
  readonly restartCommand: string;
}

export type ProbeType = 'tcp' | 'http';

export interface AppConfig {
  readonly name: string;
  readonly namespace: string;
  /** Repository path inside the registry, such as `easy-kanban`. */
  readonly image: string;
  readonly tag: string;
  readonly digest?: string;
  readonly port: number;
  readonly replicas: number;
  readonly resources: ResourcesConfig;
  readonly probe: { readonly type: ProbeType; readonly path: string };
  readonly runAsUser: number;
  readonly readOnlyRootFilesystem: boolean;
  /**
   * An existing manifest (such as the seed's app-deployment.yaml) used instead of the generated
   * Deployment, with each IMAGE_NAME_PLACEHOLDER replaced by the app's image; resolved against the
   * config file's folder.
   */
  readonly manifest?: string;
  /** Pod Security level enforced on the app's namespace; its pods must meet it. */
  readonly podSecurity: PodSecurityLevel;
  /**
   * Kinds the manifest may hold beyond the namespaced application kinds (issue 9), such as
   * `ClusterRoleBinding`; `ClusterRole` also lets a RoleBinding bind a ClusterRole.
   */
  readonly allowKinds: readonly string[];
  /** The manifest, read and parsed once by the loader; the checks and the construct share it. */
  readonly included?: ParsedManifest;
}

/** One document of an included manifest. */
export interface ManifestDocument {
  /** 1-based position in the file, for messages. */
  readonly index: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are loosely typed YAML
  readonly object: any;
}

/** An included manifest as parsed from its file (nulls of empty documents dropped). */
export interface ParsedManifest {
  readonly file: string;
  readonly documents: readonly ManifestDocument[];
}

/** Where an Argo CD Application takes the manifests from. */
export type ArgoSource = 'directory' | 'plugin';

/** How the output is shipped and checked: Argo CD, registry advertisement, smoke test. */
export interface DeliveryConfig {
  /** Argo CD sync-wave annotations in apply order. */
  readonly syncWaves: boolean;
  /** The KEP-1755 `local-registry-hosting` ConfigMap in kube-public. */
  readonly advertise: {
    readonly enabled: boolean;
    /** Where a developer pushes from outside the cluster (the port-forward). */
    readonly host: string;
    readonly help: string;
  };
  /** A Job that fetches /v2/ from the registry by its service name. */
  readonly smokeTest: { readonly enabled: boolean; readonly image: string };
  /** An Argo CD Application for this repo. */
  readonly argoApplication: {
    readonly enabled: boolean;
    /** `directory`: the committed output folder as a plain directory; `plugin`: render at sync. */
    readonly source: ArgoSource;
    readonly name: string;
    readonly namespace: string;
    readonly project: string;
    readonly repoURL?: string;
    readonly path: string;
    readonly targetRevision: string;
    readonly destinationServer: string;
  };
}
