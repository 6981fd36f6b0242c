// Measures the probes against local servers and prints the numbers (run: npx tsx test/probe/measure.ts).
// It asserts nothing: timings depend on the machine.
import { probeLab } from '../../src/probe/index.js';
import { labParams } from '../support/fixtures.js';
import { json, startServer } from './servers.js';

const params = labParams();
const local = { allowPrivateAddresses: true };

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const result = await run();
  const ms = performance.now() - started;
  const rssGrowth = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
  console.log(`${label}: ${ms.toFixed(0)} ms, RSS growth ${rssGrowth.toFixed(1)} MiB`);
  return result;
}

const app = await startServer((request, body, response) => {
  if (request.url === '/openapi.json') {
    return json(response, 200, {
      openapi: '3.1.0',
      paths: { '/': { get: {} }, '/health': { get: {} }, '/predict': { post: { requestBody: { content: { 'application/json': { schema: { properties: { text: { type: 'string' } } } } } } } } },
    });
  }
  if (request.url === '/predict') return json(response, 200, { prediction: /love|fantastic/.test(body) ? 'positive' : 'negative' });
  return json(response, 200, { ok: true });
});
const full = await timed('full probe of a healthy app (4 + 2 GET + 4 predict requests)', () => probeLab({ url: app.url, source: 'override' }, params, local));
console.log(`  ${full.results.length} results, slowest ${Math.max(...full.results.map((r) => r.latencyMs))} ms`);
await app.close();

const fifty = 50 * 1024 * 1024;
const chunk = Buffer.alloc(64 * 1024, 'a');
const writtenPerResponse: number[] = [];
const big = await startServer((_request, _body, response) => {
  response.writeHead(200, { 'content-length': fifty });
  let written = 0;
  const index = writtenPerResponse.push(0) - 1;
  response.on('close', () => (writtenPerResponse[index] = written));
  const pump = (): void => {
    while (written < fifty) {
      written += chunk.length;
      if (!response.write(chunk)) return void response.once('drain', pump);
    }
    response.end();
  };
  pump();
});
const capped = await timed(`50 MiB bodies on every path, cap ${params.probe.bodyCapBytes / 1024} KiB`, () => probeLab({ url: big.url, source: 'override' }, params, local));
console.log(`  root: ${capped.results[0]?.bodyBytes} bytes kept, truncated=${capped.results[0]?.truncated}; ${writtenPerResponse.length} responses; the server got at most ${(Math.max(...writtenPerResponse) / 1024 / 1024).toFixed(1)} MiB of one into the socket before the probe hung up`);
await big.close();

let calls = 0;
const warming = await startServer((_request, _body, response) => json(response, ++calls <= 8 ? 502 : 200, {}));
await timed('ALB warming up (502 twice on each of 4 paths), default backoff', () => probeLab({ url: warming.url, source: 'override' }, params, local));
await warming.close();

const silent = await startServer(() => undefined);
await timed(`silent app, total timeout ${params.probe.totalTimeoutMs} ms`, () => probeLab({ url: silent.url, source: 'override' }, params, local));
await silent.close();
