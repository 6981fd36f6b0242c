// The snapshot's schema: the envelope, every fact as data or the error that stopped it, each
// fact's data as its definition says (list items carry their identifying field). Extra SDK
// fields pass through untouched.
import * as z from 'zod';
import { FACT_DEFINITIONS } from '../facts/index.js';
import type { FactKey } from './types.js';
import { BILLABLE_FACTS } from './region-search.js';
import { REGION } from '../role-names.js';

// zod compiles an object schema into a function on its first parse: for the one snapshot of a
// grade that costs more than it saves (the complete example's first parse: 37 ms of CPU compiled,
// 10 ms without; the later parses of a batch take 2 ms either way).
z.config({ jitless: true });

const text = z.string();
/** A probe's URL, which the reports and the app checks take apart: an absolute URL, or the file is refused naming it. */
const absoluteUrl = z.string().refine((value) => URL.canParse(value), { error: 'not an absolute URL (a probe records the URL it requested)' });

const factError = z
  .object({ call: text, code: text, message: text })
  .strict();

const FACT_SHAPE = 'a fact is {"ok": true, "data": ...} or {"ok": false, "error": {"call", "code", "message"}}';

/** One fact: its data, or the error that stopped it. Never both, never neither. */
function fact<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion(
    'ok',
    [z.object({ ok: z.literal(true), data }).strict(), z.object({ ok: z.literal(false), error: factError }).strict()],
    { error: FACT_SHAPE },
  );
}

/** Each fact's schema: a fact, or for a per-resource fact one fact per key. */
export const factSchemas = Object.fromEntries(
  FACT_DEFINITIONS.map((definition) => [
    definition.key,
    definition.kind === 'keyed' ? z.record(z.string(), fact(definition.schema)) : fact(definition.schema),
  ]),
) as Record<string, z.ZodType> as Record<FactKey, z.ZodType>;

// A fact may be absent (an older or interrupted collection): the checks needing it report `error`.
const factsSchema = z
  .object(Object.fromEntries(Object.entries(factSchemas).map(([key, schema]) => [key, schema.optional()])))
  .strict();

const probeResult = z.looseObject({
  id: text,
  method: z.enum(['GET', 'POST']),
  url: absoluteUrl,
  requestBody: text.optional(),
  status: z.number().int().optional(),
  contentType: text.optional(),
  latencyMs: z.number().nonnegative(),
  attempts: z.number().int().nonnegative(),
  bodyBytes: z.number().int().nonnegative(),
  bodyExcerpt: text,
  truncated: z.boolean(),
  error: z.object({ code: text, message: text }).optional(),
});

const probesSchema = z
  .object({
    target: z
      .object({ url: text, source: z.enum(['alb-dns-name', 'override']), loadBalancerArn: text.optional() })
      .strict()
      .nullable(),
    skipped: text.optional(),
    predictEndpoint: z
      .object({ path: text, textField: text, textIn: z.enum(['body', 'query']).optional(), foundBy: text })
      .strict()
      .nullable()
      .optional(),
    openapiNotUnderstood: text.optional(),
    results: z.array(probeResult),
  })
  .strict();

// A request id is letters, digits and a few separators (UUIDs, S3's hex ids); nothing else is kept.
const requestIdSchema = z
  .object({
    call: z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9]+$/, { error: 'an IAM action such as sts:GetCallerIdentity' }),
    requestId: z.string().regex(/^[A-Za-z0-9+/=_.:-]{1,128}$/, { error: 'a request id as AWS returns it' }),
  })
  .strict();

const provenanceSchema = z
  .object({
    rubricSha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'a SHA-256 in hex (64 characters)' }).optional(),
    requestIds: z.array(requestIdSchema),
  })
  .strict();

/** A region's name, as the search of the enabled regions recorded it (the reports show it on a line of its own). */
const regionName = z.string().regex(REGION, { error: 'an AWS region name such as eu-west-1' });

const regionSearchSchema = z
  .object({
    searched: z.array(regionName),
    found: z.array(z.object({ region: regionName, vpcIds: z.array(text) }).strict()),
    unreadable: z.array(z.object({ region: regionName, code: text }).strict()),
    listFailed: text.optional(),
    billable: z.array(
      z
        .object({
          region: regionName,
          facts: z.object(Object.fromEntries(BILLABLE_FACTS.map((key) => [key, factSchemas[key].optional()]))).strict(),
        })
        .strict(),
    ),
  })
  .strict();

export const snapshotSchema = z
  .object({
    schemaVersion: z.literal(1, {
      error: 'this grader reads snapshots of schemaVersion 1: collect the account again with this version',
    }),
    collectedAt: z.iso.datetime({ error: 'an ISO date-time such as 2026-11-20T16:30:00.000Z' }),
    collector: z
      .object({
        name: text,
        version: text,
        calls: z.number().int().nonnegative(),
        rounds: z.number().int().nonnegative(),
        durationMs: z.number().nonnegative(),
      })
      .strict(),
    account: z.string().regex(/^\d{12}$/, { error: 'a 12-digit AWS account id' }),
    region: z.string().min(1),
    caller: text,
    provenance: provenanceSchema.optional(),
    facts: factsSchema,
    probes: probesSchema,
    regionSearch: regionSearchSchema.optional(),
  })
  .strict();
