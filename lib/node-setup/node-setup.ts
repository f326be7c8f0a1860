import { Construct } from 'constructs';
import type { NodeSetupConfig, RegistryConfig, ResourcesConfig } from '../config/types';
import {
  IntOrString,
  KubeConfigMap,
  KubeDaemonSet,
  Quantity,
  type EnvVar,
  type VolumeMount,
  type Volume,
} from '../k8s/types';
import { ADDRESS_SOURCE_ANNOTATION, selectorLabels, workloadLabels } from '../k8s/labels';
import type { RegistryAddress } from '../registry/registry-address';
import { exceptionAnnotations, type PolicyException } from '../k8s/policy-exceptions';
import { resourceRequirements } from '../k8s/resources';
import { restrictedContainerSecurityContext } from '../k8s/security';
import { configHash } from './config-hash';
import {
  AGENT_DIR,
  AGENT_ENV,
  AGENT_KEY,
  CONTAINERD_DIR,
  HOST_ROOT,
  IN_HOST_MOUNT_NS,
  nodeSetupName,
  READY_FILE,
  STATUS_DIR,
} from './contract';
import { NODE_SETUP_PULL_POLICY, nodeSetupImages } from './node-images';
import { renderNodeSetupFiles } from './node-plan';

export { AGENT_KEY } from './contract';
export const CONFIG_HASH_ANNOTATION = 'internal-registry.dev/config-hash';

const AGENT_RESOURCES: ResourcesConfig = {
  requests: { cpu: '10m', memory: '32Mi', ephemeralStorage: '16Mi' },
  limits: { cpu: '200m', memory: '128Mi', ephemeralStorage: '64Mi' },
};
const READY_RESOURCES: ResourcesConfig = {
  requests: { cpu: '1m', memory: '4Mi', ephemeralStorage: '1Mi' },
  limits: { cpu: '10m', memory: '16Mi', ephemeralStorage: '8Mi' },
};

/** Why the node agent needs what no other workload here gets; the README says the same. */
export const NODE_AGENT_EXCEPTIONS: readonly PolicyException[] = [
  {
    kubeLinter: 'privileged-container',
    polaris: 'runAsPrivileged',
    reason:
      'the agent restarts containerd and runs `containerd config dump` in the host namespaces of PID 1 (nsenter), which takes full privileges',
  },
  {
    kubeLinter: 'privilege-escalation-container',
    polaris: 'privilegeEscalationAllowed',
    reason:
      'a privileged container cannot set allowPrivilegeEscalation: false (the API server refuses the pair)',
  },
  {
    kubeLinter: 'host-pid',
    polaris: 'hostPIDSet',
    reason:
      "to read the running containerd's --config from /proc and to enter PID 1's namespaces for the restart",
  },
  {
    kubeLinter: 'run-as-non-root',
    polaris: 'runAsRootAllowed',
    reason: 'the node files it edits (/etc/containerd) are root-owned, and nsenter into PID 1 needs UID 0',
  },
  {
    kubeLinter: 'sensitive-host-mounts',
    reason: "only /etc/containerd (and nodeSetup.hostsDir): the files that configure the node's containerd",
  },
  {
    kubeLinter: 'writable-host-mount',
    reason: "the agent writes containerd's hosts files and config.toml there, atomically, with a backup",
  },
  {
    kubeScore: 'container-image-pull-policy',
    checkov: 'CKV_K8S_15',
    reason:
      'IfNotPresent for exact version tags: a node that restarts while Docker Hub (or the mirror) is unreachable must still start its node-setup pod',
  },
  {
    kubeLinter: 'no-liveness-probe',
    polaris: 'livenessProbeMissing',
    reason:
      'the long-running container only sleeps; its readiness probe reports the node, and a restart would prove nothing',
  },
];

export interface NodeSetupProps {
  readonly registry: RegistryConfig;
  readonly nodeSetup: NodeSetupConfig;
  readonly address: RegistryAddress;
  /** The bundled node agent. */
  readonly agentScript: string;
}

/** The ConfigMap with the rendered node files and the agent, and the DaemonSet that runs it on every node. */
export class NodeSetup extends Construct {
  public readonly configMap: KubeConfigMap;
  public readonly daemonSet: KubeDaemonSet;

  constructor(scope: Construct, id: string, props: NodeSetupProps) {
    super(scope, id);
    const { registry, nodeSetup, address } = props;
    const name = nodeSetupName(registry.name);
    const labels = workloadLabels(name, 'node-setup');
    const data = { ...renderNodeSetupFiles(nodeSetup, address), [AGENT_KEY]: props.agentScript };
    const metadata = { name, namespace: registry.namespace, labels };

    this.configMap = new KubeConfigMap(this, 'Files', {
      metadata: { ...metadata, annotations: { [ADDRESS_SOURCE_ANNOTATION]: address.source } },
      data,
    });

    const mounted = mountedHostPaths(nodeSetup);
    const images = nodeSetupImages(nodeSetup);
    const hostVolumes: Volume[] = mounted.map((path, i) => ({
      name: `host-${i}`,
      // /etc/containerd may not exist yet on a node that runs on containerd's defaults.
      hostPath: { path, type: 'DirectoryOrCreate' },
    }));
    const hostMounts: VolumeMount[] = mounted.map((path, i) => ({
      name: `host-${i}`,
      mountPath: `${HOST_ROOT}${path}`,
    }));
    const env: EnvVar[] = [
      { name: AGENT_ENV.mode, value: 'apply' },
      { name: AGENT_ENV.planDir, value: AGENT_DIR },
      { name: AGENT_ENV.hostRoot, value: HOST_ROOT },
      { name: AGENT_ENV.mountedHostPaths, value: mounted.join(':') },
      { name: AGENT_ENV.statusDir, value: STATUS_DIR },
      { name: AGENT_ENV.restartCommand, value: nodeSetup.restartCommand },
      { name: AGENT_ENV.containerdCommand, value: `${IN_HOST_MOUNT_NS} containerd` },
      { name: AGENT_ENV.ctrCommand, value: `${IN_HOST_MOUNT_NS} ctr` },
    ];
    this.daemonSet = new KubeDaemonSet(this, 'Resource', {
      metadata: { ...metadata, annotations: exceptionAnnotations(NODE_AGENT_EXCEPTIONS) },
      spec: {
        selector: { matchLabels: selectorLabels(name) },
        updateStrategy: {
          type: 'RollingUpdate',
          rollingUpdate: {
            maxUnavailable:
              typeof nodeSetup.maxUnavailable === 'number'
                ? IntOrString.fromNumber(nodeSetup.maxUnavailable)
                : IntOrString.fromString(nodeSetup.maxUnavailable),
          },
        },
        template: {
          metadata: { labels, annotations: { [CONFIG_HASH_ANNOTATION]: configHash(data) } },
          spec: {
            // hostPID: to see which config the node's containerd reads and to restart it through PID 1.
            hostPid: true,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            priorityClassName: 'system-node-critical',
            tolerations: [{ operator: 'Exists' }],
            terminationGracePeriodSeconds: 5,
            initContainers: [
              {
                name: 'configure',
                image: images.agent,
                imagePullPolicy: NODE_SETUP_PULL_POLICY,
                command: ['node', `${AGENT_DIR}/${AGENT_KEY}`],
                env,
                // nsenter into PID 1's namespaces (restart, config dump) needs full privileges.
                securityContext: { privileged: true, runAsUser: 0, readOnlyRootFilesystem: true },
                resources: resourceRequirements(AGENT_RESOURCES),
                terminationMessagePolicy: 'FallbackToLogsOnError',
                volumeMounts: [
                  { name: 'agent', mountPath: AGENT_DIR, readOnly: true },
                  { name: 'status', mountPath: STATUS_DIR },
                  ...hostMounts,
                ],
              },
            ],
            containers: [
              {
                name: 'ready',
                image: images.pause,
                imagePullPolicy: NODE_SETUP_PULL_POLICY,
                command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 3600 & wait $!; done'],
                readinessProbe: {
                  exec: { command: ['cat', `${STATUS_DIR}/${READY_FILE}`] },
                  periodSeconds: 30,
                },
                resources: resourceRequirements(READY_RESOURCES),
                securityContext: {
                  ...restrictedContainerSecurityContext(true),
                  runAsUser: 65534,
                  runAsGroup: 65534,
                },
                volumeMounts: [{ name: 'status', mountPath: STATUS_DIR, readOnly: true }],
              },
            ],
            volumes: [
              { name: 'agent', configMap: { name, defaultMode: 0o444 } },
              { name: 'status', emptyDir: { sizeLimit: Quantity.fromString('1Mi') } },
              ...hostVolumes,
            ],
          },
        },
      },
    });
  }
}

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}

/** /etc/containerd, the hosts dir and nodeSetup.extraHostPaths, each once and none inside another. */
export function mountedHostPaths(nodeSetup: NodeSetupConfig): string[] {
  const mounted: string[] = [];
  for (const path of [CONTAINERD_DIR, nodeSetup.hostsDir, ...nodeSetup.extraHostPaths]) {
    if (!mounted.some((m) => isInside(path, m))) mounted.push(path);
  }
  return mounted.filter((path) => !mounted.some((m) => m !== path && isInside(path, m)));
}
