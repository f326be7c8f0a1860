import { parseCidr, parseIp, specialPurposeRange } from '../../net/ip';
import { MAX_REGISTRY_NAME_LENGTH } from '../../k8s/names';
import { nodeSetupName } from '../../node-setup/contract';
import { hostFolderField } from './host-folders';
import { boolean, integer, list, object, oneOf, optionalString, string } from './nodes';
import { resources } from './resources';
import { builderPush, MAX_REGISTRY_REPLICAS, s3Storage } from './scale-out';
import { bytes, checked, digest, dnsLabel, dnsSubdomain, expecting, pinnedImage } from './rules';

/** Kubernetes' range of user IDs, above the system accounts. */
export const MIN_UID = 10000;
export const MAX_UID = 2147483647;

const ipLiteral = (v: string) =>
  parseIp(v)
    ? undefined
    : 'is not an IPv4 or IPv6 address; write a literal such as 10.110.240.233 or fd00::10';

const clusterIp = checked((v) => {
  const ip = parseIp(v);
  if (!ip) return ipLiteral(v);
  const range = specialPurposeRange(ip);
  return range ? `is ${range}, which no Service can use; pick one in the cluster's Service CIDR` : undefined;
});

const serviceCidr = checked((v) => {
  const parsed = parseCidr(v);
  return typeof parsed === 'string' ? parsed : undefined;
});

const registryName = checked(
  (v) =>
    dnsLabel.check(v) ??
    (v.length > MAX_REGISTRY_NAME_LENGTH
      ? `is ${v.length} characters: the node setup is named ${nodeSetupName('<registry.name>')}, a DNS-1123 label of at most 63, so registry.name has at most ${MAX_REGISTRY_NAME_LENGTH}`
      : undefined),
  { ...dnsLabel.json, maxLength: MAX_REGISTRY_NAME_LENGTH },
);

const storage = object(
  {
    type: oneOf(['persistentVolumeClaim', 'hostPath', 'emptyDir', 's3'], 'persistentVolumeClaim'),
    size: string({ default: '10Gi', rule: bytes, description: 'PersistentVolumeClaim size.' }),
    storageClass: optionalString({
      rule: dnsSubdomain,
      description: "PersistentVolumeClaim storage class; unset means the cluster's default class.",
    }),
    hostPath: hostFolderField('/var/lib/internal-registry', 'Directory on the node, for type hostPath.'),
    s3: s3Storage,
  },
  {
    json: {
      allOf: [
        {
          if: { required: ['type'], properties: { type: { const: 's3' } } },
          // An empty `s3:` is no section (synth reads it as left out).
          then: { required: ['s3'], properties: { s3: { type: 'object' } } },
          else: { not: { required: ['s3'], properties: { s3: { type: 'object' } } } },
        },
      ],
    },
  },
);

/** The `registry` section: the Service, its address, its image, storage and scale-out. */
export const registry = object(
  {
    name: string({ default: 'internal-registry', rule: registryName }),
    namespace: string({ default: 'kube-system', rule: dnsLabel }),
    port: integer(1, 65535, 5000),
    clusterIP: string({
      default: '10.110.240.233',
      rule: clusterIp,
      description: 'The pinned ClusterIP; REGISTRY_CLUSTER_IP overrides it.',
    }),
    serviceCIDR: optionalString({
      rule: serviceCidr,
      description: "The cluster's Service CIDR, when known; enables the range checks.",
    }),
    clusterDomain: string({ default: 'cluster.local', rule: dnsSubdomain }),
    aliases: list(
      string({ rule: expecting(dnsSubdomain, 'is not a host name (DNS-1123 subdomain, without port)') }),
      {
        description: 'Extra host names (without port) that nodes accept for the registry.',
      },
    ),
    image: string({
      default: 'registry:2.8.3',
      rule: pinnedImage,
      description: 'registry image with an exact tag.',
    }),
    imageDigest: optionalString({ rule: digest }),
    storage,
    deleteEnabled: boolean(true),
    garbageCollectOnStart: boolean(
      false,
      "Run the registry's garbage collection before it serves, at each start of its pod.",
    ),
    runAsUser: integer(MIN_UID, MAX_UID, 10001),
    resources: resources(
      { cpu: '100m', memory: '128Mi', ephemeralStorage: '64Mi' },
      { cpu: '1', memory: '512Mi', ephemeralStorage: '256Mi' },
      'Per registry container (reader, writer, builder).',
    ),
    replicas: integer(
      1,
      MAX_REGISTRY_REPLICAS,
      1,
      'Read-only registry replicas behind the Service; more than 1 needs storage.type s3.',
    ),
    builderPush,
  },
  {
    json: {
      allOf: [
        {
          if: { required: ['replicas'], properties: { replicas: { type: 'integer', minimum: 2 } } },
          then: {
            required: ['storage'],
            properties: {
              storage: { type: 'object', required: ['type'], properties: { type: { const: 's3' } } },
            },
          },
        },
      ],
    },
  },
);
