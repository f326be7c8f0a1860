import { podSecurityViolations, podSpecPath } from '../lib/k8s/pod-security';
import { allObjects, configOf, find, synthCharts } from './support/synth';

const objects = allObjects(
  synthCharts(
    configOf({
      apps: [
        { name: 'a', probe: { type: 'http' } },
        { name: 'b', readOnlyRootFilesystem: false },
      ],
    }),
  ),
);
const podOf = (kind: string, name: string) => find(objects, kind, name).spec.template.spec;

describe('Pod Security Standards', () => {
  test('the generated app and registry pods meet restricted', () => {
    for (const name of ['a', 'b'])
      expect(podSecurityViolations(podOf('Deployment', name), 'restricted')).toEqual([]);
    expect(podSecurityViolations(podOf('Deployment', 'internal-registry'), 'restricted')).toEqual([]);
  });

  test('the node-setup DaemonSet needs privileged, and says why field by field', () => {
    expect(podSecurityViolations(podOf('DaemonSet', 'internal-registry-node-setup'), 'baseline')).toEqual([
      'spec.hostPID must be false',
      'spec.volumes[2].hostPath is not allowed',
      'spec.initContainers[0].securityContext.privileged must be false',
    ]);
  });

  test('a pod without securityContext (the seed’s) meets baseline but not restricted', () => {
    const pod = { containers: [{ name: 'app', image: 'x' }] };
    expect(podSecurityViolations(pod, 'baseline')).toEqual([]);
    expect(podSecurityViolations(pod, 'restricted')).toEqual([
      'spec.containers[0].securityContext.allowPrivilegeEscalation must be false',
      'spec.containers[0].securityContext.capabilities.drop must include ALL',
      'spec.containers[0].securityContext.runAsNonRoot must be true (here or in the pod securityContext)',
      'spec.containers[0].securityContext.seccompProfile.type must be RuntimeDefault or Localhost (here or in the pod securityContext)',
    ]);
  });

  test('baseline refuses host namespaces, hostPort, Unconfined seccomp and capabilities outside its list', () => {
    const pod = {
      hostNetwork: true,
      containers: [
        {
          name: 'c',
          ports: [{ containerPort: 80, hostPort: 80 }],
          securityContext: {
            seccompProfile: { type: 'Unconfined' },
            capabilities: { add: ['NET_ADMIN', 'CHOWN'] },
          },
        },
      ],
    };
    expect(podSecurityViolations(pod, 'baseline')).toEqual([
      'spec.hostNetwork must be false',
      'spec.containers[0].ports[0].hostPort must be unset',
      'spec.containers[0].securityContext.seccompProfile.type must not be Unconfined',
      'spec.containers[0].securityContext.capabilities.add must not add NET_ADMIN',
    ]);
    expect(podSecurityViolations(pod, 'privileged')).toEqual([]);
  });

  test('knows where each workload kind keeps its pod', () => {
    expect(podSpecPath('CronJob')).toEqual(['spec', 'jobTemplate', 'spec', 'template', 'spec']);
    expect(podSpecPath('Deployment')).toEqual(['spec', 'template', 'spec']);
    expect(podSpecPath('ConfigMap')).toBeUndefined();
  });
});
