import { Construct } from 'constructs';
import { pullPolicyFor } from '../k8s/image-reference';
import { KubeJob } from '../k8s/types';
import { exceptionAnnotations, type PolicyException } from '../k8s/policy-exceptions';
import { workloadLabels } from '../k8s/labels';
import { resourceRequirements } from '../k8s/resources';
import type { RegistryAddress } from '../registry/registry-address';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../k8s/security';

const SMOKE_TEST_EXCEPTIONS: readonly PolicyException[] = [
  {
    kubeLinter: 'no-liveness-probe',
    polaris: 'livenessProbeMissing',
    reason: 'a Job that fetches one URL once and exits; a probe would not change its outcome',
  },
  {
    kubeLinter: 'no-readiness-probe',
    polaris: 'readinessProbeMissing',
    reason: 'a Job that no Service routes to; nothing waits for it to be ready',
  },
];

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
          ...exceptionAnnotations(SMOKE_TEST_EXCEPTIONS),
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
                imagePullPolicy: pullPolicyFor(props.image),
                command: [
                  'sh',
                  '-c',
                  `wget -q -T 10 -O- ${url} && echo "registry answers at ${url}" || ` +
                    `{ echo "FAILED: the registry does not answer at ${url}" >&2; exit 1; }`,
                ],
                resources: resourceRequirements({
                  requests: { cpu: '10m', memory: '16Mi', ephemeralStorage: '1Mi' },
                  limits: { cpu: '100m', memory: '32Mi', ephemeralStorage: '8Mi' },
                }),
                securityContext: restrictedContainerSecurityContext(true),
              },
            ],
          },
        },
      },
    });
  }
}
