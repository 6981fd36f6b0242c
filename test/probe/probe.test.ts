import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appChecks } from '../../checks/app/index.js';
import predictsSentiment from '../../checks/app/predicts-sentiment.js';
import albResponds from '../../checks/app/alb-responds.js';
import { NO_TARGET, probeLab, type ProbeOptions } from '../../src/probe/index.js';
import type { Probes } from '../../src/snapshot/types.js';
import { scanSubmission } from '../../src/submission/scan.js';
import { completeLabWith, labParams, runCheck } from '../support/fixtures.js';
import { json, startServer, type Handler, type TestServer } from './servers.js';

const params = labParams({
  'probe.connectTimeoutMs': 500,
  'probe.totalTimeoutMs': 1500,
  'probe.retries': 3,
  'probe.bodyCapBytes': 64 * 1024,
});
const local = { allowPrivateAddresses: true, retryDelayMs: 5 };

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function probe(handler: Handler, overrides = params, options: ProbeOptions = local): Promise<Probes> {
  server = await startServer(handler);
  return probeLab({ url: server.url, source: 'override' }, overrides, options);
}

function result(probes: Probes, id: string) {
  const found = probes.results.find((item) => item.id === id);
  if (!found) throw new Error(`no probe result ${id} in ${probes.results.map((item) => item.id).join(', ')}`);
  return found;
}

/** A FastAPI-like app with its own path and field names, as students write them. */
const reviewApp: Handler = (request, body, response) => {
  const routes: Record<string, () => void> = {
    'GET /': () => json(response, 200, { message: 'Review sentiment service' }),
    'GET /health': () => json(response, 200, { status: 'healthy' }),
    'GET /version': () => json(response, 200, { version: '1.2.0' }),
    'GET /docs': () => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!DOCTYPE html><title>Reviews - Swagger UI</title>');
    },
    'GET /openapi.json': () =>
      json(response, 200, {
        openapi: '3.1.0',
        info: { title: 'Reviews', version: '1.2.0' },
        paths: {
          '/': { get: { summary: 'Root' } },
          '/health': { get: { summary: 'Health' } },
          '/version': { get: { summary: 'Version' } },
          '/reviews/{review_id}': { get: { summary: 'One review' } },
          '/feedback': { post: { requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { stars: { type: 'integer' } } } } } } } },
          '/analyze': {
            post: {
              requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/ReviewIn' } } }, required: true },
            },
          },
        },
        components: {
          schemas: {
            ReviewIn: {
              type: 'object',
              properties: { language: { anyOf: [{ type: 'string' }, { type: 'null' }] }, review: { type: 'string' } },
              required: ['review'],
            },
          },
        },
      }),
    'POST /analyze': () => {
      const review = (JSON.parse(body) as { review?: string }).review;
      if (typeof review !== 'string') return json(response, 422, { detail: 'review is required' });
      const positive = /love|fantastic|great|wonderful/i.test(review);
      return json(response, 200, { sentiment: positive ? 'POSITIVE' : 'NEGATIVE', confidence: positive ? 0.97 : 0.93 });
    },
  };
  const route = routes[`${request.method} ${request.url}`];
  if (route) route();
  else json(response, 404, { detail: 'Not Found' });
};

describe('probeLab against real local servers', () => {
  it('tells onProbe of every request as it ends, for the progress line and --verbose', async () => {
    const seen: string[] = [];
    const probes = await probe(reviewApp, params, { ...local, onProbe: (ended) => seen.push(ended.id) });
    expect(seen.sort()).toEqual(probes.results.map((ended) => ended.id).sort());
    expect(seen.length).toBeGreaterThan(4);
  });

  it('gives a FastAPI-like app with its own field names full credit, end to end', async () => {
    const probes = await probe(reviewApp);
    expect(probes.target).toEqual({ url: server?.url, source: 'override' });
    expect(probes.predictEndpoint).toMatchObject({ path: '/analyze', textField: 'review' });
    expect(probes.predictEndpoint?.foundBy).toContain('/openapi.json');
    expect(probes.results.map((item) => item.id)).toEqual([
      'root',
      'health',
      'docs',
      'openapi',
      'predict.positive.1',
      'predict.positive.2',
      'predict.negative.1',
      'predict.negative.2',
      'get:/',
      'get:/health',
      'get:/version',
    ]);
    expect(result(probes, 'predict.negative.1').requestBody).toBe(JSON.stringify({ review: params.probe.negativeTexts[0] }));
    expect(result(probes, 'predict.positive.1').bodyExcerpt).toContain('POSITIVE');

    const dir = await mkdtemp(join(tmpdir(), 'submission-'));
    try {
      await mkdir(join(dir, 'tests'));
      await writeFile(
        join(dir, 'tests', 'test_api.py'),
        'import requests\nBASE = "http://my-alb.example.com"\n\ndef test_analyze():\n    r = requests.post(f"{BASE}/analyze", json={"review": "great"})\n    assert r.status_code == 200\n',
      );
      const submission = await scanSubmission(dir);
      const snapshot = completeLabWith((s) => {
        s.probes = probes;
      });
      for (const check of appChecks) {
        expect({ id: check.id, ...runCheck(check, snapshot, { submission }) }).toMatchObject({ id: check.id, status: 'pass', fraction: 1 });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("an OpenAPI document too tangled to read keeps every probe, and only the prediction check is error, naming why", async () => {
    // Each schema all-of ten copies of the next, 30 deep: exponentially many visits without a budget.
    const schemas: Record<string, unknown> = { S30: { properties: { review: { type: 'string' } } } };
    for (let level = 0; level < 30; level += 1) schemas[`S${level}`] = { allOf: Array.from({ length: 10 }, () => ({ $ref: `#/components/schemas/S${level + 1}` })) };
    const tangled: Handler = (request, body, response) => {
      if (request.url !== '/openapi.json') return reviewApp(request, body, response);
      return json(response, 200, {
        openapi: '3.1.0',
        paths: { '/': { get: {} }, '/health': { get: {} }, '/analyze': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/S0' } } } } } } },
        components: { schemas },
      });
    };
    const probes = await probe(tangled);
    expect(probes.openapiNotUnderstood).toMatch(/^reading its schemas takes more than \d+ steps$/);
    expect(probes.predictEndpoint).toBeNull();
    expect(probes.results.map((item) => item.id)).toEqual(['root', 'health', 'docs', 'openapi', 'get:/', 'get:/health']);
    const snapshot = completeLabWith((s) => {
      s.probes = probes;
    });
    expect(runCheck(predictsSentiment, snapshot)).toMatchObject({
      status: 'error',
      cause: expect.stringContaining("the app's OpenAPI document could not be read: reading its schemas takes more than"),
    });
    expect(runCheck(albResponds, snapshot).status).toBe('pass');
  });

  it('records a total timeout as an error and does not go on probing a silent app', async () => {
    const probes = await probe(() => undefined, labParams({ 'probe.totalTimeoutMs': 300, 'probe.connectTimeoutMs': 300 }));
    expect(result(probes, 'root').error?.code).toBe('timeout');
    expect(result(probes, 'root').attempts).toBe(1);
    expect(probes.results).toHaveLength(4);
    expect(probes.skipped).toContain('no request got an answer (timeout');
    const verdict = runCheck(albResponds, completeLabWith((s) => void (s.probes = probes)));
    expect(verdict.status).toBe('fail');
    expect(verdict.hint).toContain('security group');
  });

  it('retries 502 with backoff until the warming ALB answers', async () => {
    const seen = new Map<string, number>();
    const probes = await probe((request, body, response) => {
      const count = (seen.get(request.url ?? '') ?? 0) + 1;
      seen.set(request.url ?? '', count);
      if (count <= 2) return json(response, 502, { message: 'Bad Gateway' });
      return reviewApp(request, body, response);
    });
    expect(result(probes, 'health')).toMatchObject({ status: 200, attempts: 3 });
    // Three attempts of `health`, then one `get:/health` from the OpenAPI document.
    expect(server?.requests.filter((line) => line === 'GET /health')).toHaveLength(4);
  });

  it('gives up after the configured retries and records the last status', async () => {
    const probes = await probe((_request, _body, response) => json(response, 503, {}), labParams({ 'probe.retries': 1 }));
    expect(result(probes, 'root')).toMatchObject({ status: 503, attempts: 2 });
  });

  it('refuses a redirect to another host without following it, and follows one on the same host', async () => {
    const probes = await probe((request, body, response) => {
      if (request.url === '/') {
        response.writeHead(302, { location: 'http://example.com/landing' });
        return response.end();
      }
      if (request.url === '/docs') {
        response.writeHead(307, { location: '/docs/' });
        return response.end();
      }
      if (request.url === '/docs/') return json(response, 200, { docs: true });
      return reviewApp(request, body, response);
    });
    expect(result(probes, 'root')).toMatchObject({ status: 302, error: { code: 'redirect-off-origin' } });
    expect(result(probes, 'root').error?.message).toContain('http://example.com');
    expect(result(probes, 'docs')).toMatchObject({ status: 200 });
    expect(server?.requests).toContain('GET /docs/');
  });

  it('caps a 50 MB body: reads up to the cap, marks it truncated, and stops the transfer', async () => {
    // Bytes the server got into the socket, per response to `/` (probed as `root` and `get:/`).
    const written: number[] = [];
    let finished = 0;
    const fifty = 50 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const probes = await probe((request, body, response) => {
      if (request.url !== '/') return reviewApp(request, body, response);
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': fifty });
      const index = written.push(0) - 1;
      const pump = (): void => {
        while ((written[index] as number) < fifty) {
          written[index] = (written[index] as number) + chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        finished += 1;
        response.end();
      };
      pump();
    });
    const root = result(probes, 'root');
    expect(root).toMatchObject({ status: 200, truncated: true, bodyBytes: params.probe.bodyCapBytes });
    expect(root.bodyExcerpt.length).toBeLessThanOrEqual(4096);
    expect(written.length).toBe(2);
    expect(finished).toBe(0);
    for (const bytes of written) expect(bytes).toBeLessThan(fifty / 4);
  });

  it('fails app.predicts-sentiment with a hint when every text gets the same label', async () => {
    const probes = await probe((request, body, response) => {
      if (request.method === 'POST' && request.url === '/analyze') return json(response, 200, { sentiment: 'POSITIVE', confidence: 0.51 });
      return reviewApp(request, body, response);
    });
    const verdict = runCheck(predictsSentiment, completeLabWith((s) => void (s.probes = probes)));
    expect(verdict.status).toBe('fail');
    expect(verdict.hint).toContain('"positive" for both positive and negative texts');
  });

  it('falls back to POST /predict {"text"} when the app publishes no OpenAPI document', async () => {
    const probes = await probe((request, body, response) => {
      if (request.url === '/openapi.json') return json(response, 404, { detail: 'Not Found' });
      if (request.method === 'POST' && request.url === '/predict') {
        const { text } = JSON.parse(body) as { text: string };
        return json(response, 200, { label: /love|fantastic/.test(text) ? 'pos' : 'neg' });
      }
      return reviewApp(request, body, response);
    });
    expect(probes.predictEndpoint).toMatchObject({ path: '/predict', textField: 'text' });
    expect(probes.predictEndpoint?.foundBy).toContain('no OpenAPI document');
    expect(runCheck(predictsSentiment, completeLabWith((s) => void (s.probes = probes))).status).toBe('pass');
  });

  it('sends the text as a query parameter when that is how the app takes it', async () => {
    const probes = await probe((request, body, response) => {
      const url = new URL(request.url ?? '/', 'http://app.example.com');
      if (url.pathname === '/openapi.json') {
        return json(response, 200, {
          openapi: '3.1.0',
          paths: { '/predict': { post: { parameters: [{ name: 'text', in: 'query', required: true, schema: { type: 'string' } }] } } },
        });
      }
      if (request.method === 'POST' && url.pathname === '/predict') {
        return json(response, 200, { label: /love|fantastic/.test(url.searchParams.get('text') ?? '') ? 'POSITIVE' : 'NEGATIVE' });
      }
      return reviewApp(request, body, response);
    });
    expect(probes.predictEndpoint).toMatchObject({ path: '/predict', textField: 'text', textIn: 'query' });
    expect(result(probes, 'predict.positive.1')).toMatchObject({ status: 200 });
    expect(result(probes, 'predict.positive.1').requestBody).toBeUndefined();
    expect(runCheck(predictsSentiment, completeLabWith((s) => void (s.probes = probes))).status).toBe('pass');
  });

  it('refuses 127.0.0.1, localhost, [::1] and the metadata address without allowPrivateAddresses: nothing is sent', async () => {
    const byAddress = await probe(reviewApp, params, { allowPrivateAddresses: false, retryDelayMs: 5 });
    expect(byAddress.results.map((item) => item.error?.code)).toEqual(Array(4).fill('refused-address'));
    expect(byAddress.skipped).toContain('loopback, private, link-local');
    const port = new URL(server?.url ?? '').port;
    // Refused by its name, before any lookup: a slow resolver on a loaded machine cannot turn it into a connect timeout.
    const byName = await probeLab({ url: `http://localhost:${port}`, source: 'override' }, params, { retryDelayMs: 5 });
    expect(byName.results.map((item) => item.error?.code)).toEqual(Array(4).fill('refused-address'));
    expect(byName.results[0]?.error?.message).toContain('names the loopback interface');
    const metadata = await probeLab({ url: 'http://169.254.169.254', source: 'override' }, params, { retryDelayMs: 5 });
    expect(metadata.results.map((item) => item.error?.code)).toEqual(Array(4).fill('refused-address'));
    const ipv6 = await probeLab({ url: `http://[::1]:${port}`, source: 'override' }, params, { retryDelayMs: 5 });
    expect(ipv6.results.map((item) => item.error?.code)).toEqual(Array(4).fill('refused-address'));
    expect(server?.requests).toEqual([]);
    // The grader's own safety rule is not the student's miss.
    expect(runCheck(albResponds, completeLabWith((s) => void (s.probes = byAddress))).status).toBe('error');
  });

  it('skips with a clear reason when there is no target', async () => {
    expect(await probeLab(null, params)).toEqual({ target: null, skipped: NO_TARGET, results: [] });
  });
});

describe('stopping the probes', () => {
  it('sends nothing once stopped, and ends the requests in flight without a retry', async () => {
    const seen: string[] = [];
    const stopped = new AbortController();
    stopped.abort();
    await probe((request, _body, response) => {
      seen.push(request.url ?? '');
      json(response, 200, {});
    }, params, { ...local, signal: stopped.signal });
    expect(seen).toEqual([]);

    await server?.close();
    const stop = new AbortController();
    // An app that never answers: the probe would wait its whole timeout (1.5 s) and retry.
    const probes = probe((request) => {
      seen.push(request.url ?? '');
      if (seen.length === 1) stop.abort();
    }, params, { ...local, signal: stop.signal });
    const { results } = await probes;
    expect(seen.length).toBeGreaterThan(0);
    expect(results.every((item) => item.status === undefined)).toBe(true);
    expect(results.every((item) => item.attempts <= 1)).toBe(true);
  });
});
