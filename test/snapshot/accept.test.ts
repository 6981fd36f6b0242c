// The schema's quick test (src/snapshot/accept.ts): it must accept every good snapshot, or the
// batch pays for zod as before, and refuse, like zod, each kind of bad field, including those
// it leaves to zod (a date-time, a URL).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { acceptorOf } from '../../src/snapshot/accept.js';
import { snapshotSchema } from '../../src/snapshot/schema.js';
import { anotherAccount, example } from '../support/fixtures.js';
import { root } from '../support/cli.js';

const accepts = acceptorOf(snapshotSchema);
const parsedExample = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, `examples/${name}.snapshot.json`), 'utf8')) as Record<string, unknown>;

describe("the snapshot schema's quick test", () => {
  it.each(['complete-lab', 'mistakes'])('accepts the bundled %s example, as zod does', (name) => {
    const value = parsedExample(name);
    expect(snapshotSchema.safeParse(value).success).toBe(true);
    expect(accepts(value)).toBe(true);
  });

  it("accepts another student's account (each fact with data, probes, provenance and the region search)", () => {
    const value = JSON.parse(JSON.stringify(anotherAccount(3, example('complete-lab')))) as unknown;
    expect(accepts(value)).toBe(true);
  });

  const complete = parsedExample('complete-lab');
  const facts = complete.facts as Record<string, unknown>;
  const probes = complete.probes as { results: Record<string, unknown>[] };
  const cases: [string, Record<string, unknown>][] = [
    ['an unknown top-level key', { ...complete, extra: 1 }],
    ['a key named __proto__ in a strict object', JSON.parse(JSON.stringify(complete).replace('{"schemaVersion"', '{"__proto__":{},"schemaVersion"')) as Record<string, unknown>],
    ['a missing required field', { ...complete, account: undefined }],
    ['an account of 11 digits', { ...complete, account: '12345678901' }],
    ['a schema version other than 1', { ...complete, schemaVersion: 2 }],
    ['a collection time that is no date-time (left to zod)', { ...complete, collectedAt: 'yesterday' }],
    ['an empty region', { ...complete, region: '' }],
    ['a fact with both data and an error', { ...complete, facts: { ...facts, vpcs: { ok: true, data: [], error: { call: 'a', code: 'b', message: 'c' } } } }],
    ['a fact whose ok is text', { ...complete, facts: { ...facts, vpcs: { ok: 'true', data: [] } } }],
    ['an unknown fact', { ...complete, facts: { ...facts, somethingElse: { ok: true, data: [] } } }],
    ['a list item without its identifying field', { ...complete, facts: { ...facts, vpcs: { ok: true, data: [{ CidrBlock: '10.0.0.0/16' }] } } }],
    ['a per-resource fact that is a list', { ...complete, facts: { ...facts, bucketAcls: [] } }],
    ['a probe URL that is not absolute (left to zod)', { ...complete, probes: { ...probes, results: [{ ...probes.results[0], url: '/predict' }] } }],
    ['a negative latency', { ...complete, probes: { ...probes, results: [{ ...probes.results[0], latencyMs: -1 }] } }],
    ['attempts that are no whole number', { ...complete, probes: { ...probes, results: [{ ...probes.results[0], attempts: 1.5 }] } }],
    ['a probe method outside the list', { ...complete, probes: { ...probes, results: [{ ...probes.results[0], method: 'DELETE' }] } }],
  ];

  it.each(cases)('refuses %s, as zod does', (_what, value) => {
    const parsedAgain = JSON.parse(JSON.stringify(value)) as unknown;
    expect(snapshotSchema.safeParse(parsedAgain).success).toBe(false);
    expect(accepts(parsedAgain)).toBe(false);
  });

  it('asks zod itself about a node it does not know, and keeps its answer', () => {
    const refined = z.object({ even: z.number().refine((value) => value % 2 === 0), when: z.iso.datetime() }).strict();
    const quick = acceptorOf(refined);
    expect(quick({ even: 2, when: '2026-12-06T10:00:00Z' })).toBe(true);
    expect(quick({ even: 3, when: '2026-12-06T10:00:00Z' })).toBe(false);
    expect(quick({ even: 2, when: 'noon' })).toBe(false);
  });
});
