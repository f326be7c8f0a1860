import { BUILT_IN_NAMESPACES, serviceDnsName } from '../k8s/names';
import { REGISTRY_NAMESPACE_POD_SECURITY } from '../k8s/pod-security';
import { formatIp, hostWithPort, parseCidr, parseIp, placeInServiceCidr, staticBandSize } from '../net/ip';
import { hostsFileKey } from '../node-setup/configmap-keys';
import { nodeSetupName } from '../node-setup/contract';
import type { FieldReader } from './field-reader';
import type { AppConfig, RegistryConfig, SynthConfig } from './types';

/*
 * Rules between fields of different sections, over the config as read (the draft): each reports on
 * the reader, naming the field to change. Rules within one section are the schema's (`after`).
 */

/** Every cross-section rule, in the order its issues are reported. */
export function checkAcrossSections(reader: FieldReader, draft: SynthConfig, warnings: string[]): void {
  const { registry, nodeSetup, apps } = draft;
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
}

/** More than one replica needs storage every replica reads at once: only S3 is that here. */
function checkReplicas(reader: FieldReader, registry: RegistryConfig): void {
  if (registry.replicas > 1 && registry.storage.type !== 's3') {
    reader.fail(
      'registry.replicas',
      `${registry.replicas} replicas need registry.storage.type s3: with ${registry.storage.type} each replica would have its own images (or could not mount the volume); use 1, or shared object storage`,
    );
  }
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
