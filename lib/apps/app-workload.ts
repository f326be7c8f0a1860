import { Construct } from 'constructs';
import type { AppConfig } from '../config/types';
import {
  IntOrString,
  KubeDeployment,
  Quantity,
  type Probe,
  type Volume,
  type VolumeMount,
} from '../k8s/types';
import { ADDRESS_SOURCE_ANNOTATION, selectorLabels, workloadLabels } from '../k8s/labels';
import { pullPolicyFor } from '../k8s/image-reference';
import { exceptionAnnotations, type PolicyException } from '../k8s/policy-exceptions';
import { appImageReference, type RegistryAddress } from '../registry/registry-address';
import { resourceRequirements } from '../k8s/resources';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../k8s/security';

export interface AppWorkloadProps {
  readonly app: AppConfig;
  /** The registry the app's image is pulled from. */
  readonly address: RegistryAddress;
}

/** One app's Deployment, its image resolved against the registry address. */
export class AppWorkload extends Construct {
  public readonly deployment: KubeDeployment;
  /** The image reference the pods pull. */
  public readonly image: string;

  constructor(scope: Construct, id: string, props: AppWorkloadProps) {
    super(scope, id);
    const { app, address } = props;
    this.image = appImageReference(app, address);
    const labels = workloadLabels(app.name, 'app');
    // A writable /tmp is the one place most apps need when the root filesystem is read-only.
    const scratch: { volumes: Volume[]; mounts: VolumeMount[] } = app.readOnlyRootFilesystem
      ? {
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('64Mi') } }],
          mounts: [{ name: 'tmp', mountPath: '/tmp' }],
        }
      : { volumes: [], mounts: [] };

    this.deployment = new KubeDeployment(this, 'Resource', {
      metadata: {
        name: app.name,
        namespace: app.namespace,
        labels,
        annotations: {
          [ADDRESS_SOURCE_ANNOTATION]: address.source,
          ...exceptionAnnotations(appExceptions(app)),
        },
      },
      spec: {
        replicas: app.replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selectorLabels(app.name) },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(app.runAsUser),
            containers: [
              {
                // The seed's `kubectl set image deployment/easy-kanban easy-kanban=...` names this container.
                name: app.name,
                image: this.image,
                imagePullPolicy: pullPolicyFor(this.image),
                ports: [{ name: 'http', containerPort: app.port, protocol: 'TCP' }],
                readinessProbe: appProbe(app, 2, 3),
                livenessProbe: appProbe(app, 15, 6),
                resources: resourceRequirements(app.resources),
                securityContext: restrictedContainerSecurityContext(app.readOnlyRootFilesystem),
                volumeMounts: scratch.mounts,
              },
            ],
            volumes: scratch.volumes,
          },
        },
      },
    });
  }
}

/** What an app's config chose that the policy tools flag, with the config key that chose it. */
export function appExceptions(app: AppConfig): PolicyException[] {
  const exceptions: PolicyException[] = [];
  if (!app.digest && app.tag === 'latest') {
    exceptions.push({
      kubeLinter: 'latest-tag',
      polaris: 'tagNotSpecified',
      reason: "the app's tag is the user's choice (apps[].tag); pin it with apps[].digest",
    });
  }
  if (!app.readOnlyRootFilesystem) {
    exceptions.push({
      kubeLinter: 'no-read-only-root-fs',
      polaris: 'notReadOnlyRootFilesystem',
      reason: 'apps[].readOnlyRootFilesystem is false in the config: the app writes outside /tmp',
    });
  }
  return exceptions;
}

function appProbe(app: AppConfig, initialDelaySeconds: number, failureThreshold: number): Probe {
  const port = IntOrString.fromNumber(app.port);
  const action =
    app.probe.type === 'http' ? { httpGet: { path: app.probe.path, port } } : { tcpSocket: { port } };
  return { ...action, initialDelaySeconds, periodSeconds: 10, timeoutSeconds: 3, failureThreshold };
}
