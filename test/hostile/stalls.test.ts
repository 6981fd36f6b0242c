// AWS endpoints that accept a connection and never answer, and a student whose collection
// never ends: every wait has a deadline, what is missing becomes `error`, reports are written.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checksById } from '../../checks/index.js';
import { createClients } from '../../src/aws/clients.js';
import { parseRoster } from '../../src/batch/roster.js';
import { runBatch } from '../../src/batch/runner.js';
import { collectSnapshot } from '../../src/collect/index.js';
import { grade } from '../../src/grade/engine.js';
import { readLiveAccount } from '../../src/live/index.js';
import { loadRubric } from '../../src/rubric/load.js';
import { mockAccount, type MockedAccount } from '../collect/mock-account.js';
import { root } from '../support/cli.js';
import { example, labParams } from '../support/fixtures.js';
import { stubTestCredentials } from '../support/aws-env.js';
import { readGradebook } from '../batch/support.js';
import { neverAnswering } from './servers.js';

const rubric = loadRubric(join(root, 'rubric.yaml'), 'rubric.yaml');

let stalled: Awaited<ReturnType<typeof neverAnswering>> | undefined;
let account: MockedAccount | undefined;
beforeEach(() => {
  stubTestCredentials();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  account?.restore();
  account = undefined;
  await stalled?.close();
  stalled = undefined;
});

/** The complete lab's account, except that CloudWatch Logs goes to a server that never answers. */
async function accountWithStalledLogs(): Promise<void> {
  stalled = await neverAnswering();
  vi.stubEnv('AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', stalled.url);
  account = mockAccount(example('complete-lab'));
  account.logs.restore();
}

describe('a stalled AWS endpoint', () => {
  it('fails each call at its request timeout (throwOnRequestTimeout), records it on the fact, and collects the rest', async () => {
    await accountWithStalledLogs();
    const clients = createClients({ region: 'eu-west-1', maxAttempts: 1, requestTimeoutMs: 300 });
    try {
      const snapshot = await collectSnapshot({ params: labParams(), region: 'eu-west-1', clients });
      expect(stalled?.connections()).toBeGreaterThan(0);
      expect(snapshot.facts.logGroups).toMatchObject({ ok: false, error: { call: 'logs:DescribeLogGroups', code: 'TimeoutError' } });
      expect(snapshot.facts.vpcs).toEqual(example('complete-lab').facts.vpcs);
    } finally {
      clients.destroy();
    }
  });

  it('stops at the grade deadline (--timeout): the unread facts are errors and the scorecard is still made', async () => {
    await accountWithStalledLogs();
    let probeBudget: number | undefined;
    // The SDK's own default timeout (30 s) would come far later than this deadline.
    const { snapshot } = await readLiveAccount({
      params: labParams(),
      region: 'eu-west-1',
      deadline: Date.now() + 700,
      probe: async (target, _params, options) => {
        probeBudget = options?.budgetMs;
        return { target, results: [] };
      },
    });
    expect(snapshot.facts.logGroups).toMatchObject({ ok: false, error: { code: 'DeadlineExceeded', message: expect.stringContaining('--timeout') } });
    expect(probeBudget).toBeLessThanOrEqual(0);
    const scorecard = grade({ rubric, rubricFile: 'rubric.yaml', snapshot, checks: checksById });
    const logs = scorecard.sections.flatMap((section) => section.steps).flatMap((step) => step.checks).filter((check) => check.cause?.includes('DeadlineExceeded'));
    expect(logs.length).toBeGreaterThan(0);
    for (const check of logs) expect(check.status).toBe('error');
  });
});

describe('a batch student that never finishes', () => {
  it('is recorded as failed at the student deadline; the others are graded and the gradebook is written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-grader-stall-'));
    try {
      const snapshotFile = join(dir, 'ok.json');
      await writeFile(snapshotFile, JSON.stringify(example('complete-lab')));
      const roster = parseRoster(
        `students:\n  - id: stuck\n    awsProfile: nowhere\n  - id: fine\n    snapshot: ${snapshotFile}\n`,
        join(dir, 'roster.yaml'),
      );
      const deadlines: (number | undefined)[] = [];
      const result = await runBatch({
        roster,
        rubric,
        rubricFile: 'rubric.yaml',
        outDir: join(dir, 'out'),
        concurrency: 2,
        force: false,
        formats: ['html'],
        studentTimeoutMs: 300,
        collect: (_student, context) => {
          deadlines.push(context.deadline);
          return new Promise(() => undefined);
        },
      });
      expect(deadlines[0]).toBeGreaterThan(Date.now() - 5000);
      expect(result.outcomes.map((outcome) => [outcome.student.id, outcome.status])).toEqual([
        ['stuck', 'error'],
        ['fine', 'ok'],
      ]);
      expect(result.outcomes[0]!.error).toBe('student stuck did not finish within 0.3 s (--student-timeout); grade this student again on their own');
      const gradebook = readGradebook(await readFile(result.gradebook, 'utf8'));
      expect(gradebook.rows.map((row) => row.student)).toEqual(['stuck', 'fine']);
      expect(await readdir(join(dir, 'out', 'stuck'))).toEqual(['error.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
