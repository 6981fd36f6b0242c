import { describe, expect, it } from 'vitest';
import { refusedHostReason, refusedReason } from '../../src/probe/address.js';
import { findPredictEndpoint, getEndpoints, OPENAPI_LIMITS, OpenApiNotUnderstood, parseOpenApi } from '../../src/probe/openapi.js';

describe('refusedReason', () => {
  it.each([
    '127.0.0.1',
    '10.0.3.57',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    // Special-purpose ranges an earlier list missed: each embeds or reaches a non-public address.
    '::7f00:1',
    '64:ff9b::7f00:1',
    '64:ff9b:1::1',
    '2002:7f00:1::1',
    '2001::1',
    '2001:db8::1',
    '100::1',
    '5f00::1',
    '198.18.0.1',
    '198.19.255.255',
    '192.0.0.8',
    '192.0.2.1',
    '203.0.113.9',
    '255.255.255.255',
  ])('refuses %s', (address) => {
    expect(refusedReason(address)).not.toBeNull();
  });

  it.each(['3.248.0.10', '172.32.0.1', '100.128.0.1', '198.20.0.1', '2a05:d018::1', '2001:4860::8888', '2003::1'])('allows public %s', (address) => {
    expect(refusedReason(address)).toBeNull();
  });
});

describe('refusedHostReason (decided before any lookup)', () => {
  it.each(['localhost', 'LOCALHOST', 'localhost.', 'app.localhost', '127.0.0.1', '::1'])('refuses %s without asking a resolver', (host) => {
    expect(refusedHostReason(host)).not.toBeNull();
  });

  it.each(['my-alb-123.eu-west-1.elb.amazonaws.com', 'localhost.example.com', 'notlocalhost', '3.248.0.10'])('leaves %s to its addresses', (host) => {
    expect(refusedHostReason(host)).toBeNull();
  });
});

const body = (schema: unknown) => ({ requestBody: { content: { 'application/json': { schema } } } });

describe('OpenAPI reading', () => {
  it('lists GET endpoints without path parameters', () => {
    const document = parseOpenApi(
      JSON.stringify({ openapi: '3.1.0', paths: { '/': { get: {} }, '/items/{id}': { get: {} }, '/predict': { post: {} }, '/stats': { get: {} } } }),
    );
    expect(document && getEndpoints(document)).toEqual(['/', '/stats']);
  });

  it('is not fooled by JSON that is not an OpenAPI document', () => {
    expect(parseOpenApi('{"paths": {}}')).toBeUndefined();
    expect(parseOpenApi('<html>')).toBeUndefined();
  });

  it('takes the only string field when none has a usual name, through allOf', () => {
    const document = {
      openapi: '3.0.2',
      paths: { '/classify': { post: body({ allOf: [{ $ref: '#/components/schemas/Base' }] }) } },
      components: { schemas: { Base: { properties: { utterance: { type: 'string' }, n: { type: 'integer' } } } } },
    };
    expect(findPredictEndpoint(document, '/openapi.json')).toEqual({
      path: '/classify',
      textField: 'utterance',
      foundBy: 'POST /classify in /openapi.json takes a JSON body with its only string field "utterance"',
    });
  });

  it('prefers a prediction-like path among several text endpoints, and a usual field name', () => {
    const document = {
      openapi: '3.1.0',
      paths: {
        '/notes': { post: body({ properties: { message: { type: 'string' } } }) },
        '/sentiment': { post: body({ properties: { author: { type: 'string' }, sentence: { type: 'string' } } }) },
      },
    };
    expect(findPredictEndpoint(document, '/openapi.json')).toMatchObject({ path: '/sentiment', textField: 'sentence' });
  });

  it("takes a string query parameter when no JSON body takes the text (FastAPI's def predict(text: str))", () => {
    const document = {
      openapi: '3.1.0',
      paths: {
        '/predict': { post: { parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer' } }, { name: 'text', in: 'query', required: true, schema: { type: 'string' } }] } },
      },
    };
    expect(findPredictEndpoint(document, '/openapi.json')).toEqual({
      path: '/predict',
      textField: 'text',
      textIn: 'query',
      foundBy: 'POST /predict in /openapi.json takes the text as query parameter "text"',
    });
  });

  it('finds nothing when no POST endpoint takes a string', () => {
    const document = { openapi: '3.1.0', paths: { '/predict': { post: body({ properties: { values: { type: 'array' } } }) } } };
    expect(findPredictEndpoint(document, '/openapi.json')).toBeNull();
  });
});

/** A document whose POST /predict takes `schema`, with `schemas` as its components. */
const withSchemas = (schema: unknown, schemas: Record<string, unknown>) => ({
  openapi: '3.1.0',
  paths: { '/predict': { post: body(schema) } },
  components: { schemas },
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe('OpenAPI reading is bounded: the document is the student\'s', () => {
  it.each(['allOf', 'anyOf', 'oneOf'])('a schema that is %s of itself reads as no text field, without recursing forever', (combinator) => {
    const document = withSchemas(ref('A'), { A: { [combinator]: [ref('A')] } });
    expect(findPredictEndpoint(document, '/openapi.json')).toBeNull();
  });

  it('a field whose schema refers back to its own object is read once: the cycle adds nothing', () => {
    const document = withSchemas(ref('A'), { A: { properties: { text: { anyOf: [ref('A'), { type: 'string' }] }, next: ref('A') }, allOf: [ref('B')] }, B: { allOf: [ref('A')] } });
    expect(findPredictEndpoint(document, '/openapi.json')).toMatchObject({ path: '/predict', textField: 'text' });
  });

  it('a loop of $refs that never reaches a schema, and $refs into the prototype, read as nothing', () => {
    const document = withSchemas(ref('A'), { A: ref('B'), B: ref('A'), C: { $ref: '#/__proto__' }, D: { $ref: '#/constructor/prototype' } });
    expect(findPredictEndpoint(document, '/openapi.json')).toBeNull();
    expect(findPredictEndpoint(withSchemas({ properties: { text: ref('C'), review: ref('D') } }, document.components.schemas), '/openapi.json')).toBeNull();
  });

  it('a recursive tree of reviews, as a real app may have, still finds its text field', () => {
    const document = withSchemas(ref('Review'), { Review: { type: 'object', properties: { review: { type: 'string' }, replies: { type: 'array', items: ref('Review') } } } });
    expect(findPredictEndpoint(document, '/openapi.json')).toMatchObject({ textField: 'review' });
  });

  it('schemas that fan out exponentially (each all-of ten copies of the next) are refused by the step budget, quickly', () => {
    const schemas: Record<string, unknown> = { S20: { properties: { text: { type: 'integer' } } } };
    for (let level = 0; level < 20; level += 1) schemas[`S${level}`] = { allOf: Array.from({ length: 10 }, () => ref(`S${level + 1}`)) };
    // Without the budget, 10^20 schema visits: the test would never end.
    expect(() => findPredictEndpoint(withSchemas(ref('S0'), schemas), '/openapi.json')).toThrow(OpenApiNotUnderstood);
    expect(() => findPredictEndpoint(withSchemas(ref('S0'), schemas), '/openapi.json')).toThrow(`takes more than ${OPENAPI_LIMITS.steps} steps`);
  });

  it('schemas nested a thousand deep are refused by the depth limit, not the stack', () => {
    let schema: unknown = { type: 'string' };
    for (let level = 0; level < 1000; level += 1) schema = { anyOf: [schema] };
    const document = withSchemas({ properties: { text: schema } }, {});
    expect(() => findPredictEndpoint(document, '/openapi.json')).toThrow(`nest more than ${OPENAPI_LIMITS.depth} deep`);
  });

  it('a chain of $refs longer than the step budget is refused', () => {
    const schemas: Record<string, unknown> = {};
    for (let index = 0; index < OPENAPI_LIMITS.steps; index += 1) schemas[`R${index}`] = ref(`R${index + 1}`);
    schemas[`R${OPENAPI_LIMITS.steps}`] = { properties: { text: { type: 'string' } } };
    expect(() => findPredictEndpoint(withSchemas(ref('R0'), schemas), '/openapi.json')).toThrow(OpenApiNotUnderstood);
  });

  it('wrong types anywhere read as nothing rather than throwing', () => {
    for (const wrong of [null, 5, 'x', [], [null], { properties: [] }, { allOf: {} }, { anyOf: 'string' }, { type: ['string'] }, { $ref: 5 }, { properties: { text: null } }]) {
      expect(() => findPredictEndpoint(withSchemas(wrong, {}), '/openapi.json')).not.toThrow();
      expect(() => findPredictEndpoint({ openapi: '3.1.0', paths: { '/p': { post: { parameters: wrong, requestBody: wrong } } } }, '/openapi.json')).not.toThrow();
    }
  });

  it('a property named __proto__ is a field like any other', () => {
    const document = withSchemas(JSON.parse('{"allOf": [{"properties": {"__proto__": {"type": "string"}, "constructor": {"type": "integer"}}}]}'), {});
    expect(findPredictEndpoint(document, '/openapi.json')).toMatchObject({ textField: '__proto__' });
  });
});
