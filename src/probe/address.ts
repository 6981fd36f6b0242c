// Which addresses the grader may connect to, and a DNS lookup that enforces it at connect
// time, so a name cannot be checked against one address and then connect to another.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Ranges that are not the public internet: loopback, private, link-local (incl. instance metadata), CGNAT... */
const REFUSED_V4 = new BlockList();
// A separate list, because a BlockList matches IPv4 addresses against IPv4-mapped IPv6 rules.
const REFUSED_V6 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  REFUSED_V4.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  // IPv4-mapped addresses could smuggle any IPv4 address past the IPv4 list.
  ['::ffff:0:0', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  REFUSED_V6.addSubnet(network, prefix, 'ipv6');
}

/** Why an address may not be probed, or null when it is a public address. */
export function refusedReason(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  return (family === 4 ? REFUSED_V4.check(address, 'ipv4') : REFUSED_V6.check(address, 'ipv6'))
    ? `${address} is a loopback, private, link-local or otherwise non-public address`
    : null;
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
