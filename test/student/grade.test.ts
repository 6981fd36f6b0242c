// One student's grade, composed once: a live grade resolves the lab once and derives the
// params once (both counted), and `watch` grades through the same composition with its
// --quiet and --timeout. The account is mocked; the app is a real server on 127.0.0.1.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchCommand } from '../../src/cli/commands/watch.js';
import { mockAccount, type MockedAccount } from '../collect/mock-account.js';
import { neverAnswering } from '../hostile/servers.js';
import { json, startServer, type TestServer } from '../probe/servers.js';
import { stubTestCredentials } from '../support/aws-env.js';
import { root } from '../support/cli.js';
import { example } from '../support/fixtures.js';

let app: TestServer;
let account: MockedAccount | undefined;
let stdout: string[];

beforeAll(async () => {
  // The lab's app, answering its health check; the rest of its endpoints are missing.
  app = await startServer((request, _body, response) => (request.url === '/health' ? json(response, 200, { status: 'ok' }) : json(response, 404, { detail: 'Not Found' })));
});
afterAll(async () => {
  await app?.close();
});
beforeEach(() => {
  stubTestCredentials();
  stdout = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((text) => {
    stdout.push(String(text));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  account?.restore();
  account = undefined;
});

const common = { param: [], color: false, region: 'eu-west-1' };

describe('a live grade', { timeout: 60_000 }, () => {
  it('resolves the lab once and derives the params once, and its saved snapshot regrades to the same scorecard', async () => {
    // In a process of its own, where counting-hooks.mjs wraps the resolver and the params
    // derivation inside their modules: every caller is counted, whatever the test files share.
    const script = join(root, 'test/student/live-grade-counts.ts');
    const output = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', '--import', './test/student/counting-hooks.mjs', script], { cwd: root }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    expect(JSON.parse(output)).toEqual({
      live: { resolveLab: 1, paramsFor: 1 },
      liveCode: 0,
      // The one resolution chose the probe target: the app was asked.
      probed: true,
      regrade: { resolveLab: 1, paramsFor: 1 },
      regradeCode: 0,
      same: true,
    });
  });
});

describe('watch, through the same composition', { timeout: 60_000 }, () => {
  it('--quiet prints one line a round with what changed', async () => {
    account = mockAccount(example('complete-lab'));
    const code = await watchCommand({ ...common, interval: 1, rounds: 2, quiet: true, albUrl: app.url });
    expect(code).toBe(0);
    const lines = stdout.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('Round 1: first look at the account.');
    expect(lines[1]).toMatch(/^Round 2: no change since round 1; total \d+\.\d\d\/10\.00 \(±0\.00\), bonus \d\.\d\d\/1\.00 \(±0\.00\)\.$/);
  });

  it('--timeout bounds each round: what is not read by then is an error, and the round is still shown', async () => {
    const stalled = await neverAnswering();
    try {
      vi.stubEnv('AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', stalled.url);
      account = mockAccount(example('complete-lab'));
      account.logs.restore();
      const code = await watchCommand({ ...common, interval: 1, rounds: 1, timeout: 1, compact: true, albUrl: app.url });
      expect(code).toBe(0);
      expect(stalled.connections()).toBeGreaterThan(0);
      const frame = stdout.join('');
      expect(frame).toContain('Round 1: first look at the account.');
      expect(frame).toMatch(/DeadlineExceeded/);
    } finally {
      await stalled.close();
    }
  });
});
