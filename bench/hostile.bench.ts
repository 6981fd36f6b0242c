// Worst-case times against hostile endpoints, measured against the budgets that bound them:
//   1. probes of an app that answers 502 slowly on 20 GET endpoints   ≤ probe.budgetMs
//   2. a grade whose every AWS endpoint but STS accepts and never answers ≤ --timeout
//   3. a batch of 8 (concurrency 4) with one student that never ends   ≤ --student-timeout
// Budgets and the app's delay are the defaults divided by SCALE, so a run takes a minute,
// not ten. Prints each time beside its budget; asserts nothing.
//
//   npm run bench:hostile              SCALE 10: probe budget 6 s, app 502s after 0.95 s, --timeout 30 s, --student-timeout 60 s
//   npm run bench:hostile -- 1         the real defaults (about 7 minutes)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { checksById } from '../checks/index.js';
import { parseRoster } from '../src/batch/roster.js';
import { runBatch } from '../src/batch/runner.js';
import { grade } from '../src/grade/engine.js';
import { readLiveAccount } from '../src/live/index.js';
import { probeLab } from '../src/probe/index.js';
import { MAX_GET_ENDPOINTS } from '../src/probe/openapi.js';
import { loadRubric } from '../src/rubric/load.js';
import { startServer } from '../test/probe/servers.js';
import { neverAnswering, slow502App } from '../test/hostile/servers.js';
import { labParams } from '../test/support/fixtures.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const SCALE = Number(process.argv[2] ?? 10);
const rubric = loadRubric(join(root, 'rubric.yaml'), 'rubric.yaml');
const defaults = labParams();
/** The defaults: the rubric's probe budget and attempt timeout, the CLI's --timeout and --student-timeout. */
const DEFAULT_GRADE_TIMEOUT_MS = 300_000;
const DEFAULT_STUDENT_TIMEOUT_MS = 600_000;
/** The slow app: a 502 after 9.5 s, just under the 10 s attempt timeout. */
const APP_DELAY_MS = 9_500;

/** What a run may take past its deadline to stop and write up before it counts as over. */
const WIND_UP_MS = 1_000;

const rows: { what: string; measuredMs: number; budgetMs: number }[] = [];
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function probes(): Promise<void> {
  const budgetMs = Math.round(defaults.probe.budgetMs / SCALE);
  const server = await startServer(slow502App(MAX_GET_ENDPOINTS, Math.round(APP_DELAY_MS / SCALE)));
  try {
    const params = labParams({ 'probe.totalTimeoutMs': Math.round(defaults.probe.totalTimeoutMs / SCALE), 'probe.budgetMs': budgetMs });
    const started = performance.now();
    const result = await probeLab({ url: server.url, source: 'override' }, params, { allowPrivateAddresses: true, retryDelayMs: Math.round(500 / SCALE) });
    const measuredMs = performance.now() - started;
    const sent = result.results.filter((item) => item.attempts > 0).length;
    console.log(`probes: ${result.results.length} planned, ${sent} sent, ${server.requests.length} requests, longest recorded ${Math.max(...result.results.map((item) => item.latencyMs))} ms`);
    rows.push({ what: `probes, slow-502 app with ${MAX_GET_ENDPOINTS} GET endpoints`, measuredMs, budgetMs });
  } finally {
    await server.close();
  }
}

/** STS answering GetCallerIdentity (so the credentials check passes and the collection starts). */
const CALLER_IDENTITY =
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
  '<Arn>arn:aws:iam::123456789012:user/student-admin</Arn><UserId>AIDAEXAMPLEUSERID0001</UserId><Account>123456789012</Account>' +
  '</GetCallerIdentityResult><ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></GetCallerIdentityResponse>';

async function stalledGrade(): Promise<void> {
  const budgetMs = Math.round(DEFAULT_GRADE_TIMEOUT_MS / SCALE);
  const stalled = await neverAnswering();
  const sts = await startServer((_request, _body, response) => {
    response.writeHead(200, { 'content-type': 'text/xml' });
    response.end(CALLER_IDENTITY);
  });
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: stalled.url,
    AWS_ENDPOINT_URL_STS: sts.url,
    AWS_ACCESS_KEY_ID: 'AKIAFAKEEXAMPLEKEY01',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_CONFIG_FILE: '/nonexistent/lab-grader-bench-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/lab-grader-bench-credentials',
  });
  try {
    const started = performance.now();
    let outcome: string;
    try {
      const { snapshot } = await readLiveAccount({ params: defaults, region: 'eu-west-1', deadline: Date.now() + budgetMs });
      const scorecard = grade({ rubric, rubricFile: 'rubric.yaml', snapshot, checks: checksById });
      outcome = `scorecard made, ${scorecard.counts.error} checks error`;
    } catch (error) {
      // The credentials check is the first call: a stalled STS ends the grade with exit 3 and what to do.
      outcome = `stopped: ${(error as Error).name}: ${(error as Error).message.split('\n')[0]}`;
    }
    const measuredMs = performance.now() - started;
    console.log(`stalled AWS: ${stalled.connections()} connections accepted and never answered; ${outcome}`);
    rows.push({ what: 'grade, every AWS endpoint but STS stalled (--timeout)', measuredMs, budgetMs });
  } finally {
    process.env = saved;
    await sts.close();
    await stalled.close();
  }
}

async function stalledBatch(): Promise<void> {
  const budgetMs = Math.round(DEFAULT_STUDENT_TIMEOUT_MS / SCALE);
  const dir = await mkdtemp(join(tmpdir(), 'lab-grader-bench-hostile-'));
  try {
    const snapshot = join(root, 'examples/complete-lab.snapshot.json');
    const lines = ['id,snapshot,awsProfile', 'stuck,,stuck', ...Array.from({ length: 7 }, (_, index) => `s${index + 1},${snapshot},`)];
    await writeFile(join(dir, 'roster.csv'), `${lines.join('\n')}\n`);
    const roster = parseRoster(`${lines.join('\n')}\n`, join(dir, 'roster.csv'));
    const started = performance.now();
    const result = await runBatch({
      roster,
      rubric,
      rubricFile: 'rubric.yaml',
      outDir: join(dir, 'out'),
      concurrency: 4,
      force: false,
      formats: ['html'],
      studentTimeoutMs: budgetMs,
      collect: () => new Promise(() => undefined),
    });
    const measuredMs = performance.now() - started;
    const statuses = result.outcomes.map((outcome) => outcome.status);
    console.log(`batch: ${statuses.filter((status) => status === 'ok').length} graded, ${statuses.filter((status) => status !== 'ok').length} failed, gradebook ${result.gradebook ? 'written' : 'missing'}`);
    rows.push({ what: 'batch of 8, one student never finishing (--student-timeout)', measuredMs, budgetMs });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`hostile worst cases, budgets and delays divided by ${SCALE}`);
  await probes();
  await stalledGrade();
  await stalledBatch();
  console.log('');
  for (const row of rows) {
    // A deadline stops the waiting; winding up (writing the error, grading what was read) comes after it.
    const over = row.measuredMs - row.budgetMs;
    const verdict = over <= 0 ? 'within budget' : over <= WIND_UP_MS ? `at budget (+${seconds(over)} to wind up)` : `OVER budget by ${seconds(over)}`;
    console.log(`${row.what.padEnd(62)} ${seconds(row.measuredMs).padStart(9)} of ${seconds(row.budgetMs).padStart(8)}  ${verdict}`);
  }
}

await main();
