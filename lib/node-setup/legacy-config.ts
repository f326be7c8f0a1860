import { stringify } from '@iarna/toml';

/** The CRI plugin of a version 2 config (containerd 1.x), where the legacy registry tables live. */
export const CRI_PLUGIN_V2 = 'io.containerd.grpc.v1.cri';

/**
 * The seed's legacy form: `registry.mirrors."HOST".endpoint` and
 * `registry.configs."HOST".tls.insecure_skip_verify`, for each host name, all pointing at the
 * IP endpoint (containerd on a node cannot resolve the service name).
 */
export function renderLegacyRegistryConfig(hostNames: readonly string[], ipEndpoint: string): string {
  const mirrors: Record<string, object> = {};
  const configs: Record<string, object> = {};
  for (const host of hostNames) {
    if (mirrors[host]) throw new Error(`host ${host} is listed twice`);
    mirrors[host] = { endpoint: [ipEndpoint] };
    configs[host] = { tls: { insecure_skip_verify: true } };
  }
  return stringify({ plugins: { [CRI_PLUGIN_V2]: { registry: { mirrors, configs } } } } as never);
}
