import { describe, expect, it } from 'vitest';
import { refusedReason } from '../../src/probe/address.js';
import { findPredictEndpoint, getEndpoints, parseOpenApi } from '../../src/probe/openapi.js';

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
