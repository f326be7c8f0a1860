import {
  ApiException,
  CoreV1Api,
  Observable,
  type ConfigurationOptions,
  type V1Service,
} from '@kubernetes/client-node';
import { loadKubeConfig, type ClusterIdentity } from './kube-config';

/** Which Service to read, from which cluster, how patiently. */
export interface LookupRequest {
  readonly name: string;
  readonly namespace: string;
  /** kubeconfig context; undefined means the current one. */
  readonly context?: string;
  readonly timeoutMs: number;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export type LookupFailure =
  'no-cluster' | 'unreachable' | 'timeout' | 'forbidden' | 'not-found' | 'headless' | 'invalid';

export type { ClusterIdentity };

export type LookupResult =
  | { readonly ok: true; readonly clusterIP: string; readonly cluster: ClusterIdentity }
  | {
      readonly ok: false;
      readonly failure: LookupFailure;
      readonly detail: string;
      readonly cluster: ClusterIdentity;
    };

/** Reads a Service's ClusterIP with @kubernetes/client-node, bounded by `timeoutMs`. */
export async function lookupServiceClusterIp(request: LookupRequest): Promise<LookupResult> {
  const loaded = loadKubeConfig(request.env, request.context);
  if (!loaded.ok) return { ok: false, failure: 'no-cluster', detail: loaded.detail, cluster: loaded.cluster };
  const { kubeConfig, cluster } = loaded;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), request.timeoutMs);
  try {
    const api = kubeConfig.makeApiClient(CoreV1Api);
    // The abort signal bounds the request itself, so no socket outlives the timeout.
    const withTimeout: ConfigurationOptions = {
      middleware: [
        {
          pre: (context) => {
            context.setSignal(abort.signal);
            return new Observable(Promise.resolve(context));
          },
          post: (response) => new Observable(Promise.resolve(response)),
        },
      ],
      middlewareMergeStrategy: 'append',
    };
    const service: V1Service = await api.readNamespacedService(
      { name: request.name, namespace: request.namespace },
      withTimeout,
    );
    const clusterIP = service.spec?.clusterIP;
    if (!clusterIP || clusterIP === 'None') {
      return { ok: false, failure: 'headless', detail: `clusterIP is ${clusterIP ?? 'unset'}`, cluster };
    }
    return { ok: true, clusterIP, cluster };
  } catch (error) {
    return { ok: false, ...classify(error, abort.signal.aborted), cluster };
  } finally {
    clearTimeout(timer);
  }
}

function classify(error: unknown, timedOut: boolean): { failure: LookupFailure; detail: string } {
  if (timedOut) return { failure: 'timeout', detail: 'no answer in time' };
  if (error instanceof ApiException) {
    const message = statusMessage(error.body) ?? `HTTP ${error.code}`;
    if (error.code === 404) return { failure: 'not-found', detail: message };
    if (error.code === 401 || error.code === 403) return { failure: 'forbidden', detail: message };
    return { failure: 'invalid', detail: `HTTP ${error.code}: ${message}` };
  }
  return { failure: 'unreachable', detail: (error as Error).message.split('\n')[0] };
}

/** The `message` of a Kubernetes `Status` body, however the client handed it over. */
function statusMessage(body: unknown): string | undefined {
  try {
    const status = typeof body === 'string' ? JSON.parse(body) : body;
    return typeof status?.message === 'string' ? status.message : undefined;
  } catch {
    return undefined;
  }
}
