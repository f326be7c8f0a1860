import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import fetch from 'node-fetch';
import type { RegistryConfig, SynthConfig } from '../config/types';
import { nodeSetupName } from '../node-setup/contract';
import { SERVICE_PORT_NAME } from '../registry/registry-roles';
import type { ClusterState, PushProbe } from './findings';

/** A repository name no one uses: the doctor's push attempt, refused or at once cancelled. */
export const PROBE_REPOSITORY = 'internal-registry-doctor/push-check';

/**
 * Starts a blob upload through the API server's Service proxy, as any pod could through the
 * ClusterIP: the read-only reader refuses it (405). An accepted upload is cancelled at once.
 */
async function pushToService(kubeConfig: KubeConfig, registry: RegistryConfig): Promise<PushProbe> {
  const server = kubeConfig.getCurrentCluster()?.server ?? '';
  const proxy = `${server}/api/v1/namespaces/${registry.namespace}/services/${registry.name}:${SERVICE_PORT_NAME}/proxy`;
  const options = await kubeConfig.applyToFetchOptions({});
  const response = await fetch(`${proxy}/v2/${PROBE_REPOSITORY}/blobs/uploads/`, {
    ...options,
    method: 'POST',
  });
  const location = response.headers.get('location');
  if (response.ok && location?.startsWith('/')) {
    await fetch(`${proxy}${location}`, { ...options, method: 'DELETE' }).catch(() => undefined);
  }
  return { status: response.status };
}

/** Reads what the doctor compares, with the kubeconfig (or service account) discovery uses. */
export async function readClusterState(kubeConfig: KubeConfig, config: SynthConfig): Promise<ClusterState> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const { name, namespace } = config.registry;
  const orMissing = <T>(promise: Promise<T>): Promise<T | undefined> =>
    promise.catch((error: { code?: number }) => {
      if (error.code === 404) return undefined;
      throw error;
    });
  const [service, registryPods, nodeSetup, nodeSetupPods, pushProbe] = await Promise.all([
    orMissing(core.readNamespacedService({ name, namespace })),
    core.listNamespacedPod({ namespace, labelSelector: `app=${name}` }),
    orMissing(apps.readNamespacedDaemonSet({ name: nodeSetupName(name), namespace })),
    core.listNamespacedPod({ namespace, labelSelector: `app=${nodeSetupName(name)}` }),
    pushToService(kubeConfig, config.registry),
  ]);
  const deployments = Object.fromEntries(
    await Promise.all(
      config.apps.map(async (app) => [
        `${app.namespace}/${app.name}`,
        await orMissing(apps.readNamespacedDeployment({ name: app.name, namespace: app.namespace })),
      ]),
    ),
  );
  return {
    service,
    pushProbe,
    registryPods: registryPods.items,
    nodeSetup,
    nodeSetupPods: nodeSetupPods.items,
    deployments,
  };
}
