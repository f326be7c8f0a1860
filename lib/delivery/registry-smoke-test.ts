import { Construct } from 'constructs';
import { KubeJob, Quantity } from '../k8s';
import { workloadLabels } from '../labels';
import type { RegistryAddress } from '../registry-address';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../security';

export interface RegistrySmokeTestProps {
  readonly address: RegistryAddress;
  /** Namespace of the Job (the registry's). */
  readonly namespace: string;
  /** A pinned image with `wget`. */
  readonly image: string;
}

/**
 * The seed's verification step as a Job: a pod fetches /v2/ from the registry by its service name
 * and fails loudly if it cannot. An Argo CD PostSync hook, recreated at every sync.
 */
export class RegistrySmokeTest extends Construct {
  public readonly job: KubeJob;

  constructor(scope: Construct, id: string, props: RegistrySmokeTestProps) {
    super(scope, id);
    const url = `http://${props.address.serviceHost}/v2/`;
    const labels = workloadLabels('internal-registry-smoke-test', 'smoke-test');
    this.job = new KubeJob(this, 'Resource', {
      metadata: {
        name: 'internal-registry-smoke-test',
        namespace: props.namespace,
        labels,
        annotations: {
          'argocd.argoproj.io/hook': 'PostSync',
          'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
        },
      },
      spec: {
        backoffLimit: 3,
        activeDeadlineSeconds: 300,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(65534),
            containers: [
              {
                name: 'fetch-v2',
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                command: [
                  'sh',
                  '-c',
                  `wget -q -T 10 -O- ${url} && echo "registry answers at ${url}" || ` +
                    `{ echo "FAILED: the registry does not answer at ${url}" >&2; exit 1; }`,
                ],
                resources: {
                  requests: { cpu: Quantity.fromString('10m'), memory: Quantity.fromString('16Mi') },
                  limits: { cpu: Quantity.fromString('100m'), memory: Quantity.fromString('32Mi') },
                },
                securityContext: restrictedContainerSecurityContext(true),
              },
            ],
          },
        },
      },
    });
  }
}
