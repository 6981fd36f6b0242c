import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoster, parseRoster } from '../../src/batch/roster.js';
import { gradingThreads, runBatch, THREADS_FROM, threadsFor, type BatchOptions, type LiveCollector } from '../../src/batch/runner.js';
import { AwsAccessError, UsageError } from '../../src/errors.js';
import { packageVersion } from '../../src/package.js';
import { loadRubric } from '../../src/rubric/load.js';
import { builtPackage } from '../support/cli.js';
import { example } from '../support/fixtures.js';
import { hundredths, readGradebook, writeClass } from './support.js';

const rubricPath = fileURLToPath(new URL('../../rubric.yaml', import.meta.url));
const rubric = loadRubric(rubricPath, 'rubric.yaml');
// Grading threads run the built worker (as an installed lab-grader does), not the sources through tsx in each thread.
const threadEntry = pathToFileURL(join(builtPackage(), 'dist/bin/esm/worker.js'));

function options(rosterFile: string, outDir: string, extra: Partial<BatchOptions> = {}): BatchOptions {
  return { roster: loadRoster(rosterFile), rubric, rubricFile: 'rubric.yaml', outDir, concurrency: 4, force: false, formats: ['html'], threadEntry, ...extra };
}

describe('batch over a roster of 50 snapshot files', { timeout: 60_000 }, () => {
  let dir: string;
  let out: string;
  let roster: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-grader-batch-'));
    out = join(dir, 'out');
    roster = (await writeClass(dir, 50)).roster;
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('grades everyone in one run (on grading threads) and records the broken file and the missing file with their error', async () => {
    const progress: number[] = [];
    const result = await runBatch(options(roster, out, { threads: 2, onProgress: (event) => progress.push(event.done) }));
    expect(result.outcomes).toHaveLength(50);
    expect(progress).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    const failed = result.outcomes.filter((outcome) => outcome.status === 'error');
    expect(failed.map((outcome) => outcome.student.id)).toEqual(['broken-json', 'missing-file']);
    expect(failed[0]!.error).toMatch(/broken\.json:1:\d+: not valid JSON/);
    expect(failed[1]!.error).toMatch(/cannot read the snapshot .*nowhere\.json \(ENOENT\): fix the student.s snapshot path in the roster/);
    expect(JSON.parse(await readFile(join(out, 'missing-file', 'error.json'), 'utf8'))).toEqual({
      student: 'missing-file',
      error: failed[1]!.error,
    });

    expect((await readdir(join(out, 's0001'))).sort()).toEqual(['evidence.json', 'report.html', 'scorecard.json']);
    const complete = result.outcomes[0]!.scorecard!;
    const mistakes = result.outcomes[1]!.scorecard!;
    expect(mistakes.total.earned).toBeLessThan(complete.total.earned);
    expect(result.outcomes[4]!.scorecard!.profile).toBe('academy');
    expect(result.outcomes[4]!.scorecard!.total.max).toBe(9.25);
  });

  it('writes a gradebook whose step columns add up to each total, with status, error and graded_at', async () => {
    const { header, rows } = readGradebook(await readFile(join(out, 'gradebook.csv'), 'utf8'));
    const steps = rubric.sections.flatMap((section) => section.steps.map((step) => step.id));
    expect(header).toEqual(['student', 'name', 'email', 'total', 'max', 'bonus', ...steps, 'status', 'error', 'integrity', 'graded_at', 'rubric_sha256', 'grader_version']);
    expect(rows).toHaveLength(50);
    const graded = rows.filter((row) => row.status === 'ok');
    expect(graded).toHaveLength(48);
    for (const row of graded) {
      const sum = steps.reduce((total, step) => total + hundredths(row[step]!), 0);
      expect(sum, `steps of ${row.student}`).toBe(hundredths(row.total!));
      expect(row.graded_at).toBe('2026-11-20T16:30:00.000Z');
      expect([row.rubric_sha256, row.grader_version]).toEqual([rubric.sha256, packageVersion()]);
    }
    // Totals differ across the class, so the sums above were not all of one row.
    expect(new Set(graded.map((row) => row.total)).size).toBeGreaterThanOrEqual(3);
    const academy = rows.find((row) => row.student === 's0005')!;
    expect([academy['1.1'], academy['1.2'], academy['1.4'], academy.max]).toEqual(['', '', '', '9.25']);
    const broken = rows.find((row) => row.student === 'broken-json')!;
    expect([broken.status, broken.total, broken.graded_at]).toEqual(['error', '', '']);
    expect(broken.error).toMatch(/not valid JSON/);
    expect(await readdir(out)).not.toContainEqual(expect.stringMatching(/\.tmp$/));
  });

  it('writes a class overview linking each graded student report', async () => {
    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<a href="s0001/report.html">s0001</a>');
    expect(html).toContain('50 students · 48 graded · 2 could not be graded');
    expect(html).toMatch(/<svg id="score-histogram"[\s\S]*<svg id="step-chart"/);
  });

  it('skips the graded students on a second run, retries the failed ones, and regrades all with force', async () => {
    const before = (await stat(join(out, 's0001', 'scorecard.json'))).mtimeMs;
    const second = await runBatch(options(roster, out));
    expect(second.outcomes.filter((outcome) => outcome.skipped)).toHaveLength(48);
    expect(second.outcomes.filter((outcome) => !outcome.skipped).map((outcome) => outcome.student.id)).toEqual(['broken-json', 'missing-file']);
    expect((await stat(join(out, 's0001', 'scorecard.json'))).mtimeMs).toBe(before);

    const forced = await runBatch(options(roster, out, { force: true }));
    expect(forced.outcomes.some((outcome) => outcome.skipped)).toBe(false);
    expect((await stat(join(out, 's0001', 'scorecard.json'))).mtimeMs).toBeGreaterThanOrEqual(before);
  });

  it('regrades a student whose kept scorecard an earlier lab-grader wrote, with other status meanings', async () => {
    const file = join(out, 's0003', 'scorecard.json');
    const earlier = JSON.parse(await readFile(file, 'utf8')) as { schemaVersion: number };
    await writeFile(file, JSON.stringify({ ...earlier, schemaVersion: 1 }));
    const again = await runBatch(options(roster, out));
    expect(again.outcomes.find((outcome) => outcome.student.id === 's0003')?.skipped).toBe(false);
    expect((JSON.parse(await readFile(file, 'utf8')) as { schemaVersion: number }).schemaVersion).toBe(2);
  });

  it('gives the same gradebook byte for byte from grading threads and from the batch\'s own thread', async () => {
    const inProcess = await runBatch(options(roster, join(dir, 'one-thread'), { threads: 0 }));
    expect(await readFile(inProcess.gradebook, 'utf8')).toBe(await readFile(join(out, 'gradebook.csv'), 'utf8'));
    expect(await readFile(join(dir, 'one-thread', 's0002', 'report.html'), 'utf8')).toBe(await readFile(join(out, 's0002', 'report.html'), 'utf8'));
  });

  it('gives the same gradebook from a CSV roster', async () => {
    const csvDir = join(dir, 'csv');
    const { roster: csvRoster } = await writeClass(csvDir, 12, { csv: true });
    const result = await runBatch(options(csvRoster, join(csvDir, 'out')));
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual([...Array(10).fill('ok'), 'error', 'error']);
  });
});

describe('the grading threads a class of snapshot files gets', () => {
  it('are one per core but one, and at least one: the core left is the batch\'s own thread\'s and V8\'s', () => {
    expect([1, 2, 3, 4, 16].map(gradingThreads)).toEqual([1, 1, 2, 3, 15]);
  });

  it('start from THREADS_FROM students on, never more than the concurrency or the students; a number given is kept within both', () => {
    expect(threadsFor(THREADS_FROM - 1, 4)).toBe(0);
    expect(threadsFor(THREADS_FROM, 4)).toBe(Math.min(gradingThreads(availableParallelism()), 4));
    expect(threadsFor(1000, 1)).toBe(1);
    expect(threadsFor(1000, 4, 2)).toBe(2);
    expect(threadsFor(3, 4, 8)).toBe(3);
    expect(threadsFor(1000, 4, 0)).toBe(0);
  });
});

describe('a snapshot path that is a named pipe, a folder or a device', { timeout: 60_000 }, () => {
  // A pipe nobody writes to would hold its open forever, and a grading thread stuck in a call
  // cannot be stopped (nor can the process end): it is refused at once, as that student's error.
  it.skipIf(process.platform === 'win32').each([['on grading threads', 2], ["in the batch's own thread", 0]])('is that student\'s error %s, and the others are graded', async (_where, threads) => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-grader-batch-pipe-'));
    try {
      const { roster } = await writeClass(dir, 6);
      await rm(join(dir, 'snapshots', 's0002.json'));
      execFileSync('mkfifo', [join(dir, 'snapshots', 's0002.json')]);
      await mkdir(join(dir, 'snapshots', 'nowhere.json'));
      const started = performance.now();
      const result = await runBatch(options(roster, join(dir, 'out'), { threads, studentTimeoutMs: 60_000 }));
      expect(performance.now() - started).toBeLessThan(30_000);
      const errors = Object.fromEntries(result.outcomes.filter((outcome) => outcome.status === 'error').map((outcome) => [outcome.student.id, outcome.error]));
      expect(Object.keys(errors).sort()).toEqual(['broken-json', 'missing-file', 's0002']);
      expect(errors.s0002).toMatch(/cannot read the snapshot .*s0002\.json \(a named pipe, not a file\): fix the student.s snapshot path in the roster/);
      expect(errors['missing-file']).toMatch(/nowhere\.json \(a folder, not a file\)/);
      expect(result.outcomes.filter((outcome) => outcome.status === 'ok')).toHaveLength(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('batch with live students', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-grader-batch-live-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const liveRoster = (count: number): string =>
    `students:\n${Array.from({ length: count }, (_, index) =>
      index === 1
        ? '  - id: expired\n    roleArn: arn:aws:iam::123456789012:role/lab-grader-readonly\n    externalId: course-2026\n'
        : `  - id: live${index}\n    awsProfile: student${index}\n`,
    ).join('')}`;

  it('keeps going past an expired role, saves each live snapshot, and never runs more than the concurrency at once', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: string[] = [];
    const collect: LiveCollector = async (student, context) => {
      seen.push(`${student.id}:${student.source.kind}:${context.grading.profile.name}`);
      inFlight += 1;
      most = Math.max(most, inFlight);
      // Held until three overlap (or a second passes): on a loaded machine a fixed 10 ms could end before the third began.
      for (let waited = 0; waited < 1000 && most < 3; waited += 5) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight -= 1;
      if (student.source.kind === 'role') throw new AwsAccessError('Your AWS credentials have expired (ExpiredToken).');
      return { snapshot: example('complete-lab') };
    };
    const out = join(dir, 'out');
    const result = await runBatch({
      roster: parseRoster(liveRoster(9), join(dir, 'roster.yaml')),
      rubric,
      rubricFile: 'rubric.yaml',
      outDir: out,
      concurrency: 3,
      force: false,
      formats: ['html', 'junit'],
      collect,
    });
    expect(most).toBe(3);
    expect(seen).toContain('expired:role:own-account');
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual(['ok', 'error', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect(result.outcomes[1]!.error).toBe('Your AWS credentials have expired (ExpiredToken).');
    expect((await readdir(join(out, 'live0'))).sort()).toEqual(['evidence.json', 'junit.xml', 'report.html', 'scorecard.json', 'snapshot.json']);
    expect(JSON.parse(await readFile(join(out, 'live0', 'snapshot.json'), 'utf8'))).toEqual(example('complete-lab'));
  });

  it('refuses a roster whose labProfile the rubric does not have, before grading anyone (exit 2)', async () => {
    const roster = parseRoster('students:\n  - id: a\n    snapshot: a.json\n  - id: b\n    snapshot: b.json\n    labProfile: acadmy\n', join(dir, 'bad.yaml'));
    const attempt = runBatch({ roster, rubric, rubricFile: 'rubric.yaml', outDir: join(dir, 'never'), concurrency: 2, force: false, formats: [] });
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(/bad\.yaml:4: student "b": labProfile "acadmy" is not a profile of .*rubric\.yaml \(its profiles: own-account, academy\)/);
    await expect(readdir(join(dir, 'never'))).rejects.toThrow(/ENOENT/);
  });
});
