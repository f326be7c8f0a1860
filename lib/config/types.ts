import type { configSchema } from './schema/config';
import type { Infer } from './schema/nodes';

/*
 * The config's types, derived from its one definition (lib/config/schema/config.ts, issue 11); the
 * field documentation lives there and in config/schema.json.
 */
type Config = Infer<typeof configSchema>;

export type RegistryConfig = Config['registry'];
export type StorageConfig = RegistryConfig['storage'];
export type StorageType = StorageConfig['type'];
/** S3-compatible object storage shared by every registry process (the scale-out mode). */
export type S3StorageConfig = NonNullable<StorageConfig['s3']>;
/** The opt-in push path for in-cluster builders: never the pull address. */
export type BuilderPushConfig = RegistryConfig['builderPush'];
export type ResourcesConfig = RegistryConfig['resources'];
export type ResourceAmounts = ResourcesConfig['requests'];

export type DiscoveryConfig = Config['discovery'];
/** Where the registry's ClusterIP comes from. */
export type AddressSourceMode = DiscoveryConfig['source'];

/** How the output is shipped and checked: Argo CD, registry advertisement, smoke test. */
export type DeliveryConfig = Config['delivery'];
/** Where an Argo CD Application takes the manifests from. */
export type ArgoSource = DeliveryConfig['argoApplication']['source'];

export type NodeSetupConfig = Config['nodeSetup'];
export type NodeSetupMode = NodeSetupConfig['mode'];
export type NodeFlavor = NodeSetupConfig['flavor'];

type AppFields = Config['apps'][number];
/** Pod Security Standards level (pod-security.kubernetes.io). */
export type PodSecurityLevel = AppFields['podSecurity'];
export type ProbeType = AppFields['probe']['type'];

export interface AppConfig extends AppFields {
  /** The manifest, read and parsed once by the loader; the checks and the construct share it. */
  readonly included?: ParsedManifest;
}

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
