import type { RegistryConfig } from '../config/types';
import { pullPolicyFor, withDigest } from '../k8s/image-reference';
import { IntOrString, type Container, type EnvVar, type Probe, type VolumeMount } from '../k8s/types';
import { resourceRequirements } from '../k8s/resources';
import { restrictedContainerSecurityContext } from '../k8s/security';
import {
  CONFIG_FILE,
  configKey,
  DATA_DIR,
  HTPASSWD_DIR,
  S3_CREDENTIAL_ENV,
  S3_SECRET_KEYS,
} from './registry-config';
import { BUILDER_PORT, READER_PORT, WRITER_PORT, type RegistryRole } from './registry-roles';
import { DATA_VOLUME } from './registry-volume';

export const CONFIG_VOLUME = 'config';
export const HTPASSWD_VOLUME = 'htpasswd';
export const TMP_VOLUME = 'tmp';

/** The registry's own collector; untagged manifests are kept (they may be pulled by digest). */
export const GARBAGE_COLLECT = ['/bin/registry', 'garbage-collect', CONFIG_FILE];

/** Container names; the reader keeps the name the single-container pod had. */
export const CONTAINER_NAME: Readonly<Record<RegistryRole, string>> = {
  reader: 'registry',
  writer: 'writer',
  builder: 'builder',
};

function httpProbe(initialDelaySeconds: number, failureThreshold: number): Probe {
  return {
    httpGet: { path: '/v2/', port: IntOrString.fromNumber(READER_PORT), scheme: 'HTTP' },
    initialDelaySeconds,
    periodSeconds: 10,
    timeoutSeconds: 3,
    failureThreshold,
  };
}

/** The writer listens on 127.0.0.1, where the kubelet's HTTP probe cannot reach: ask from inside. */
function writerProbe(initialDelaySeconds: number, failureThreshold: number): Probe {
  return {
    // busybox wget of the registry:2 image (Alpine)
    exec: { command: ['wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${WRITER_PORT}/v2/`] },
    initialDelaySeconds,
    periodSeconds: 10,
    timeoutSeconds: 3,
    failureThreshold,
  };
}

/** The builder asks for credentials on /v2/ (401), which an HTTP probe counts as a failure. */
function builderProbe(initialDelaySeconds: number, failureThreshold: number): Probe {
  return {
    tcpSocket: { port: IntOrString.fromNumber(BUILDER_PORT) },
    initialDelaySeconds,
    periodSeconds: 10,
    timeoutSeconds: 3,
    failureThreshold,
  };
}

const PROBES: Record<RegistryRole, (delay: number, failures: number) => Probe> = {
  reader: httpProbe,
  writer: writerProbe,
  builder: builderProbe,
};

/** S3 credentials from the user's Secret: the values never appear in the output. */
export function registryEnv(registry: RegistryConfig): EnvVar[] | undefined {
  const s3 = registry.storage.s3;
  if (!s3) return undefined;
  return (['accessKey', 'secretKey'] as const).map((key) => ({
    name: S3_CREDENTIAL_ENV[key],
    valueFrom: { secretKeyRef: { name: s3.credentialsSecret, key: S3_SECRET_KEYS[key] } },
  }));
}

/** One registry process as a container of the registry image; pure. */
export function registryContainer(registry: RegistryConfig, role: RegistryRole): Container {
  const image = withDigest(registry.image, registry.imageDigest);
  const mounts: VolumeMount[] = [
    { name: CONFIG_VOLUME, mountPath: CONFIG_FILE, subPath: configKey(role), readOnly: true },
  ];
  if (registry.storage.type !== 's3') {
    // The reader cannot change the data even if its read-only mode failed.
    mounts.push({ name: DATA_VOLUME, mountPath: DATA_DIR, ...(role === 'reader' ? { readOnly: true } : {}) });
  }
  if (role === 'builder') mounts.push({ name: HTPASSWD_VOLUME, mountPath: HTPASSWD_DIR, readOnly: true });
  mounts.push({ name: TMP_VOLUME, mountPath: '/tmp' });
  const port =
    role === 'reader'
      ? [{ name: 'registry', containerPort: READER_PORT, protocol: 'TCP' }]
      : role === 'builder'
        ? [{ name: 'push', containerPort: BUILDER_PORT, protocol: 'TCP' }]
        : undefined;
  return {
    name: CONTAINER_NAME[role],
    image,
    imagePullPolicy: pullPolicyFor(image),
    command: ['/bin/registry', 'serve', CONFIG_FILE],
    ports: port,
    env: registryEnv(registry),
    readinessProbe: PROBES[role](1, 3),
    livenessProbe: PROBES[role](15, 6),
    resources: resourceRequirements(registry.resources),
    securityContext: restrictedContainerSecurityContext(true),
    volumeMounts: mounts,
  };
}

/** The garbage collection that runs before the writer serves: the writer's config and mounts. */
export function garbageCollectContainer(registry: RegistryConfig): Container {
  return {
    ...registryContainer(registry, 'writer'),
    name: 'garbage-collect',
    command: [...GARBAGE_COLLECT],
    readinessProbe: undefined,
    livenessProbe: undefined,
  };
}
