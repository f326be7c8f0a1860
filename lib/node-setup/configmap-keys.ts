/**
 * ConfigMap keys may only hold `[-._a-zA-Z0-9]`, and a hosts directory is named `host:port`
 * (`[v6]:port` for IPv6). The mapping from key to directory is therefore explicit: it ships in
 * the plan, and the agent never derives a directory from a key.
 */
export function hostsFileKey(hostDirectory: string): string {
  return `hosts_${hostDirectory.replace(/[^-.a-zA-Z0-9]/g, '_')}.toml`;
}

export const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;
