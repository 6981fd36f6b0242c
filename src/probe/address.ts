// Which addresses the grader may connect to, and a DNS lookup that enforces it at connect
// time, so a name cannot be checked against one address and then connect to another.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * IANA's IPv4 and IPv6 special-purpose address registries, whole, plus multicast and the
 * deprecated forms that embed an IPv4 address: none of them is a load balancer's public address.
 */
const SPECIAL_PURPOSE_V4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared address space (CGNAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, instance metadata
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.31.196.0', 24], // AS112-v4
  ['192.52.193.0', 24], // AMT
  ['192.88.99.0', 24], // deprecated 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['192.175.48.0', 24], // direct delegation AS112
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, including 255.255.255.255
];
const SPECIAL_PURPOSE_V6: readonly (readonly [string, number])[] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // deprecated IPv4-compatible: would smuggle any IPv4 address
  ['::ffff:0:0', 96], // IPv4-mapped: would smuggle any IPv4 address
  ['::ffff:0:0:0', 96], // IPv4-translated (SIIT)
  ['64:ff9b::', 96], // IPv4/IPv6 translation (NAT64)
  ['64:ff9b:1::', 48], // local-use IPv4/IPv6 translation
  ['100::', 64], // discard-only
  ['100:0:0:1::', 64], // dummy prefix
  ['2001::', 23], // IETF protocol assignments: Teredo, benchmarking, ORCHID...
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address
  ['2620:4f:8000::', 48], // direct delegation AS112
  ['3fff::', 20], // documentation
  ['5f00::', 16], // segment routing (SRv6) SIDs
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8], // multicast
];

const REFUSED_V4 = new BlockList();
// A separate list, because a BlockList matches IPv4 addresses against IPv4-mapped IPv6 rules.
const REFUSED_V6 = new BlockList();
for (const [network, prefix] of SPECIAL_PURPOSE_V4) REFUSED_V4.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of SPECIAL_PURPOSE_V6) REFUSED_V6.addSubnet(network, prefix, 'ipv6');

/** Why an address may not be probed, or null when it is a public address. */
export function refusedReason(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  return (family === 4 ? REFUSED_V4.check(address, 'ipv4') : REFUSED_V6.check(address, 'ipv6'))
    ? `${address} is in a special-purpose range (loopback, private, link-local, documentation, translation...), not a public address`
    : null;
}

/** `localhost` and every name under it: loopback by definition (RFC 6761 §6.3), whatever a resolver says. */
const LOOPBACK_NAME = /^(?:.+\.)?localhost\.?$/i;

/**
 * Why a URL's host may not be probed before any lookup, or null when only its addresses can
 * tell (the guarded lookup decides at connect time): an IP literal by its range, a localhost
 * name by its name, so neither waits on the resolver (nor races the connect timeout).
 */
export function refusedHostReason(host: string): string | null {
  if (isIP(host) !== 0) return refusedReason(host);
  return LOOPBACK_NAME.test(host) ? `${host} names the loopback interface (RFC 6761), not a public address` : null;
}

/** Raised (as a connection error) when a probe would reach a non-public address. */
export class RefusedAddressError extends Error {
  readonly code = 'refused-address';
  constructor(host: string, reason: string) {
    super(`refused to connect to ${host}: ${reason} (probes reach only public addresses)`);
    this.name = 'RefusedAddressError';
  }
}

/**
 * A `lookup` for `net.connect`: resolves the name once, refuses it if ANY of its addresses
 * is non-public, and hands exactly the checked addresses to the socket.
 */
export function guardedLookup(allowPrivateAddresses: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0, hints: options.hints ?? 0 }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      if (list.length === 0) {
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      }
      if (!allowPrivateAddresses) {
        for (const { address } of list) {
          const reason = refusedReason(address);
          if (reason !== null) return callback(new RefusedAddressError(hostname, reason), '', 0);
        }
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0] as LookupAddress;
      return callback(null, first.address, first.family);
    });
  };
}
