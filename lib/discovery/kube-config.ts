import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

/** The cluster asked, for messages: its API server URL and the context (or in-cluster). */
export interface ClusterIdentity {
  readonly server: string;
  readonly context: string;
}

export type LoadedKubeConfig =
  | { readonly ok: true; readonly kubeConfig: KubeConfig; readonly cluster: ClusterIdentity }
  | { readonly ok: false; readonly detail: string; readonly cluster: ClusterIdentity };

/**
 * The kubeconfig to talk to: KUBECONFIG or ~/.kube/config (context selectable) or, inside a pod,
 * the service account (KUBE_SERVICEACCOUNT_ROOT prefixes its files, for tests and unusual mounts).
 */
export function loadKubeConfig(
  env: Readonly<Record<string, string | undefined>>,
  context?: string,
): LoadedKubeConfig {
  const kubeConfig = new KubeConfig();
  const unknown: ClusterIdentity = { server: '(none)', context: '(none)' };
  const fromFile = env.KUBECONFIG || existsSync(join(homedir(), '.kube', 'config'));
  try {
    if (fromFile) {
      kubeConfig.loadFromDefault();
      if (context) kubeConfig.setCurrentContext(context);
    } else if (env.KUBERNETES_SERVICE_HOST) {
      kubeConfig.loadFromCluster(env.KUBE_SERVICEACCOUNT_ROOT ?? '');
    } else {
      return {
        ok: false,
        detail: 'no KUBECONFIG, no ~/.kube/config, and not running in a pod',
        cluster: unknown,
      };
    }
  } catch (error) {
    return { ok: false, detail: (error as Error).message, cluster: unknown };
  }
  const current = kubeConfig.getCurrentCluster();
  const cluster = {
    server: current?.server ?? '(no cluster in the context)',
    context: fromFile ? kubeConfig.getCurrentContext() : 'in-cluster',
  };
  if (!current) return { ok: false, detail: `context '${cluster.context}' names no cluster`, cluster };
  return { ok: true, kubeConfig, cluster };
}
