import { Construct } from 'constructs';
import type { NodeSetupConfig, RegistryConfig } from '../config/types';
import {
  IntOrString,
  KubeConfigMap,
  KubeDaemonSet,
  Quantity,
  type EnvVar,
  type VolumeMount,
  type Volume,
} from '../k8s';
import { ADDRESS_SOURCE_ANNOTATION, selectorLabels, workloadLabels } from '../labels';
import type { RegistryAddress } from '../registry-address';
import { restrictedContainerSecurityContext } from '../security';
import { configHash } from './config-hash';
import { renderNodeSetupFiles } from './node-plan';

export const AGENT_KEY = 'agent.js';
export const CONFIG_HASH_ANNOTATION = 'internal-registry.dev/config-hash';
const CONTAINERD_DIR = '/etc/containerd';
const HOST_ROOT = '/host';
const STATUS_DIR = '/status';

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
    const name = `${registry.name}-node-setup`;
    const labels = workloadLabels(name, 'node-setup');
    const data = { ...renderNodeSetupFiles(nodeSetup, address), [AGENT_KEY]: props.agentScript };
    const metadata = { name, namespace: registry.namespace, labels };

    this.configMap = new KubeConfigMap(this, 'Files', {
      metadata: { ...metadata, annotations: { [ADDRESS_SOURCE_ANNOTATION]: address.source } },
      data,
    });

    const mounted = [
      CONTAINERD_DIR,
      ...(isInside(nodeSetup.hostsDir, CONTAINERD_DIR) ? [] : [nodeSetup.hostsDir]),
    ];
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
      { name: 'AGENT_MODE', value: 'apply' },
      { name: 'AGENT_PLAN_DIR', value: '/agent' },
      { name: 'HOST_ROOT', value: HOST_ROOT },
      { name: 'MOUNTED_HOST_PATHS', value: mounted.join(':') },
      { name: 'STATUS_DIR', value: STATUS_DIR },
      { name: 'RESTART_COMMAND', value: nodeSetup.restartCommand },
      { name: 'CONTAINERD_COMMAND', value: 'nsenter -t 1 -m -- containerd' },
      { name: 'CTR_COMMAND', value: 'nsenter -t 1 -m -- ctr' },
    ];
    const tiny = {
      requests: { cpu: Quantity.fromString('10m'), memory: Quantity.fromString('32Mi') },
      limits: { cpu: Quantity.fromString('200m'), memory: Quantity.fromString('128Mi') },
    };

    this.daemonSet = new KubeDaemonSet(this, 'Resource', {
      metadata,
      spec: {
        selector: { matchLabels: selectorLabels(name) },
        updateStrategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: IntOrString.fromNumber(nodeSetup.maxUnavailable) },
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
                image: nodeSetup.agentImage,
                imagePullPolicy: 'IfNotPresent',
                command: ['node', `/agent/${AGENT_KEY}`],
                env,
                // nsenter into PID 1's namespaces (restart, config dump) needs full privileges.
                securityContext: { privileged: true, runAsUser: 0, readOnlyRootFilesystem: true },
                resources: tiny,
                terminationMessagePolicy: 'FallbackToLogsOnError',
                volumeMounts: [
                  { name: 'agent', mountPath: '/agent', readOnly: true },
                  { name: 'status', mountPath: STATUS_DIR },
                  ...hostMounts,
                ],
              },
            ],
            containers: [
              {
                name: 'ready',
                image: nodeSetup.pauseImage,
                imagePullPolicy: 'IfNotPresent',
                command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 3600 & wait $!; done'],
                readinessProbe: {
                  exec: { command: ['cat', `${STATUS_DIR}/configured`] },
                  periodSeconds: 30,
                },
                resources: {
                  requests: { cpu: Quantity.fromString('1m'), memory: Quantity.fromString('4Mi') },
                  limits: { cpu: Quantity.fromString('10m'), memory: Quantity.fromString('16Mi') },
                },
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
