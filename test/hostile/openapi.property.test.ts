// A property over the OpenAPI documents a student's app may serve: cycles through every
// combinator and through $refs, deep nesting, huge enums, exponential fan-out and wrong types.
// Each document is served by a real app on 127.0.0.1 and goes the whole live way (probe,
// snapshot saved and loaded again, grade); the only outcome allowed is a grade. `npm test` runs 100 cases; `npm run test:fuzz` runs FUZZ_RUNS (10,000).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checksById } from '../../checks/index.js';
import { grade } from '../../src/grade/engine.js';
import { probeLab } from '../../src/probe/index.js';
import { OPENAPI_LIMITS } from '../../src/probe/openapi.js';
import { withoutCredentials } from '../../src/snapshot/credentials.js';
import { parseSnapshot } from '../../src/snapshot/load.js';
import { completeLabWith, labParams, labRubric } from '../support/fixtures.js';
import { startServer, type TestServer } from '../probe/servers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
// A case is a handful of local requests and a grade: tens of milliseconds.
vi.setConfig({ testTimeout: Math.max(60_000, RUNS * 300) });

const NAMES = ['A', 'B', 'C', 'D', '__proto__', 'constructor'] as const;
const COMBINATORS = ['allOf', 'anyOf', 'oneOf'] as const;
const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });

/** Values of the wrong JSON type for any schema keyword. */
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, 0, -1, true, '', 'string', [], {}, [null], { length: 3 }, '#/', '#/components', '#/__proto__/constructor'),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Schemas built from the combinators, $refs to the shared components (so cycles of any length), properties, types and enums. */
const { schema } = fc.letrec<{ schema: unknown }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...NAMES).map(ref),
    fc.record({ type: fc.oneof(fc.constantFrom('string', 'object', 'integer', 'null', ['string', 'null']), wrongType) }),
    fc.record({ type: fc.constant('string'), enum: fc.array(fc.string(), { maxLength: 5 }) }),
    fc.record({ combinator: fc.constantFrom(...COMBINATORS), parts: fc.oneof(fc.array(tie('schema'), { maxLength: 4 }), wrongType) }).map(({ combinator, parts }) => ({ [combinator]: parts })),
    fc.record({ properties: fc.oneof(fc.dictionary(fc.constantFrom('text', 'review', 'n', '__proto__', 'constructor', 'prototype'), tie('schema'), { maxKeys: 4 }), wrongType) }),
    fc.record({ $ref: wrongType }),
    wrongType,
  ),
}));

/** A schema nested `depth` levels under one keyword (no $ref): the depth limit, not the stack, must stop it. Kept as JSON text: printing or serialising the value would overflow the test's own stack. */
const deepSchema = fc.record({ depth: fc.integer({ min: 1, max: 3000 }), keyword: fc.constantFrom(...COMBINATORS, 'properties') }).map(({ depth, keyword }) => {
  const [open, close] = keyword === 'properties' ? ['{"properties":{"text":', '}}'] : [`{"${keyword}":[`, ']}'];
  return shownAs({ [RAW]: `${open.repeat(depth)}{"type":"string"}${close.repeat(depth)}` }, `${keyword} nested ${depth} deep`);
});

/** Marks a value as JSON text already written (see jsonText). */
const RAW = Symbol('raw JSON text');

/** JSON text of a generated document, with the RAW parts written as they are. */
function jsonText(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const raw = (value as { [RAW]?: string })[RAW];
  if (raw !== undefined) return raw;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  return `{${Object.entries(value).map(([key, child]) => `${JSON.stringify(key)}:${jsonText(child)}`).join(',')}}`;
}

/** A counterexample as fast-check prints it: the deep and huge values by their shape. */
function shownAs<T extends object>(value: T, description: string): T {
  return Object.assign(value, { [fc.toStringMethod]: () => `<${description}>` });
}

/** Each component all-of `width` copies of the next, `levels` deep: exponentially many visits without a budget. */
const fanOut = fc.record({ width: fc.integer({ min: 2, max: 12 }), levels: fc.integer({ min: 2, max: 40 }), combinator: fc.constantFrom(...COMBINATORS) }).map(({ width, levels, combinator }) => {
  const schemas: Record<string, unknown> = { [`F${levels}`]: { properties: { text: { type: 'string' } } } };
  for (let level = 0; level < levels; level += 1) schemas[`F${level}`] = { [combinator]: Array.from({ length: width }, () => ref(`F${level + 1}`)) };
  return schemas;
});

/** A huge enum: thousands of values in one schema. */
const hugeEnum = fc.integer({ min: 1000, max: 10_000 }).map((size) => shownAs({ type: 'string', enum: Array.from({ length: size }, (_, index) => `v${index}`) }, `enum of ${size}`));

/** What a POST body takes: any schema, or the deep, huge or fanned-out ones as the body or as its text field. */
const bodySchema = fc
  .tuple(fc.oneof(schema, deepSchema, hugeEnum, { arbitrary: fc.constantFrom(ref('F0'), ref('A')), weight: 2 }), fc.boolean())
  .map(([inner, asField]) => (asField ? { type: 'object', properties: { text: inner } } : inner));

const operation = fc.record(
  {
    requestBody: fc.oneof(
      { arbitrary: fc.record({ content: fc.record({ 'application/json': fc.record({ schema: bodySchema }) }) }), weight: 4 },
      fc.constantFrom(...NAMES).map((name) => ({ $ref: `#/components/requestBodies/${name}` })),
      wrongType,
    ),
    parameters: fc.oneof(fc.array(fc.oneof(fc.record({ name: fc.constantFrom('text', 'q'), in: fc.constantFrom('query', 'path'), schema }), wrongType), { maxLength: 3 }), wrongType),
  },
  { requiredKeys: [] },
);

/** A whole document: a few paths with POST and GET operations, and components that refer to each other. */
const document = fc
  .record({
    openapi: fc.constantFrom('3.1.0', '3.0.2'),
    paths: fc.oneof(
      { arbitrary: fc.record({ '/predict': fc.record({ post: operation }) }), weight: 3 },
      fc.dictionary(fc.constantFrom('/predict', '/analyze', '/', '/health', '/items/{id}', '/__proto__'), fc.record({ post: fc.oneof(operation, wrongType), get: fc.oneof(fc.constant({}), wrongType) }, { requiredKeys: [] }), { maxKeys: 4 }),
      wrongType,
    ),
    schemas: fc.dictionary(fc.constantFrom(...NAMES), fc.oneof({ arbitrary: schema, weight: 4 }, deepSchema, hugeEnum), { maxKeys: NAMES.length }),
    fanOut: fc.option(fanOut, { nil: undefined }),
  })
  .map(({ openapi, paths, schemas, fanOut: fanned }) => ({
    openapi,
    paths,
    components: {
      schemas: { ...fanned, ...schemas },
      requestBodies: Object.fromEntries(NAMES.map((name) => [name, { content: { 'application/json': { schema: ref(name) } } }])),
    },
  }));

/**
 * A document past the reader's bounds: the POST body's schema nested three times as deep as the
 * reader goes (OPENAPI_LIMITS.depth). Given as a case of its own, so the error branch is
 * exercised whatever the generator draws (its documents reach the bounds in most runs of 100
 * cases, not in all).
 */
const PAST_THE_BOUNDS = (() => {
  let nested: unknown = { type: 'string' };
  for (let level = 0; level < 3 * OPENAPI_LIMITS.depth; level += 1) nested = { allOf: [nested] };
  return {
    openapi: '3.1.0' as const,
    paths: { '/predict': { post: { requestBody: { content: { 'application/json': { schema: nested } } } } } },
    components: { schemas: {}, requestBodies: {} },
  };
})();

const params = labParams({ 'probe.retries': 0, 'probe.totalTimeoutMs': 5000 });
const fixture = completeLabWith(() => undefined);

let served = '{}';
let app: TestServer;
beforeAll(async () => {
  app = await startServer((request, body, response) => {
    if (request.url === '/openapi.json') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(served);
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(request.method === 'POST' ? JSON.stringify({ sentiment: /great|love/i.test(body) ? 'positive' : 'negative' }) : '{"status":"ok"}');
  });
});
afterAll(() => app.close());

describe('OpenAPI documents', () => {
  it('any document the app serves gives a grade: probes kept, snapshot saved and loaded', async () => {
    let notUnderstood = 0;
    await fc.assert(
      fc.asyncProperty(document, async (candidate) => {
        served = jsonText(candidate);
        const probes = await probeLab({ url: app.url, source: 'override' }, params, { allowPrivateAddresses: true, retryDelayMs: 1 });
        expect(probes.results.map((result) => result.id).slice(0, 4)).toEqual(['root', 'health', 'docs', 'openapi']);
        if (probes.openapiNotUnderstood !== undefined) notUnderstood += 1;
        // As the live path does before a snapshot is graded or saved.
        const saved = JSON.stringify(withoutCredentials({ ...fixture, probes }));
        const scorecard = grade({ rubric: labRubric, rubricFile: 'rubric.yaml', snapshot: parseSnapshot(saved, 'fuzz.json'), checks: checksById });
        const predicts = scorecard.sections.flatMap((section) => section.steps.flatMap((step) => step.checks)).find((check) => check.id === 'app.predicts-sentiment');
        // A document read within the bounds is judged; one that is not is error, never a failure of the app.
        expect(predicts?.status).toEqual(probes.openapiNotUnderstood === undefined ? expect.stringMatching(/^(pass|fail)$/) : 'error');
      }),
      { numRuns: RUNS, examples: [[PAST_THE_BOUNDS]] },
    );
    // The error branch is exercised too: by the document past the bounds, and by the generator's fan-out and deep nesting.
    expect(notUnderstood).toBeGreaterThan(0);
  });
});
