import type { SynthConfig } from '../config/types';
import type { ServiceLookup } from './load-service-lookup';
import type { LookupFailure, LookupResult } from './service-lookup';
import { parseIp } from '../net/ip';
import { pinnedRegistryAddress, registryAddress, type RegistryAddress } from '../registry/registry-address';

/** Discovery failed where the config asked for `discover`; its exit code differs from a config error's. */
export class DiscoveryError extends Error {
  public readonly failure = 'discovery';
}

const WHAT_TO_DO: Record<LookupFailure, string> = {
  'no-cluster': 'set KUBECONFIG (and KUBE_CONTEXT), or run synth in a pod with a service account',
  unreachable: "check the API server's address and that this machine can reach it",
  timeout: 'check the API server, or raise discovery.timeoutSeconds',
  forbidden:
    'allow `get` on services in the registry namespace (kubectl auth can-i get services -n <namespace>)',
  'not-found': 'apply dist/ first (the registry Service is in 0000-registry.k8s.yaml), or pin the address',
  headless: 'recreate the Service from dist/ so that it has a ClusterIP, or pin the address',
  invalid: 'check the API server; its answer was not a Service with a ClusterIP',
};

/**
 * The one registry address of the output: the pinned ClusterIP, or the live Service's, as the
 * config's discovery.source says. `lookup` is called only when discovery is asked for.
 */
export async function resolveRegistryAddress(
  config: SynthConfig,
  env: Readonly<Record<string, string | undefined>>,
  lookup: () => ServiceLookup,
  warn: (message: string) => void,
): Promise<RegistryAddress> {
  const { registry, discovery } = config;
  const pinned = pinnedRegistryAddress(registry);
  if (discovery.source === 'pinned') return pinned;
  const result = await lookup()({
    name: registry.name,
    namespace: registry.namespace,
    context: discovery.context,
    timeoutMs: discovery.timeoutSeconds * 1000,
    env,
  });
  const found = checked(result, discovery.timeoutSeconds);
  if (found.ok) {
    if (found.clusterIP !== registry.clusterIP) {
      warn(
        `discovered ClusterIP ${found.clusterIP} of ${registry.namespace}/${registry.name} differs from the ` +
          `pinned registry.clusterIP ${registry.clusterIP}; the output uses ${found.clusterIP}`,
      );
    }
    return registryAddress(registry, found.clusterIP, 'discovered');
  }
  const where = `cluster ${found.cluster.server} (context ${found.cluster.context})`;
  const message =
    `could not read Service ${registry.namespace}/${registry.name} from ${where}: ${found.failure}: ` +
    `${found.detail}; ${WHAT_TO_DO[found.failure]}`;
  if (discovery.source === 'discover') {
    throw new DiscoveryError(`${message}, or use REGISTRY_IP_SOURCE=pinned`);
  }
  warn(
    `${message}; falling back to the pinned registry.clusterIP ${registry.clusterIP} (discovery.source: auto)`,
  );
  return pinned;
}

function checked(result: LookupResult, timeoutSeconds: number): LookupResult {
  if (!result.ok) {
    return result.failure === 'timeout'
      ? { ...result, detail: `no answer within ${timeoutSeconds} s` }
      : result;
  }
  return parseIp(result.clusterIP)
    ? result
    : {
        ok: false,
        failure: 'invalid',
        detail: `clusterIP '${result.clusterIP}' is not an IP address`,
        cluster: result.cluster,
      };
}
