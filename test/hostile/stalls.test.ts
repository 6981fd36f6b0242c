// AWS endpoints that accept a connection and never answer, and a student whose collection
// never ends: every wait has a deadline, what is missing becomes `error`, reports are written.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checksById } from '../../checks/index.js';
import { CREDENTIAL_CHECK_ATTEMPTS, createClients } from '../../src/aws/clients.js';
import { AwsAccessError } from '../../src/errors.js';
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
    const started = Date.now();
    const deadline = started + 700;
    // The SDK's own default timeout (30 s) would come far later than this deadline.
    const { snapshot } = await readLiveAccount({
      params: labParams(),
      region: 'eu-west-1',
      deadline,
      probe: async (target, _params, options) => {
        // The probes start while the stalled calls wait: their budget is at most what is left of the
        // deadline (compared with the deadline's whole window, as a clock read here would run later
        // than the one the budget was taken from).
        probeBudget = options?.budgetMs ?? Infinity;
        return { target, results: [] };
      },
    });
    expect(snapshot.facts.logGroups).toMatchObject({ ok: false, error: { code: 'DeadlineExceeded', message: expect.stringContaining('--timeout') } });
    expect(probeBudget).toBeLessThanOrEqual(deadline - started);
    const scorecard = grade({ rubric, rubricFile: 'rubric.yaml', snapshot, checks: checksById });
    const logs = scorecard.sections.flatMap((section) => section.steps).flatMap((step) => step.checks).filter((check) => check.cause?.includes('DeadlineExceeded'));
    expect(logs.length).toBeGreaterThan(0);
    for (const check of logs) expect(check.status).toBe('error');
  });
});

/** The credentials check's documented bound: an endpoint that does not answer is named within this. */
const FIRST_CALL_DEADLINE_MS = 20_000;

/** Runs the CLI in a pseudo-terminal (util-linux `script`), as a student's shell would: the progress line is drawn. */
function cliInTerminal(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string; chunks: { at: number; text: string }[] }> {
  const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, '--import', import.meta.resolve('tsx'), join(root, 'src/cli/main.ts'), ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', `stty cols 160 rows 40; exec ${command}`, '/dev/null'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: { at: number; text: string }[] = [];
    const take = (chunk: Buffer) => chunks.push({ at: performance.now(), text: chunk.toString() });
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error) => reject(new Error(`the test needs util-linux's \`script\` (Debian: bsdutils) for a pseudo-terminal: ${error.message}`)));
    child.on('close', (code) => resolve({ code, output: chunks.map((chunk) => chunk.text).join(''), chunks }));
  });
}

describe('an AWS endpoint that never answers the first call', () => {
  it('fails the credentials check after its attempts, naming the endpoint and what did not happen (injected small timeouts)', async () => {
    stalled = await neverAnswering();
    vi.stubEnv('AWS_ENDPOINT_URL', stalled.url);
    const clients = createClients({ region: 'eu-west-1', requestTimeoutMs: 300 });
    try {
      const error = await collectSnapshot({ params: labParams(), region: 'eu-west-1', clients }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AwsAccessError);
      expect((error as Error).message).toMatch(
        new RegExp(`^Could not reach AWS STS at ${stalled.url} \\(TimeoutError: no complete answer within 300 ms, ${CREDENTIAL_CHECK_ATTEMPTS} attempts\\)\\. Check your network`),
      );
      // Two attempts, not the five every other call gets.
      expect(stalled.connections()).toBe(CREDENTIAL_CHECK_ATTEMPTS);
    } finally {
      clients.destroy();
    }
  });

  it('a live grade with no --timeout: the progress line names the waiting call in its first second, and the grade ends within 20 s naming the endpoint', async () => {
    stalled = await neverAnswering();
    let firstConnection: number | undefined;
    const connected = setInterval(() => {
      if (firstConnection === undefined && stalled!.connections() > 0) firstConnection = performance.now();
    }, 20);
    const work = await mkdtemp(join(tmpdir(), 'lab-grader-stalled-sts-'));
    try {
      const run = await cliInTerminal(['grade', '--region', 'eu-west-1', '--format', 'json', '--out', work], {
        PATH: process.env.PATH,
        HOME: work,
        AWS_ENDPOINT_URL: stalled.url,
        AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEYTESTS1',
        AWS_SECRET_ACCESS_KEY: 'not-a-secret',
        AWS_CONFIG_FILE: join(work, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        NO_COLOR: '1',
        CI: '',
      });
      const ended = performance.now();
      expect(run.code, run.output).toBe(3);
      // The display measured the wait itself: the call is named while it has waited less than a second, then the seconds count up.
      const drawn = run.output.replaceAll(`\r${String.fromCharCode(27)}[2K`, '\n').split(/\r?\n/);
      expect(drawn).toContain(`waiting 0 s for sts:GetCallerIdentity (${new URL(stalled.url).host})`);
      expect(drawn).toContain(`waiting 5 s for sts:GetCallerIdentity (${new URL(stalled.url).host})`);
      expect(run.output).toContain(`lab-grader: Could not reach AWS STS at ${stalled.url} (TimeoutError: no complete answer within 7 s, 2 attempts)`);
      expect(firstConnection).toBeDefined();
      expect(ended - firstConnection!).toBeLessThan(FIRST_CALL_DEADLINE_MS);
    } finally {
      clearInterval(connected);
      await rm(work, { recursive: true, force: true });
    }
  }, 60_000);
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
