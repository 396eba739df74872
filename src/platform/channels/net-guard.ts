// The outbound request guard (SSRF) for webhooks and any other request the platform makes to an
// address a person typed (ADR 0010 § 8): the URL's scheme and form are checked, its host name
// resolved (every address, IPv4 and IPv6), and each address refused when it lies in a range that
// is not the public internet — loopback, private, carrier-grade NAT, link-local (cloud metadata at
// 169.254.169.254; 100.100.100.200 is in 100.64/10), documentation, multicast, reserved, unique
// local and the like — unless an allow-list (CIDRs from configuration) contains it. The caller
// then connects to the vetted address itself (a `lookup` that returns it), so a second DNS answer
// cannot point the request elsewhere. Ranges are matched with Node's own `net.BlockList`.
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns/promises';

/** Ranges that are not the public internet (IANA special-purpose registries, v4 and v6). */
const FORBIDDEN_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT (also Alibaba Cloud's metadata 100.100.100.200)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata 169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay (deprecated)
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
];
const FORBIDDEN_V6: [string, number][] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64 (could reach an internal IPv4 address)
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 (embeds any IPv4 address)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
];

const forbidden = new BlockList();
for (const [a, n] of FORBIDDEN_V4) forbidden.addSubnet(a, n, 'ipv4');
for (const [a, n] of FORBIDDEN_V6) forbidden.addSubnet(a, n, 'ipv6');

const family = (address: string): 'ipv4' | 'ipv6' | null => (isIP(address) === 4 ? 'ipv4' : isIP(address) === 6 ? 'ipv6' : null);

/** Whether an IP address is outside the public internet (an IPv4-mapped IPv6 address as its IPv4). */
export function isForbiddenAddress(address: string): boolean {
  const f = family(address);
  if (!f) return true;
  return forbidden.check(address, f);
}

/** A refusal: the URL's form (`url`), its scheme (`scheme`), credentials in it, a name that does not resolve, or an address outside the public internet. */
export class OutboundRefused extends Error {
  constructor(
    readonly reason: 'url' | 'scheme' | 'credentials' | 'unresolvable' | 'address' | 'https',
    readonly address?: string,
  ) {
    super(`outbound request refused: ${reason}${address ? ` (${address})` : ''}`);
    this.name = 'OutboundRefused';
  }
}

/**
 * The allow-list: CIDRs (`127.0.0.1/32`, `10.1.0.0/16`, `fd00::/8`) or single addresses, as the
 * configuration gives them (comma or space separated). Throws on an entry that is not one.
 */
export function allowList(spec: string | readonly string[]): BlockList {
  const list = new BlockList();
  const items = (typeof spec === 'string' ? spec.split(/[\s,]+/) : [...spec]).map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    const [addr, bits] = item.split('/');
    const f = family(addr);
    const max = f === 'ipv4' ? 32 : 128;
    const n = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
    if (!f || !(n >= 0 && n <= max)) throw new Error(`not an address or CIDR: ${JSON.stringify(item)}`);
    list.addSubnet(addr, n, f);
  }
  return list;
}

export interface Vetted {
  url: URL;
  /** The address to connect to (and only that one). */
  address: string;
  family: 4 | 6;
}

export interface VetOptions {
  /** Addresses allowed although outside the public internet (allowList()). */
  allow?: BlockList;
  /** Require https, except for an allow-listed address (default true). */
  requireHttps?: boolean;
  /** The resolver (tests may give their own); default node:dns `lookup` with every address. */
  lookup?: (host: string) => Promise<{ address: string; family: number }[]>;
}

/**
 * Vets a URL for an outbound request: http(s) only, no user or password in it, every address its
 * host resolves to on the public internet or allow-listed (one bad address refuses the whole
 * name). Returns the first address to connect to.
 */
export async function vetOutboundUrl(raw: string, opts: VetOptions = {}): Promise<Vetted> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundRefused('url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OutboundRefused('scheme');
  if (url.username || url.password) throw new OutboundRefused('credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new OutboundRefused('url');
  let addresses: { address: string; family: number }[];
  if (family(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await (opts.lookup ?? ((h: string) => dnsLookup(h, { all: true, verbatim: true })))(host);
    } catch {
      throw new OutboundRefused('unresolvable');
    }
    if (!addresses.length) throw new OutboundRefused('unresolvable');
  }
  const allowed = (a: string) => !!opts.allow && opts.allow.check(a, family(a) ?? 'ipv6');
  for (const a of addresses) if (isForbiddenAddress(a.address) && !allowed(a.address)) throw new OutboundRefused('address', a.address);
  const first = addresses[0];
  if ((opts.requireHttps ?? true) && url.protocol !== 'https:' && !allowed(first.address)) throw new OutboundRefused('https');
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
