// Hostile apps behind the probe target: slow 502s on many endpoints, redirects to another
// port. The probe budget bounds them; what the budget cut off is the grader's, not a fail.
import { afterEach, describe, expect, it } from 'vitest';
import predictsSentiment from '../../checks/app/predicts-sentiment.js';
import { probeLab } from '../../src/probe/index.js';
import { MAX_GET_ENDPOINTS } from '../../src/probe/openapi.js';
import { completeLabWith, labParams, runCheck } from '../support/fixtures.js';
import { json, startServer, type TestServer } from '../probe/servers.js';
import { slow502App } from './servers.js';

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

describe('probe budget', () => {
  it('stops a slow-502 app with 20 endpoints at the budget: retries count against it, the rest is not sent', async () => {
    const server = await startServer(slow502App(MAX_GET_ENDPOINTS, 150));
    servers.push(server);
    const budgetMs = 1200;
    const params = labParams({ 'probe.totalTimeoutMs': 1000, 'probe.retries': 3, 'probe.budgetMs': budgetMs });
    const probes = await probeLab({ url: server.url, source: 'override' }, params, { allowPrivateAddresses: true, retryDelayMs: 50 });

    const sent = probes.results.filter((result) => result.attempts > 0);
    const unsent = probes.results.filter((result) => result.attempts === 0);
    expect(unsent.length).toBeGreaterThan(0);
    for (const result of unsent) expect(result.error).toMatchObject({ code: 'budget-spent' });
    // Requests the server saw: the attempts of the sent probes (a last attempt the budget cut
    // within a millisecond may never arrive), and nothing for the unsent ones.
    const attempts = sent.reduce((sum, result) => sum + result.attempts, 0);
    expect(server.requests.length).toBeLessThanOrEqual(attempts);
    expect(server.requests.length).toBeGreaterThanOrEqual(attempts - sent.length);
    const sentPaths = new Set(sent.map((result) => new URL(result.url).pathname));
    for (const request of server.requests.filter((line) => !line.endsWith('/openapi.json'))) expect(sentPaths).toContain(request.split(' ')[1]);
    // The recorded time is the whole time: each retried 502 took at least its attempts' delays and backoff.
    for (const result of sent.filter((item) => item.status === 502 && item.attempts > 1)) {
      expect(result.latencyMs).toBeGreaterThanOrEqual(result.attempts * 150 + 50 * (2 ** (result.attempts - 1) - 1) - 5);
    }
    // Predictions are sent before the extra GETs, so the points are probed first.
    const order = probes.results.map((result) => result.id);
    expect(order.findIndex((id) => id.startsWith('predict.'))).toBeLessThan(order.findIndex((id) => id.startsWith('get:')));
  });

  it('makes a prediction the budget never sent an error, not a fail', async () => {
    const server = await startServer(slow502App(MAX_GET_ENDPOINTS, 100));
    servers.push(server);
    // Spent by the first wave: what follows is cut short or not sent at all.
    const params = labParams({ 'probe.totalTimeoutMs': 1000, 'probe.retries': 0, 'probe.budgetMs': 150 });
    const probes = await probeLab({ url: server.url, source: 'override' }, params, { allowPrivateAddresses: true, retryDelayMs: 10 });
    const predictions = probes.results.filter((result) => result.id.startsWith('predict.'));
    expect(predictions.length).toBeGreaterThan(0);
    for (const prediction of predictions) expect(prediction.error?.code).toBe('budget-spent');
    expect(runCheck(predictsSentiment, completeLabWith((s) => void (s.probes = probes))).status).toBe('error');
  });
});

describe('redirects', () => {
  it('does not follow a redirect to another port of the same host', async () => {
    const other = await startServer((_request, _body, response) => json(response, 200, { other: true }));
    servers.push(other);
    const otherPort = new URL(other.url).port;
    const server = await startServer((request, _body, response) => {
      response.writeHead(302, { location: `http://127.0.0.1:${otherPort}/landing` });
      response.end();
    });
    servers.push(server);
    const probes = await probeLab({ url: server.url, source: 'override' }, labParams({ 'probe.retries': 0 }), { allowPrivateAddresses: true });
    expect(probes.results[0]).toMatchObject({ id: 'root', status: 302, error: { code: 'redirect-off-origin' } });
    expect(other.requests).toEqual([]);
  });
});
