import {
  isDigest,
  isImageReference,
  isPinnedReference,
  isRepositoryPath,
  isTag,
} from '../k8s/image-reference';
import { normalizeHostPath, refuseHostPath } from '../node-setup/host-paths';
import {
  BUILT_IN_NAMESPACES,
  isDns1123Label,
  isDns1123Subdomain,
  MAX_REGISTRY_NAME_LENGTH,
  serviceDnsName,
} from '../k8s/names';
import { hostsFileKey } from '../node-setup/configmap-keys';
import { nodeSetupName } from '../node-setup/contract';
import {
  formatIp,
  hostWithPort,
  parseCidr,
  parseIp,
  placeInServiceCidr,
  specialPurposeRange,
  staticBandSize,
} from '../net/ip';
import {
  APP_DEFAULTS,
  DEFAULT_APPS,
  DISCOVERY_DEFAULTS,
  NODE_SETUP_DEFAULTS,
  REGISTRY_DEFAULTS,
} from './defaults';
import { FieldReader, type Check, type ConfigIssue } from './field-reader';
import { REGISTRY_NAMESPACE_POD_SECURITY } from '../k8s/pod-security';
import { readDelivery } from './read-delivery';
import { NODE_ROLLOUT_KEYS, readNodeRollout } from './read-node-rollout';
import { checkReplicas, MAX_REGISTRY_REPLICAS, readBuilderPush, readS3Storage } from './read-scale-out';
import type {
  AddressSourceMode,
  AppConfig,
  DiscoveryConfig,
  NodeFlavor,
  NodeSetupConfig,
  NodeSetupMode,
  PodSecurityLevel,
  ProbeType,
  RegistryConfig,
  ResourcesConfig,
  StorageConfig,
  StorageType,
  SynthConfig,
} from './types';

export interface ValidationResult {
  /** Set only when there are no issues. */
  readonly config?: SynthConfig;
  readonly issues: readonly ConfigIssue[];
  /** Things that work but that a careful operator wants to hear about. */
  readonly warnings: readonly string[];
  /**
   * The config as read, with defaults in place of the fields that have issues: lets the loader
   * check what depends on valid fields (included manifests) in the same run.
   */
  readonly draft: SynthConfig;
}

const label: Check<string> = (v) =>
  isDns1123Label(v) ? undefined : 'is not a DNS-1123 label (lower-case letters, digits and -, at most 63)';
const subdomain: Check<string> = (v) =>
  isDns1123Subdomain(v) ? undefined : 'is not a DNS-1123 subdomain (dot-separated lower-case labels)';
const ipLiteral: Check<string> = (v) =>
  parseIp(v)
    ? undefined
    : 'is not an IPv4 or IPv6 address; write a literal such as 10.110.240.233 or fd00::10';
const clusterIp: Check<string> = (v) => {
  const ip = parseIp(v);
  if (!ip) return ipLiteral(v);
  const range = specialPurposeRange(ip);
  return range ? `is ${range}, which no Service can use; pick one in the cluster's Service CIDR` : undefined;
};
const registryName: Check<string> = (v) =>
  label(v) ??
  (v.length > MAX_REGISTRY_NAME_LENGTH
    ? `is ${v.length} characters: the node setup is named ${nodeSetupName('<registry.name>')}, a DNS-1123 label of at most 63, so registry.name has at most ${MAX_REGISTRY_NAME_LENGTH}`
    : undefined);
const pinnedImage: Check<string> = (v) => {
  if (!isImageReference(v)) return 'is not an image reference such as registry:2.8.3';
  return isPinnedReference(v) ? undefined : 'must name an exact tag (not latest) or a digest';
};
const digest: Check<string> = (v) =>
  isDigest(v) ? undefined : 'is not a digest of the form sha256:<64 hex digits>';
const absolutePath: Check<string> = (v) =>
  /^\/[\w.\-/]*$/.test(v) ? undefined : 'is not an absolute path (letters, digits, _ . - and /)';

/** A host folder for a hostPath mount, normalised (issue 9) before it is checked and used. */
function readHostPath(reader: FieldReader, path: string, raw: unknown, fallback: string): string {
  const given = reader.string(path, raw, fallback, absolutePath);
  const normalized = normalizeHostPath(given);
  const refusal = refuseHostPath(normalized);
  if (!refusal) return normalized;
  const shown = normalized === given ? '' : ` (normalised: '${normalized}')`;
  reader.fail(path, `'${given}'${shown} ${refusal}; give a folder of its own, such as ${fallback}`);
  return fallback;
}
const cpu: Check<string> = (v) =>
  /^\d+(\.\d+)?m?$/.test(v) ? undefined : 'is not a CPU quantity such as 100m or 1';
const bytes: Check<string> = (v) =>
  /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.test(v) ? undefined : 'is not a size such as 128Mi or 10Gi';

const MAX_UID = 2147483647;
const MIN_UID = 10000;

/** The top-level keys of a config. */
export const CONFIG_SECTIONS = ['registry', 'discovery', 'delivery', 'nodeSetup', 'apps'] as const;

/** Validates raw config data, fills in defaults and reports every issue at once. */
export function validateConfig(raw: unknown, labelOf?: (path: string) => string): ValidationResult {
  const reader = new FieldReader(labelOf);
  const warnings: string[] = [];
  const top = reader.section('', raw, CONFIG_SECTIONS);
  const registry = readRegistry(reader, top.registry);
  const discovery = readDiscovery(reader, top.discovery);
  const delivery = readDelivery(reader, top.delivery);
  const nodeSetup = readNodeSetup(reader, top.nodeSetup);
  const apps = readApps(reader, top.apps);
  checkServiceCidr(reader, registry, warnings);
  checkAliases(reader, registry);
  checkReplicas(reader, registry);
  checkReservedAppNames(reader, registry, apps);
  checkSharedNamespace(reader, registry, apps);
  for (const [imageField, image, digestField, digest] of [
    ['registry.image', registry.image, 'registry.imageDigest', registry.imageDigest],
    ['nodeSetup.agentImage', nodeSetup.agentImage, 'nodeSetup.agentImageDigest', nodeSetup.agentImageDigest],
    ['nodeSetup.pauseImage', nodeSetup.pauseImage, 'nodeSetup.pauseImageDigest', nodeSetup.pauseImageDigest],
  ] as const) {
    if (digest && image.includes('@')) {
      reader.fail(
        digestField,
        `is set while ${imageField} already names a digest; give the digest in one of them`,
      );
    }
  }
  if (registry.garbageCollectOnStart && registry.storage.type === 'emptyDir') {
    reader.fail(
      'registry.garbageCollectOnStart',
      'needs registry.storage.type persistentVolumeClaim or hostPath: with emptyDir the pods roll over each other, and a collection could lose a push',
    );
  }
  if (registry.storage.type === 'emptyDir') {
    warnings.push(
      'registry.storage.type: emptyDir loses every pushed image when the registry pod is replaced',
    );
  }
  const draft = { registry, discovery, delivery, nodeSetup, apps };
  if (reader.issues.length > 0) return { issues: reader.issues, warnings, draft };
  return { config: draft, issues: [], warnings, draft };
}

function readResources(
  reader: FieldReader,
  path: string,
  raw: unknown,
  fallback: ResourcesConfig,
): ResourcesConfig {
  const section = reader.section(path, raw, ['requests', 'limits']);
  const pair = (key: 'requests' | 'limits') => {
    const part = reader.section(`${path}.${key}`, section[key], ['cpu', 'memory', 'ephemeralStorage']);
    return {
      cpu: reader.string(`${path}.${key}.cpu`, part.cpu, fallback[key].cpu, cpu),
      memory: reader.string(`${path}.${key}.memory`, part.memory, fallback[key].memory, bytes),
      ephemeralStorage: reader.string(
        `${path}.${key}.ephemeralStorage`,
        part.ephemeralStorage,
        fallback[key].ephemeralStorage,
        bytes,
      ),
    };
  };
  return { requests: pair('requests'), limits: pair('limits') };
}

function readStorage(reader: FieldReader, raw: unknown): StorageConfig {
  const path = 'registry.storage';
  const fallback = REGISTRY_DEFAULTS.storage;
  const s = reader.section(path, raw, ['type', 'size', 'storageClass', 'hostPath', 's3']);
  const types: StorageType[] = ['persistentVolumeClaim', 'hostPath', 'emptyDir', 's3'];
  const type = reader.oneOf(`${path}.type`, s.type, fallback.type, types);
  return {
    type,
    s3: readS3Storage(reader, type, s.s3),
    size: reader.string(`${path}.size`, s.size, fallback.size, bytes),
    storageClass: reader.optionalString(`${path}.storageClass`, s.storageClass, subdomain),
    hostPath: readHostPath(reader, `${path}.hostPath`, s.hostPath, fallback.hostPath),
  };
}

function readRegistry(reader: FieldReader, raw: unknown): RegistryConfig {
  const d = REGISTRY_DEFAULTS;
  const r = reader.section('registry', raw, [
    'name',
    'namespace',
    'port',
    'clusterIP',
    'serviceCIDR',
    'clusterDomain',
    'aliases',
    'image',
    'imageDigest',
    'storage',
    'deleteEnabled',
    'garbageCollectOnStart',
    'runAsUser',
    'resources',
    'replicas',
    'builderPush',
  ]);
  return {
    name: reader.string('registry.name', r.name, d.name, registryName),
    namespace: reader.string('registry.namespace', r.namespace, d.namespace, label),
    port: reader.integer('registry.port', r.port, d.port, 1, 65535),
    clusterIP: reader.string('registry.clusterIP', r.clusterIP, d.clusterIP, clusterIp),
    serviceCIDR: reader.optionalString('registry.serviceCIDR', r.serviceCIDR, (v) => {
      const parsed = parseCidr(v);
      return typeof parsed === 'string' ? parsed : undefined;
    }),
    clusterDomain: reader.string('registry.clusterDomain', r.clusterDomain, d.clusterDomain, subdomain),
    aliases: reader.list('registry.aliases', r.aliases, d.aliases, (item, path) =>
      reader.string(path, item, '', (v) =>
        isDns1123Subdomain(v) ? undefined : 'is not a host name (DNS-1123 subdomain, without port)',
      ),
    ),
    image: reader.string('registry.image', r.image, d.image, pinnedImage),
    imageDigest: reader.optionalString('registry.imageDigest', r.imageDigest, digest),
    storage: readStorage(reader, r.storage),
    deleteEnabled: reader.boolean('registry.deleteEnabled', r.deleteEnabled, d.deleteEnabled),
    garbageCollectOnStart: reader.boolean(
      'registry.garbageCollectOnStart',
      r.garbageCollectOnStart,
      d.garbageCollectOnStart,
    ),
    runAsUser: reader.integer('registry.runAsUser', r.runAsUser, d.runAsUser, MIN_UID, MAX_UID),
    resources: readResources(reader, 'registry.resources', r.resources, d.resources),
    replicas: reader.integer('registry.replicas', r.replicas, d.replicas, 1, MAX_REGISTRY_REPLICAS),
    builderPush: readBuilderPush(reader, r.builderPush),
  };
}

function readDiscovery(reader: FieldReader, raw: unknown): DiscoveryConfig {
  const d = DISCOVERY_DEFAULTS;
  const section = reader.section('discovery', raw, ['source', 'context', 'timeoutSeconds']);
  const sources: AddressSourceMode[] = ['pinned', 'discover', 'auto'];
  return {
    source: reader.oneOf('discovery.source', section.source, d.source, sources),
    context: reader.optionalString('discovery.context', section.context, (v) =>
      /^[\x21-\x7e]+$/.test(v) ? undefined : 'is not a kubeconfig context name',
    ),
    timeoutSeconds: reader.integer(
      'discovery.timeoutSeconds',
      section.timeoutSeconds,
      d.timeoutSeconds,
      1,
      60,
    ),
  };
}

function readNodeSetup(reader: FieldReader, raw: unknown): NodeSetupConfig {
  const d = NODE_SETUP_DEFAULTS;
  const n = reader.section('nodeSetup', raw, [
    'mode',
    'hostsDir',
    'flavor',
    'maxUnavailable',
    'agentImage',
    'pauseImage',
    'restartCommand',
    ...NODE_ROLLOUT_KEYS,
  ]);
  const modes: NodeSetupMode[] = ['hostsDir', 'legacy'];
  const flavors: NodeFlavor[] = ['containerd', 'k3s', 'rke2'];
  return {
    mode: reader.oneOf('nodeSetup.mode', n.mode, d.mode, modes),
    hostsDir: readHostPath(reader, 'nodeSetup.hostsDir', n.hostsDir, d.hostsDir),
    flavor: reader.oneOf('nodeSetup.flavor', n.flavor, d.flavor, flavors),
    ...readNodeRollout(reader, n, d),
    agentImage: reader.string('nodeSetup.agentImage', n.agentImage, d.agentImage, pinnedImage),
    pauseImage: reader.string('nodeSetup.pauseImage', n.pauseImage, d.pauseImage, pinnedImage),
    restartCommand: reader.string('nodeSetup.restartCommand', n.restartCommand, d.restartCommand, (v) =>
      v.trim() ? undefined : 'is empty; give the command that restarts containerd on a node',
    ),
  };
}

function readApp(reader: FieldReader, raw: unknown, path: string): AppConfig {
  const d = APP_DEFAULTS;
  const a = reader.section(path, raw, [
    'name',
    'namespace',
    'image',
    'tag',
    'digest',
    'port',
    'replicas',
    'resources',
    'probe',
    'runAsUser',
    'readOnlyRootFilesystem',
    'manifest',
    'podSecurity',
    'allowKinds',
  ]);
  const levels: PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];
  const name = reader.string(`${path}.name`, a.name ?? '', '', label);
  const probe = reader.section(`${path}.probe`, a.probe, ['type', 'path']);
  const probeTypes: ProbeType[] = ['tcp', 'http'];
  return {
    name,
    namespace: reader.string(`${path}.namespace`, a.namespace ?? name, name, label),
    image: reader.string(`${path}.image`, a.image ?? name, name, (v) =>
      isRepositoryPath(v) ? undefined : 'is not a repository path such as easy-kanban or team/easy-kanban',
    ),
    tag: reader.string(`${path}.tag`, a.tag, d.tag, (v) =>
      isTag(v)
        ? undefined
        : 'is not an image tag (letters, digits, _ . -, at most 128, not starting with . or -)',
    ),
    digest: reader.optionalString(`${path}.digest`, a.digest, digest),
    port: reader.integer(`${path}.port`, a.port, d.port, 1, 65535),
    replicas: reader.integer(`${path}.replicas`, a.replicas, d.replicas, 0, 1000),
    resources: readResources(reader, `${path}.resources`, a.resources, d.resources),
    probe: {
      type: reader.oneOf(`${path}.probe.type`, probe.type, d.probe.type, probeTypes),
      path: reader.string(`${path}.probe.path`, probe.path, d.probe.path, (v) =>
        /^\/[\x21-\x7e]*$/.test(v) ? undefined : 'is not an HTTP path starting with /',
      ),
    },
    runAsUser: reader.integer(`${path}.runAsUser`, a.runAsUser, d.runAsUser, MIN_UID, MAX_UID),
    readOnlyRootFilesystem: reader.boolean(
      `${path}.readOnlyRootFilesystem`,
      a.readOnlyRootFilesystem,
      d.readOnlyRootFilesystem,
    ),
    manifest: reader.optionalString(`${path}.manifest`, a.manifest, (v) =>
      /\.ya?ml$/.test(v) ? undefined : 'is not the path of a .yaml or .yml file',
    ),
    podSecurity: reader.oneOf(`${path}.podSecurity`, a.podSecurity, d.podSecurity, levels),
    allowKinds: reader.list(`${path}.allowKinds`, a.allowKinds, d.allowKinds, (item, itemPath) =>
      reader.string(itemPath, item, '', (v) =>
        /^[A-Z][A-Za-z0-9]{0,62}$/.test(v)
          ? undefined
          : 'is not a Kubernetes kind such as ClusterRoleBinding',
      ),
    ),
  };
}

function readApps(reader: FieldReader, raw: unknown): AppConfig[] {
  const apps = reader.list('apps', raw, DEFAULT_APPS, (item, path) => readApp(reader, item, path));
  if (apps.length === 0) {
    reader.fail('apps', 'is empty; list at least one app, e.g. - name: easy-kanban');
  }
  const seen = new Set<string>();
  const levels = new Map<string, string>();
  apps.forEach((app, index) => {
    const key = `${app.namespace}/${app.name}`;
    if (app.name && seen.has(key)) reader.fail(`apps[${index}].name`, `'${key}' is listed twice`);
    seen.add(key);
    const level = levels.get(app.namespace) ?? app.podSecurity;
    if (level !== app.podSecurity) {
      reader.fail(
        `apps[${index}].podSecurity`,
        `'${app.podSecurity}' differs from '${level}' of another app in namespace ${app.namespace}; a namespace has one level`,
      );
    }
    levels.set(app.namespace, level);
  });
  return apps;
}

function checkServiceCidr(reader: FieldReader, registry: RegistryConfig, warnings: string[]): void {
  const ip = parseIp(registry.clusterIP);
  const cidr = registry.serviceCIDR ? parseCidr(registry.serviceCIDR) : undefined;
  if (!ip || !cidr || typeof cidr === 'string') return;
  const where = placeInServiceCidr(ip, cidr);
  const range = registry.serviceCIDR;
  const first = formatIp(cidr.family, cidr.network + 1n);
  const lastStatic = formatIp(cidr.family, cidr.network + staticBandSize(cidr));
  const fix = `pick one in ${first}-${lastStatic} other than ${first}`;
  const problems: Record<typeof where, string | undefined> = {
    outside: `is outside registry.serviceCIDR ${range}`,
    network: `is the network address of ${range}`,
    apiserver: `is the address of the kubernetes Service in ${range}`,
    broadcast: `is the broadcast address of ${range}`,
    static: undefined,
    dynamic: undefined,
  };
  const problem = problems[where];
  if (problem) {
    reader.fail('registry.clusterIP', `'${registry.clusterIP}' ${problem}; ${fix}`);
  } else if (where === 'dynamic') {
    warnings.push(
      `registry.clusterIP: '${registry.clusterIP}' lies in the dynamic part of ${range}, where Kubernetes may give it ` +
        `to another Service first; the static band (KEP-3070) is ${first}-${lastStatic}`,
    );
  }
}

const MAX_CONFIGMAP_KEY = 253;

function checkAliases(reader: FieldReader, registry: RegistryConfig): void {
  const serviceName = serviceDnsName(registry.name, registry.namespace, registry.clusterDomain);
  const seen = new Set<string>([serviceName, registry.clusterIP]);
  // Each name becomes a ConfigMap key; Kubernetes allows keys of at most 253 characters.
  const serviceKey = hostsFileKey(hostWithPort(serviceName, registry.port));
  if (serviceKey.length > MAX_CONFIGMAP_KEY) {
    reader.fail(
      'registry.clusterDomain',
      `the service name ${serviceName.slice(0, 120)}… is ${serviceName.length} characters: its ConfigMap key ` +
        `${serviceKey.slice(0, 20)}… would be ${serviceKey.length}, over Kubernetes' ${MAX_CONFIGMAP_KEY}; shorten ` +
        `registry.name, registry.namespace or registry.clusterDomain by ${serviceKey.length - MAX_CONFIGMAP_KEY}`,
    );
  }
  registry.aliases.forEach((alias, index) => {
    const path = `registry.aliases[${index}]`;
    if (seen.has(alias)) {
      reader.fail(path, `'${alias}' is listed already (or is the service name or the ClusterIP); remove it`);
    }
    seen.add(alias);
    const key = hostsFileKey(hostWithPort(alias, registry.port));
    if (key.length > MAX_CONFIGMAP_KEY) {
      reader.fail(
        path,
        `is ${alias.length} characters: its ConfigMap key ${key.slice(0, 20)}… would be ${key.length}, ` +
          `over Kubernetes' ${MAX_CONFIGMAP_KEY}; use a name of at most ${alias.length - (key.length - MAX_CONFIGMAP_KEY)}`,
      );
    }
  });
}

/** The registry's and the node setup's names select their pods (`app=<name>`) in kubectl and doctor. */
function checkReservedAppNames(
  reader: FieldReader,
  registry: RegistryConfig,
  apps: readonly AppConfig[],
): void {
  const reserved: Record<string, string> = {
    [registry.name]: 'the registry',
    [nodeSetupName(registry.name)]: 'the node setup',
  };
  apps.forEach((app, index) => {
    if (app.namespace === registry.namespace && Object.hasOwn(reserved, app.name)) {
      reader.fail(
        `apps[${index}].name`,
        `'${app.name}' is taken by ${reserved[app.name]} in namespace ${app.namespace}; give the app another name or namespace`,
      );
    }
  });
}

/**
 * A registry namespace that is not built in is created with the Pod Security level the privileged
 * node agent needs; an app may share it only at that level (a namespace has one level).
 */
function checkSharedNamespace(
  reader: FieldReader,
  registry: RegistryConfig,
  apps: readonly AppConfig[],
): void {
  if (BUILT_IN_NAMESPACES.has(registry.namespace)) return;
  apps.forEach((app, index) => {
    if (app.namespace === registry.namespace && app.podSecurity !== REGISTRY_NAMESPACE_POD_SECURITY) {
      reader.fail(
        `apps[${index}].podSecurity`,
        `'${app.podSecurity}' differs from '${REGISTRY_NAMESPACE_POD_SECURITY}' of namespace ${app.namespace}, which is ` +
          `registry.namespace (the node agent needs it); give the app another namespace, or set podSecurity: ${REGISTRY_NAMESPACE_POD_SECURITY}`,
      );
    }
  });
}
