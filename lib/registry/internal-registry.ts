import { Construct } from 'constructs';
import type { RegistryConfig } from '../config/types';
import { pullPolicyFor, withDigest } from '../image-reference';
import {
  IntOrString,
  KubeDeployment,
  KubePersistentVolumeClaim,
  KubeService,
  Quantity,
  type Container,
  type Probe,
} from '../k8s';
import { ADDRESS_SOURCE_ANNOTATION, selectorLabels, workloadLabels } from '../labels';
import { exceptionAnnotations, type PolicyException } from '../policy-exceptions';
import type { RegistryAddress } from '../registry-address';
import { resourceRequirements } from '../resources';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../security';
import { DATA_VOLUME, needsRecreateStrategy, registryDataVolume } from './registry-volume';

/** The port the registry process listens on inside its pod; the Service port may differ. */
export const REGISTRY_CONTAINER_PORT = 5000;
const DATA_DIR = '/var/lib/registry';
const CONFIG_FILE = '/etc/docker/registry/config.yml';
/** The registry's own collector; untagged manifests are kept (they may be pulled by digest). */
export const GARBAGE_COLLECT = ['/bin/registry', 'garbage-collect', CONFIG_FILE];

export interface InternalRegistryProps {
  /** Validated registry settings. */
  readonly registry: RegistryConfig;
  /** The address the Service is pinned to. */
  readonly address: RegistryAddress;
}

/** The registry: a ClusterIP Service on a fixed address, its storage and its Deployment. */
export class InternalRegistry extends Construct {
  public readonly service: KubeService;
  public readonly deployment: KubeDeployment;
  public readonly claim?: KubePersistentVolumeClaim;

  constructor(scope: Construct, id: string, props: InternalRegistryProps) {
    super(scope, id);
    const { registry, address } = props;
    const labels = workloadLabels(registry.name, 'registry');
    const metadata = { name: registry.name, namespace: registry.namespace, labels };

    this.service = new KubeService(this, 'Service', {
      metadata: { ...metadata, annotations: { [ADDRESS_SOURCE_ANNOTATION]: address.source } },
      spec: {
        type: 'ClusterIP',
        // Pinned so that the address survives a recreation of the Service: nodes and images use it.
        clusterIp: address.clusterIP,
        selector: selectorLabels(registry.name),
        ports: [
          {
            name: 'registry',
            protocol: 'TCP',
            port: registry.port,
            targetPort: IntOrString.fromNumber(REGISTRY_CONTAINER_PORT),
          },
        ],
      },
    });

    if (registry.storage.type === 'persistentVolumeClaim') {
      this.claim = new KubePersistentVolumeClaim(this, 'Storage', {
        metadata,
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: registry.storage.storageClass,
          resources: { requests: { storage: Quantity.fromString(registry.storage.size) } },
        },
      });
    }

    const image = withDigest(registry.image, registry.imageDigest);
    const registryContainer: Container = {
      name: 'registry',
      image,
      imagePullPolicy: pullPolicyFor(image),
      command: ['/bin/registry', 'serve', CONFIG_FILE],
      ports: [{ name: 'registry', containerPort: REGISTRY_CONTAINER_PORT, protocol: 'TCP' }],
      env: [
        { name: 'REGISTRY_HTTP_ADDR', value: `:${REGISTRY_CONTAINER_PORT}` },
        { name: 'REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY', value: DATA_DIR },
        { name: 'REGISTRY_STORAGE_DELETE_ENABLED', value: String(registry.deleteEnabled) },
      ],
      readinessProbe: registryProbe(1, 3),
      livenessProbe: registryProbe(15, 6),
      resources: resourceRequirements(registry.resources),
      securityContext: restrictedContainerSecurityContext(true),
      volumeMounts: [
        { name: DATA_VOLUME, mountPath: DATA_DIR },
        { name: 'tmp', mountPath: '/tmp' },
      ],
    };

    this.deployment = new KubeDeployment(this, 'Resource', {
      metadata: { ...metadata, annotations: exceptionAnnotations(registryExceptions(registry)) },
      spec: {
        replicas: 1,
        revisionHistoryLimit: 3,
        strategy: needsRecreateStrategy(registry.storage)
          ? { type: 'Recreate' }
          : {
              type: 'RollingUpdate',
              rollingUpdate: {
                maxSurge: IntOrString.fromNumber(1),
                maxUnavailable: IntOrString.fromNumber(0),
              },
            },
        selector: { matchLabels: selectorLabels(registry.name) },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            // The official image has no USER line and runs as any UID that can write its volume;
            // fsGroup makes the volume writable for that UID.
            securityContext: restrictedPodSecurityContext(registry.runAsUser),
            // Garbage collection runs before the registry serves: with the Recreate strategy no
            // registry accepts a push meanwhile, so collection cannot lose one.
            initContainers: registry.garbageCollectOnStart
              ? [
                  {
                    ...registryContainer,
                    name: 'garbage-collect',
                    command: [...GARBAGE_COLLECT],
                    ports: undefined,
                    readinessProbe: undefined,
                    livenessProbe: undefined,
                  },
                ]
              : undefined,
            containers: [registryContainer],
            volumes: [
              registryDataVolume(registry.storage, registry.name),
              { name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('64Mi') } },
            ],
          },
        },
      },
    });
  }
}

/** What the registry's config chose that the policy tools flag, with the config key that chose it. */
export function registryExceptions(registry: RegistryConfig): PolicyException[] {
  if (registry.storage.type !== 'hostPath') return [];
  return [
    {
      kubeLinter: 'writable-host-mount',
      reason: `registry.storage.type is hostPath in the config: images are kept in ${registry.storage.hostPath} on the node`,
    },
  ];
}

function registryProbe(initialDelaySeconds: number, failureThreshold: number): Probe {
  return {
    httpGet: { path: '/v2/', port: IntOrString.fromNumber(REGISTRY_CONTAINER_PORT), scheme: 'HTTP' },
    initialDelaySeconds,
    periodSeconds: 10,
    timeoutSeconds: 3,
    failureThreshold,
  };
}
