import { Construct } from 'constructs';
import type { RegistryConfig } from '../config/types';
import {
  IntOrString,
  KubeConfigMap,
  KubeDeployment,
  KubeNetworkPolicy,
  KubePersistentVolumeClaim,
  KubePodDisruptionBudget,
  KubeService,
  Quantity,
  type Container,
  type DeploymentStrategy,
  type PodSpec,
  type Volume,
} from '../k8s/types';
import { ADDRESS_SOURCE_ANNOTATION, selectorLabels, workloadLabels } from '../k8s/labels';
import { configHash } from '../node-setup/config-hash';
import { CONFIG_HASH_ANNOTATION } from '../node-setup/node-setup';
import { exceptionAnnotations, type PolicyException } from '../k8s/policy-exceptions';
import type { RegistryAddress } from './registry-address';
import { restrictedPodSecurityContext } from '../k8s/security';
import { configKey, HTPASSWD_KEY, renderRegistryConfig } from './registry-config';
import {
  CONFIG_VOLUME,
  garbageCollectContainer,
  HTPASSWD_VOLUME,
  registryContainer,
  TMP_VOLUME,
} from './registry-containers';
import {
  BUILDER_PORT,
  builderPushEnabled,
  isScaleOut,
  READER_PORT,
  registryObjectNames,
  SERVICE_PORT_NAME,
  type RegistryRole,
} from './registry-roles';
import { needsRecreateStrategy, registryDataVolume } from './registry-volume';

export { GARBAGE_COLLECT } from './registry-containers';
/** The port the registry's reader listens on inside its pod; the Service port may differ. */
export const REGISTRY_CONTAINER_PORT = READER_PORT;

export interface InternalRegistryProps {
  /** Validated registry settings. */
  readonly registry: RegistryConfig;
  /** The address the Service is pinned to. */
  readonly address: RegistryAddress;
}

const ROLLING: DeploymentStrategy = {
  type: 'RollingUpdate',
  // A new reader is Ready before an old one goes: the last ready replica is never taken away.
  rollingUpdate: { maxSurge: IntOrString.fromNumber(1), maxUnavailable: IntOrString.fromNumber(0) },
};

/**
 * The registry: a ClusterIP Service on a fixed address in front of read-only readers, and a writer
 * that only `kubectl port-forward` reaches. With one pod (the default) the reader and the writer
 * are two containers on one volume; with `storage.type: s3` the readers are a Deployment of
 * `replicas` pods and the writer a Deployment of its own, with no Service.
 */
export class InternalRegistry extends Construct {
  public readonly service: KubeService;
  public readonly config: KubeConfigMap;
  /** The readers (and, with one pod, the writer too). */
  public readonly deployment: KubeDeployment;
  public readonly writer?: KubeDeployment;
  public readonly claim?: KubePersistentVolumeClaim;
  public readonly disruptionBudget?: KubePodDisruptionBudget;
  public readonly pushService?: KubeService;
  public readonly pushPolicy?: KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: InternalRegistryProps) {
    super(scope, id);
    const { registry, address } = props;
    const names = registryObjectNames(registry.name);
    const scaleOut = isScaleOut(registry);
    const builder = builderPushEnabled(registry);
    const labels = workloadLabels(names.readers, 'registry');
    const metadata = { name: names.readers, namespace: registry.namespace, labels };

    this.service = new KubeService(this, 'Service', {
      metadata: { ...metadata, annotations: { [ADDRESS_SOURCE_ANNOTATION]: address.source } },
      spec: {
        type: 'ClusterIP',
        // Pinned so that the address survives a recreation of the Service: nodes and images use it.
        clusterIp: address.clusterIP,
        selector: selectorLabels(names.readers),
        ports: [
          {
            name: SERVICE_PORT_NAME,
            protocol: 'TCP',
            port: registry.port,
            targetPort: IntOrString.fromNumber(READER_PORT),
          },
        ],
      },
    });

    const roles: RegistryRole[] = ['reader', 'writer', ...(builder ? (['builder'] as const) : [])];
    const configData = Object.fromEntries(
      roles.map((r) => [configKey(r), renderRegistryConfig(registry, r)]),
    );
    this.config = new KubeConfigMap(this, 'Config', {
      metadata: { name: names.config, namespace: registry.namespace, labels },
      data: configData,
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

    const podVolumes = (withHtpasswd: boolean): Volume[] => [
      { name: CONFIG_VOLUME, configMap: { name: names.config } },
      ...[registryDataVolume(registry.storage, names.readers)].filter((v): v is Volume => v !== undefined),
      ...(withHtpasswd
        ? [
            {
              name: HTPASSWD_VOLUME,
              secret: {
                secretName: registry.builderPush.htpasswdSecret,
                items: [{ key: HTPASSWD_KEY, path: HTPASSWD_KEY }],
              },
            },
          ]
        : []),
      { name: TMP_VOLUME, emptyDir: { sizeLimit: Quantity.fromString('64Mi') } },
    ];
    const podSpec = (containers: Container[], collect: boolean, withHtpasswd: boolean): PodSpec => ({
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      // The official image has no USER line and runs as any UID that can write its volume;
      // fsGroup makes the volume writable for that UID.
      securityContext: restrictedPodSecurityContext(registry.runAsUser),
      // Garbage collection runs before the writer serves: with the Recreate strategy no writer
      // accepts a push meanwhile, so collection cannot lose one.
      initContainers: collect ? [garbageCollectContainer(registry)] : undefined,
      containers,
      volumes: podVolumes(withHtpasswd),
    });
    const hash = { [CONFIG_HASH_ANNOTATION]: configHash(configData) };
    const writerContainers = [
      registryContainer(registry, 'writer'),
      ...(builder ? [registryContainer(registry, 'builder')] : []),
    ];

    this.deployment = new KubeDeployment(this, 'Resource', {
      metadata: { ...metadata, annotations: exceptionAnnotations(registryExceptions(registry)) },
      spec: {
        replicas: registry.replicas,
        revisionHistoryLimit: 3,
        strategy: !scaleOut && needsRecreateStrategy(registry.storage) ? { type: 'Recreate' } : ROLLING,
        selector: { matchLabels: selectorLabels(names.readers) },
        template: {
          metadata: { labels, annotations: hash },
          spec: {
            ...podSpec(
              [registryContainer(registry, 'reader'), ...(scaleOut ? [] : writerContainers)],
              !scaleOut && registry.garbageCollectOnStart,
              !scaleOut && builder,
            ),
            ...(scaleOut
              ? {
                  // One reader per node where the nodes allow it; a node's loss takes one reader.
                  topologySpreadConstraints: [
                    {
                      maxSkew: 1,
                      topologyKey: 'kubernetes.io/hostname',
                      whenUnsatisfiable: 'ScheduleAnyway',
                      labelSelector: { matchLabels: selectorLabels(names.readers) },
                    },
                  ],
                }
              : {}),
          },
        },
      },
    });

    if (scaleOut) {
      const writerLabels = workloadLabels(names.writer, 'registry-writer');
      this.writer = new KubeDeployment(this, 'Writer', {
        metadata: { name: names.writer, namespace: registry.namespace, labels: writerLabels },
        spec: {
          replicas: 1,
          revisionHistoryLimit: 3,
          // One process takes uploads at a time: no upload state to share between writers.
          strategy: { type: 'Recreate' },
          selector: { matchLabels: selectorLabels(names.writer) },
          template: {
            metadata: { labels: writerLabels, annotations: hash },
            spec: podSpec(writerContainers, registry.garbageCollectOnStart, builder),
          },
        },
      });
      if (registry.replicas > 1) {
        this.disruptionBudget = new KubePodDisruptionBudget(this, 'DisruptionBudget', {
          metadata,
          spec: {
            maxUnavailable: IntOrString.fromNumber(1),
            selector: { matchLabels: selectorLabels(names.readers) },
          },
        });
      }
    }

    if (builder) {
      const pushPod = selectorLabels(scaleOut ? names.writer : names.readers);
      const pushMetadata = {
        name: names.push,
        namespace: registry.namespace,
        labels: workloadLabels(names.push, 'registry-push'),
      };
      this.pushService = new KubeService(this, 'PushService', {
        metadata: pushMetadata,
        spec: {
          type: 'ClusterIP',
          selector: pushPod,
          ports: [
            {
              name: 'push',
              protocol: 'TCP',
              port: READER_PORT,
              targetPort: IntOrString.fromNumber(BUILDER_PORT),
            },
          ],
        },
      });
      this.pushPolicy = new KubeNetworkPolicy(this, 'PushPolicy', {
        metadata: pushMetadata,
        spec: {
          podSelector: { matchLabels: pushPod },
          policyTypes: ['Ingress'],
          ingress: [
            {
              ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(BUILDER_PORT) }],
              from: [
                {
                  namespaceSelector: {
                    matchExpressions: [
                      {
                        key: 'kubernetes.io/metadata.name',
                        operator: 'In',
                        values: [...registry.builderPush.namespaces],
                      },
                    ],
                  },
                },
              ],
            },
            // The policy isolates the pod it selects: with one pod, pulls must still reach the reader.
            ...(scaleOut
              ? []
              : [{ ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(READER_PORT) }] }]),
          ],
        },
      });
    }
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
