import type { AppConfig, RegistryConfig } from '../config/types';
import { formatImageReference } from '../k8s/image-reference';
import { serviceDnsName } from '../k8s/names';
import { hostWithPort } from '../net/ip';

/** Where the registry's ClusterIP came from; recorded in the output. */
export type AddressSource = 'pinned' | 'discovered';

/** The one registry address that every object of the output uses. */
export interface RegistryAddress {
  readonly clusterIP: string;
  readonly port: number;
  readonly source: AddressSource;
  /** `ip:port`, the host nodes pull from (IPv6 in brackets). */
  readonly ipHost: string;
  /** `<name>.<namespace>.svc.<domain>:port`, the host pods can resolve. */
  readonly serviceHost: string;
  /** Each alias of the config with the port. */
  readonly aliasHosts: readonly string[];
}

/** Builds the registry address from the registry config and a ClusterIP; pure. */
export function registryAddress(
  registry: RegistryConfig,
  clusterIP: string,
  source: AddressSource,
): RegistryAddress {
  return {
    clusterIP,
    port: registry.port,
    source,
    ipHost: hostWithPort(clusterIP, registry.port),
    serviceHost: hostWithPort(
      serviceDnsName(registry.name, registry.namespace, registry.clusterDomain),
      registry.port,
    ),
    aliasHosts: registry.aliases.map((alias) => hostWithPort(alias, registry.port)),
  };
}

/** The address from the config's pinned ClusterIP (after environment overrides). */
export function pinnedRegistryAddress(registry: RegistryConfig): RegistryAddress {
  return registryAddress(registry, registry.clusterIP, 'pinned');
}

/** `<ClusterIP>:<port>/<image>:<tag>[@digest]`: the image an app's pods pull. */
export function appImageReference(app: AppConfig, address: RegistryAddress): string {
  return formatImageReference({
    registryHost: address.ipHost,
    repository: app.image,
    tag: app.tag,
    digest: app.digest,
  });
}
