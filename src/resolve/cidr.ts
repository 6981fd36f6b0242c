// Exact IPv4 CIDR arithmetic for subnet plans: a block is its network address and prefix.
import type { Vpc } from '@aws-sdk/client-ec2';
import type { Json } from '../snapshot/types.js';

export interface Cidr {
  /** The network address as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses `a.b.c.d/n`; undefined for anything malformed or with host bits set (`10.0.1.5/24`). */
export function parseCidr(text: string): Cidr | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!match) return undefined;
  let address = 0;
  for (let octet = 1; octet <= 4; octet++) {
    const value = Number(match[octet]);
    if (value > 255) return undefined;
    address = address * 256 + value;
  }
  const prefix = Number(match[5]);
  if (prefix > 32) return undefined;
  if ((address & ~mask(prefix)) >>> 0 !== 0) return undefined;
  return { base: address, prefix };
}

/** True when every address of `inner` lies in `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && (inner.base & mask(outer.prefix)) >>> 0 === outer.base;
}

/** True when the two blocks share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** True when the text is an IPv4 or IPv6 "anywhere" block. */
export function isAnywhere(text: string | undefined): boolean {
  return text === '0.0.0.0/0' || text === '::/0';
}

/** The IPv4 blocks a VPC holds: its primary block and every associated secondary one. */
export function vpcCidrBlocks(vpc: Json<Vpc>): string[] {
  const blocks = new Set<string>(vpc.CidrBlock ? [vpc.CidrBlock] : []);
  for (const association of vpc.CidrBlockAssociationSet ?? []) {
    if (association.CidrBlock && association.CidrBlockState?.State === 'associated') blocks.add(association.CidrBlock);
  }
  return [...blocks];
}
