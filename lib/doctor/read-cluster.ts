import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { SynthConfig } from '../config/types';
import { nodeSetupName } from '../node-setup/contract';
import type { ClusterState } from './findings';

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
  const [service, registryPods, nodeSetup, nodeSetupPods] = await Promise.all([
    orMissing(core.readNamespacedService({ name, namespace })),
    core.listNamespacedPod({ namespace, labelSelector: `app=${name}` }),
    orMissing(apps.readNamespacedDaemonSet({ name: nodeSetupName(name), namespace })),
    core.listNamespacedPod({ namespace, labelSelector: `app=${nodeSetupName(name)}` }),
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
    registryPods: registryPods.items,
    nodeSetup,
    nodeSetupPods: nodeSetupPods.items,
    deployments,
  };
}
