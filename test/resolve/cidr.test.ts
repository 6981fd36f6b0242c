import { describe, expect, it } from 'vitest';
import { cidrContains, cidrsOverlap, isAnywhere, parseCidr } from '../../src/resolve/cidr.js';

function cidr(text: string) {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`bad test CIDR ${text}`);
  return parsed;
}

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/16', { base: 0x0a000000, prefix: 16 }],
    ['10.0.1.0/24', { base: 0x0a000100, prefix: 24 }],
    ['0.0.0.0/0', { base: 0, prefix: 0 }],
    ['255.255.255.255/32', { base: 0xffffffff, prefix: 32 }],
    ['192.168.128.0/17', { base: 0xc0a88000, prefix: 17 }],
  ])('parses %s', (text, expected) => {
    expect(parseCidr(text)).toEqual(expected);
  });

  it.each(['10.0.1.5/24', '10.0.0.0/33', '256.0.0.0/8', '10.0.0/16', '10.0.0.0', 'fe80::/10', ''])('rejects %j', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe('cidrContains and cidrsOverlap', () => {
  it.each<[string, string, boolean, boolean]>([
    // outer, inner, contains, overlaps
    ['10.0.0.0/16', '10.0.1.0/24', true, true],
    ['10.0.0.0/16', '10.0.255.0/24', true, true],
    ['10.0.0.0/16', '10.1.0.0/24', false, false],
    ['10.0.0.0/16', '10.0.0.0/16', true, true],
    ['10.0.1.0/24', '10.0.0.0/16', false, true],
    ['10.0.1.0/24', '10.0.2.0/24', false, false],
    ['10.0.0.0/23', '10.0.1.0/24', true, true],
    ['10.0.2.0/23', '10.0.1.0/24', false, false],
    ['0.0.0.0/0', '203.0.113.0/24', true, true],
    ['128.0.0.0/1', '127.255.255.0/24', false, false],
    ['128.0.0.0/1', '255.255.255.255/32', true, true],
  ])('%s and %s', (outer, inner, contains, overlaps) => {
    expect(cidrContains(cidr(outer), cidr(inner))).toBe(contains);
    expect(cidrsOverlap(cidr(outer), cidr(inner))).toBe(overlaps);
    expect(cidrsOverlap(cidr(inner), cidr(outer))).toBe(overlaps);
  });
});

describe('isAnywhere', () => {
  it.each([
    ['0.0.0.0/0', true],
    ['::/0', true],
    ['10.0.0.0/16', false],
    [undefined, false],
  ])('%s → %s', (text, expected) => {
    expect(isAnywhere(text)).toBe(expected);
  });
});
