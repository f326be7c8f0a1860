import type { PodSecurityLevel } from '../config/types';

/** Pod Security level of a registry namespace that synth creates: the node agent is privileged. */
export const REGISTRY_NAMESPACE_POD_SECURITY: PodSecurityLevel = 'privileged';

/* eslint-disable @typescript-eslint/no-explicit-any -- pod specs are read as loosely typed manifest data */

// Pod Security Standards as of Kubernetes 1.28 (https://kubernetes.io/docs/concepts/security/pod-security-standards/).
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/** Where the pod spec of a workload lies, by kind. */
export function podSpecPath(kind: string): string[] | undefined {
  if (kind === 'Pod') return ['spec'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  if (
    ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController'].includes(kind)
  ) {
    return ['spec', 'template', 'spec'];
  }
  return undefined;
}

/**
 * The fields of a pod spec that fall short of a Pod Security level, each as `path: what is needed`,
 * with paths relative to `prefix`. Empty when the pod meets the level.
 */
export function podSecurityViolations(pod: any, level: PodSecurityLevel, prefix = 'spec'): string[] {
  if (level === 'privileged' || !pod) return [];
  const problems: string[] = [];
  const at = (path: string, need: string) => problems.push(`${prefix}.${path} ${need}`);
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (pod[field]) at(field, 'must be false');
  }
  (pod.volumes ?? []).forEach((volume: any, i: number) => {
    const type = Object.keys(volume).find((k) => k !== 'name');
    if (type === 'hostPath') at(`volumes[${i}].hostPath`, 'is not allowed');
    else if (level === 'restricted' && type && !RESTRICTED_VOLUMES.has(type))
      at(`volumes[${i}].${type}`, 'is not allowed');
  });
  if (pod.securityContext?.seccompProfile?.type === 'Unconfined') {
    at('securityContext.seccompProfile.type', 'must not be Unconfined');
  }
  const groups = ['initContainers', 'containers', 'ephemeralContainers'] as const;
  for (const group of groups) {
    (pod[group] ?? []).forEach((c: any, i: number) => {
      const path = `${group}[${i}]`;
      const sc = c.securityContext ?? {};
      if (sc.privileged) at(`${path}.securityContext.privileged`, 'must be false');
      (c.ports ?? []).forEach(
        (p: any, j: number) => p.hostPort && at(`${path}.ports[${j}].hostPort`, 'must be unset'),
      );
      if (sc.seccompProfile?.type === 'Unconfined')
        at(`${path}.securityContext.seccompProfile.type`, 'must not be Unconfined');
      const added: string[] = sc.capabilities?.add ?? [];
      if (level === 'baseline') {
        added
          .filter((cap) => !BASELINE_CAPABILITIES.has(cap))
          .forEach((cap) => at(`${path}.securityContext.capabilities.add`, `must not add ${cap}`));
        return;
      }
      added
        .filter((cap) => cap !== 'NET_BIND_SERVICE')
        .forEach((cap) => at(`${path}.securityContext.capabilities.add`, `must not add ${cap}`));
      if (sc.allowPrivilegeEscalation !== false)
        at(`${path}.securityContext.allowPrivilegeEscalation`, 'must be false');
      if (!(sc.capabilities?.drop ?? []).includes('ALL'))
        at(`${path}.securityContext.capabilities.drop`, 'must include ALL');
      if (
        sc.runAsNonRoot !== true &&
        !(pod.securityContext?.runAsNonRoot === true && sc.runAsNonRoot !== false)
      ) {
        at(`${path}.securityContext.runAsNonRoot`, 'must be true (here or in the pod securityContext)');
      }
      if ((sc.runAsUser ?? pod.securityContext?.runAsUser) === 0)
        at(`${path}.securityContext.runAsUser`, 'must not be 0');
      const seccomp = sc.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
        at(
          `${path}.securityContext.seccompProfile.type`,
          'must be RuntimeDefault or Localhost (here or in the pod securityContext)',
        );
      }
    });
  }
  return problems;
}
