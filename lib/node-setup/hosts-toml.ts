import { stringify } from '@iarna/toml';

/** One upstream of a containerd hosts.toml. */
export interface HostEndpoint {
  /** `http://…` or `https://…`, with port. */
  readonly url: string;
  readonly capabilities: ReadonlyArray<'pull' | 'resolve' | 'push'>;
  /** TLS settings; only for https endpoints. */
  readonly skipVerify?: boolean;
  readonly ca?: string | readonly string[];
  readonly client?: ReadonlyArray<string | readonly string[]>;
}

/** A hosts.toml that containerd would misread; the renderer refuses it. */
export class HostsTomlRefusal extends Error {}

export interface HostsFile {
  /**
   * The default upstream (`server`), tried after the hosts. Omitted in `_default/hosts.toml`, so
   * that each registry itself stays the fallback.
   */
  readonly server?: string;
  readonly hosts: readonly HostEndpoint[];
}

/**
 * Renders `<hosts dir>/<host>/hosts.toml`. Rules from containerd's history, each unit-tested:
 * - plain HTTP is an `http://` scheme in both `server` and the `[host."…"]` key;
 * - no `skip_verify`, `ca` or `client` on an http host: since 1.6.25/1.7.7 such a host on a port
 *   other than 80 is tried over HTTPS first;
 * - always at least one `[host."…"]` table: containerd 1.7 rejects a hosts file without one;
 * - no host twice.
 */
export function renderHostsToml(file: HostsFile): string {
  if (file.hosts.length === 0) throw new HostsTomlRefusal('a hosts.toml needs at least one [host] table');
  const table: Record<string, object> = {};
  for (const host of file.hosts) {
    assertUrl(host.url);
    if (table[host.url]) throw new HostsTomlRefusal(`host ${host.url} is listed twice`);
    const isHttp = host.url.startsWith('http://');
    if (isHttp && (host.skipVerify !== undefined || host.ca !== undefined || host.client !== undefined)) {
      throw new HostsTomlRefusal(
        `host ${host.url} is plain HTTP: skip_verify, ca and client would make containerd try HTTPS`,
      );
    }
    table[host.url] = {
      capabilities: [...host.capabilities],
      ...(host.skipVerify !== undefined ? { skip_verify: host.skipVerify } : {}),
      ...(host.ca !== undefined ? { ca: host.ca } : {}),
      ...(host.client !== undefined ? { client: host.client } : {}),
    };
  }
  if (file.server === undefined) return stringify({ host: table } as never);
  assertUrl(file.server);
  return stringify({ server: file.server, host: table } as never);
}

function assertUrl(url: string): void {
  if (!/^https?:\/\/[^\s"'/]+$/.test(url))
    throw new HostsTomlRefusal(`'${url}' is not an http(s)://host[:port] URL`);
}

/** The hosts file for a registry reached over plain HTTP at `ipHost` (`ip:port`). */
export function plainHttpHostsFile(ipHost: string): HostsFile {
  const url = `http://${ipHost}`;
  return { server: url, hosts: [{ url, capabilities: ['pull', 'resolve'] }] };
}
