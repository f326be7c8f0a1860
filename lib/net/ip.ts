import { isIP } from 'node:net';

export type IpFamily = 4 | 6;

export interface ParsedIp {
  readonly family: IpFamily;
  readonly value: bigint;
}

export interface ParsedCidr {
  readonly family: IpFamily;
  readonly network: bigint;
  readonly prefix: number;
  /** Number of addresses in the range. */
  readonly size: bigint;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

/** Parses an IPv4 or IPv6 literal (no brackets, no zone). Returns undefined for anything else. */
export function parseIp(text: string): ParsedIp | undefined {
  const family = isIP(text);
  if (family === 4) {
    const value = text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
    return { family, value };
  }
  if (family === 6 && !text.includes('%')) {
    return { family, value: ipv6ToBigInt(text) };
  }
  return undefined;
}

function ipv6ToBigInt(text: string): bigint {
  let groups = text;
  const embeddedV4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (embeddedV4) {
    const v4 = parseIp(embeddedV4[1])!.value;
    groups =
      text.slice(0, -embeddedV4[1].length) + `${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  // Without `::` there are 8 groups (isIP checked), so nothing is missing.
  const [head, tail] = groups.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  const parts = [...headParts, ...Array<string>(missing).fill('0'), ...tailParts];
  return parts.reduce((acc, part) => (acc << 16n) | BigInt(parseInt(part, 16)), 0n);
}

/** Parses `address/prefix`; the address must be the network address of the range. */
export function parseCidr(text: string): ParsedCidr | string {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match) return 'is not in CIDR form address/prefix';
  const ip = parseIp(match[1]);
  if (!ip) return `has '${match[1]}', which is not an IPv4 or IPv6 address`;
  const prefix = Number(match[2]);
  const bits = BITS[ip.family];
  if (prefix > bits)
    return `has prefix /${prefix}, longer than the ${bits} bits of an IPv${ip.family} address`;
  const hostBits = BigInt(bits - prefix);
  const network = (ip.value >> hostBits) << hostBits;
  if (network !== ip.value)
    return `has host bits set (the network address is ${formatIp(ip.family, network)})`;
  return { family: ip.family, network, prefix, size: 1n << hostBits };
}

export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join('.');
  }
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  // The run's colons on both sides are replaced, and groups are never empty: never `:::`.
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/**
 * Size of the lower band of a Service CIDR that Kubernetes keeps for static ClusterIPs
 * (KEP-3070): min(max(16, N/16), 256) addresses, counted from the first usable address.
 */
export function staticBandSize(cidr: ParsedCidr): bigint {
  const sixteenth = cidr.size / 16n;
  const atLeast16 = sixteenth > 16n ? sixteenth : 16n;
  return atLeast16 < 256n ? atLeast16 : 256n;
}

/** Where an IP lies relative to a Service CIDR. */
export type CidrPlacement = 'outside' | 'network' | 'apiserver' | 'broadcast' | 'static' | 'dynamic';

export function placeInServiceCidr(ip: ParsedIp, cidr: ParsedCidr): CidrPlacement {
  if (ip.family !== cidr.family) return 'outside';
  const offset = ip.value - cidr.network;
  if (offset < 0n || offset >= cidr.size) return 'outside';
  if (offset === 0n) return 'network';
  // The first address is taken by the `kubernetes` Service of the API server.
  if (offset === 1n) return 'apiserver';
  if (cidr.family === 4 && offset === cidr.size - 1n) return 'broadcast';
  return offset <= staticBandSize(cidr) ? 'static' : 'dynamic';
}

/** `host:port`, with brackets around an IPv6 address. */
export function hostWithPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Ranges no Service can use as its ClusterIP, named for messages. */
const SPECIAL_RANGES: ReadonlyArray<{ readonly cidr: string; readonly name: string }> = [
  { cidr: '0.0.0.0/8', name: 'an unspecified ("this network") address' },
  { cidr: '127.0.0.0/8', name: 'a loopback address' },
  { cidr: '169.254.0.0/16', name: 'a link-local address' },
  { cidr: '224.0.0.0/4', name: 'a multicast address' },
  { cidr: '255.255.255.255/32', name: 'the broadcast address' },
  { cidr: '::/128', name: 'the unspecified address' },
  { cidr: '::1/128', name: 'the loopback address' },
  { cidr: '::ffff:0:0/96', name: 'an IPv4-mapped IPv6 address' },
  { cidr: 'fe80::/10', name: 'a link-local address' },
  { cidr: 'ff00::/8', name: 'a multicast address' },
];

/**
 * The special-purpose range an address lies in (unspecified, loopback, link-local, multicast,
 * broadcast, IPv4-mapped IPv6), as `a loopback address (127.0.0.0/8)`, or undefined.
 */
export function specialPurposeRange(ip: ParsedIp): string | undefined {
  for (const range of SPECIAL_RANGES) {
    const cidr = parseCidr(range.cidr) as ParsedCidr;
    if (cidr.family !== ip.family) continue;
    const hostBits = BigInt(BITS[ip.family] - cidr.prefix);
    if ((ip.value >> hostBits) << hostBits === cidr.network) return `${range.name} (${range.cidr})`;
  }
  return undefined;
}
