import { Construct } from 'constructs';
import type { AppConfig } from '../config/types';
import { IntOrString, KubeDeployment, Quantity, type Probe, type Volume, type VolumeMount } from '../k8s';
import { ADDRESS_SOURCE_ANNOTATION, selectorLabels, workloadLabels } from '../labels';
import { appImageReference, type RegistryAddress } from '../registry-address';
import { resourceRequirements } from '../resources';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../security';

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
        annotations: { [ADDRESS_SOURCE_ANNOTATION]: address.source },
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
                // A mutable tag must be pulled again to pick up a new push; a digest never changes.
                imagePullPolicy: app.digest ? 'IfNotPresent' : 'Always',
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

function appProbe(app: AppConfig, initialDelaySeconds: number, failureThreshold: number): Probe {
  const port = IntOrString.fromNumber(app.port);
  const action =
    app.probe.type === 'http' ? { httpGet: { path: app.probe.path, port } } : { tcpSocket: { port } };
  return { ...action, initialDelaySeconds, periodSeconds: 10, timeoutSeconds: 3, failureThreshold };
}
