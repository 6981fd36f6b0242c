// The class an instructor fears: students who hand in the bundled example, share one
// snapshot, grade another account or collected before the assignment opened. Each is flagged
// as what it is, with evidence, and nobody else; `strict` zeroes exactly those a flag convicts
// and holds for review those it cannot tell apart.
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoster } from '../../src/batch/roster.js';
import { runBatch, type BatchOptions, type BatchResult } from '../../src/batch/runner.js';
import { bundledExamples } from '../../src/cli/prepared.js';
import { loadRubric } from '../../src/rubric/load.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { anotherAccount, collectedOn, example } from '../support/fixtures.js';
import type { Scorecard } from '../../src/grade/scorecard.js';
import { renderReport } from '../../src/report/index.js';
import { cli, type Run } from '../support/cli.js';
import { readGradebook } from './support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const rubric = loadRubric(join(root, 'rubric.yaml'), 'rubric.yaml');
const verify = {
  collectedAfter: '2026-11-01T00:00:00.000Z',
  collectedBefore: '2026-12-01T00:00:00.000Z',
  examples: bundledExamples(),
};

const edited = example('complete-lab');
edited.collectedAt = '2026-11-21T08:00:00.000Z';
const shared = anotherAccount(1);
const early = collectedOn(anotherAccount(3), '2026-10-15T09:00:00.000Z');

const CLASS: { id: string; snapshot: Snapshot; account?: string }[] = [
  { id: 'ex-1', snapshot: example('complete-lab') },
  { id: 'ex-2', snapshot: example('complete-lab') },
  { id: 'ex-3', snapshot: edited },
  { id: 'copy-a', snapshot: shared, account: shared.account },
  { id: 'copy-b', snapshot: shared },
  { id: 'wrong-account', snapshot: anotherAccount(2), account: '999988887777' },
  { id: 'early', snapshot: early },
  { id: 'honest-1', snapshot: anotherAccount(4), account: anotherAccount(4).account },
  { id: 'honest-2', snapshot: anotherAccount(5) },
  { id: 'honest-3', snapshot: anotherAccount(6) },
];

describe('a class with flagged students', { timeout: 60_000 }, () => {
  let dir: string;
  let warn: BatchResult;
  let strict: BatchResult;
  const run = (out: string, extra: Partial<BatchOptions>) =>
    runBatch({ roster: loadRoster(join(dir, 'roster.yaml')), rubric, rubricFile: 'rubric.yaml', outDir: join(dir, out), concurrency: 3, force: false, formats: ['html', 'markdown'], verify, ...extra });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-grader-integrity-'));
    await mkdir(join(dir, 'snapshots'));
    const lines = ['students:'];
    for (const student of CLASS) {
      await writeFile(join(dir, 'snapshots', `${student.id}.json`), JSON.stringify(student.snapshot));
      lines.push(`  - id: ${student.id}`, `    snapshot: snapshots/${student.id}.json`, ...(student.account ? [`    account: "${student.account}"`] : []));
    }
    await writeFile(join(dir, 'roster.yaml'), `${lines.join('\n')}\n`);
    warn = await run('warn', {});
    strict = await run('strict', { integrity: 'strict' });
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const flagsOf = (result: BatchResult) =>
    Object.fromEntries(result.outcomes.map((outcome) => [outcome.student.id, (outcome.scorecard?.integrity?.flags ?? []).map((flag) => flag.kind)]));

  it('flags each student exactly as what they did, and nobody else', () => {
    expect(warn.outcomes.every((outcome) => outcome.status === 'ok')).toBe(true);
    expect(flagsOf(warn)).toEqual({
      'ex-1': ['bundled-example'],
      'ex-2': ['bundled-example'],
      'ex-3': ['bundled-example'],
      'copy-a': ['shared-evidence'],
      'copy-b': ['shared-evidence'],
      'wrong-account': ['roster-account'],
      early: ['outside-window'],
      'honest-1': [],
      'honest-2': [],
      'honest-3': [],
    });
    expect(flagsOf(strict)).toEqual(flagsOf(warn));
  });

  it('shows the evidence: both sharing students name each other, the accounts, the times', () => {
    const flag = (id: string) => warn.outcomes.find((outcome) => outcome.student.id === id)!.scorecard!.integrity!.flags[0]!;
    expect(flag('copy-a').students).toEqual(['copy-b']);
    expect(flag('copy-b').students).toEqual(['copy-a']);
    expect(flag('copy-b').evidence).toContain(`account ${shared.account}: also in copy-a`);
    expect(flag('ex-3').summary).toContain('derived from the bundled example examples/complete-lab.snapshot.json');
    expect(flag('wrong-account').evidence).toContain('roster account 999988887777');
    expect(flag('early').evidence).toContain('collectedAt 2026-10-15T09:00:00.000Z');
  });

  it('keeps the points under warn, and under strict gives exactly the flagged students 0, naming the flag', async () => {
    const totals = (result: BatchResult) => Object.fromEntries(result.outcomes.map((outcome) => [outcome.student.id, outcome.scorecard!.total.earned + outcome.scorecard!.bonusPoints.earned]));
    const warned = totals(warn);
    const zeroed = totals(strict);
    for (const outcome of warn.outcomes) {
      const id = outcome.student.id;
      expect(warned[id]).toBeGreaterThan(9);
      expect(zeroed[id], id).toBe(id.startsWith('honest') ? warned[id] : 0);
    }
    // Shared evidence alone cannot tell who copied: held for a person, not a 0.
    for (const id of ['copy-a', 'copy-b']) expect(strict.outcomes.find((outcome) => outcome.student.id === id)!.scorecard!.integrity!.heldForReview).toBe(true);
    expect(strict.outcomes.find((outcome) => outcome.student.id === 'early')!.scorecard!.integrity!.heldForReview).toBeUndefined();
    const rows = readGradebook(await readFile(strict.gradebook, 'utf8')).rows;
    expect(rows.find((row) => row.student === 'early')).toMatchObject({ total: '0.00', bonus: '0.00' });
    expect(rows.find((row) => row.student === 'copy-a')).toMatchObject({ total: '', bonus: '', status: 'held' });
    expect(rows.find((row) => row.student === 'early')!.integrity).toMatch(/^outside-window; strict: 0 points \(the checks gave \d+\.\d\d, bonus 1\.00\)$/);
    expect(rows.find((row) => row.student === 'honest-2')!.integrity).toBe('');
    // The student's own reports say why.
    const markdown = await readFile(join(dir, 'strict', 'copy-a', 'summary.md'), 'utf8');
    expect(markdown).toContain('shared-evidence');
    expect(markdown).toContain('copy-b');
    const html = await readFile(join(dir, 'strict', 'wrong-account', 'report.html'), 'utf8');
    expect(html).toContain('roster account 999988887777');
  });

  it('re-verifies kept students on a later run: switching to strict zeroes them without regrading', async () => {
    const again = await run('warn', { integrity: 'strict' });
    expect(again.outcomes.every((outcome) => outcome.skipped)).toBe(true);
    expect(flagsOf(again)).toEqual(flagsOf(warn));
    expect(again.outcomes.find((outcome) => outcome.student.id === 'ex-1')!.scorecard!.total.earned).toBe(0);
    const back = await run('warn', { integrity: 'warn' });
    expect(back.outcomes.find((outcome) => outcome.student.id === 'ex-1')!.scorecard!.total.earned).toBe(warn.outcomes[0]!.scorecard!.total.earned);
  });
});

describe('a roster with per-student submissions', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-grader-submissions-'));
    await mkdir(join(dir, 'work', 'bob'), { recursive: true });
    await writeFile(join(dir, 'work', 'bob', 'notes.txt'), 'no test script here\n');
    await writeFile(join(dir, 'alice.json'), JSON.stringify(anotherAccount(11)));
    await writeFile(join(dir, 'bob.json'), JSON.stringify(anotherAccount(12)));
    await writeFile(join(dir, 'carol.json'), JSON.stringify(anotherAccount(13)));
    await writeFile(
      join(dir, 'roster.csv'),
      `id,snapshot,submission\nalice,alice.json,${join(root, 'examples', 'submission')}\nbob,bob.json,work/bob\ncarol,carol.json,\n`,
    );
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("gives each student their own step 6.2, from their own folder", async () => {
    const result = await runBatch({ roster: loadRoster(join(dir, 'roster.csv')), rubric, rubricFile: 'rubric.yaml', outDir: join(dir, 'out'), concurrency: 2, force: false, formats: [] });
    const step = (id: string) =>
      result.outcomes
        .find((outcome) => outcome.student.id === id)!
        .scorecard!.sections.flatMap((section) => section.steps)
        .find((candidate) => candidate.id === '6.2')!;
    expect(step('alice').points).toEqual({ earned: 0.5, max: 0.5 });
    expect(step('alice').status).toBe('pass');
    // No script in bob's folder; carol gave none: neither gets the script's points.
    expect(step('bob').points.earned).toBeLessThan(0.5);
    expect(step('carol').points.earned).toBeLessThan(0.5);
    // The checks' evidence is in each student's folder (the batch keeps a summary of every scorecard).
    const evidence = async (id: string) => {
      const card = JSON.parse(await readFile(join(dir, 'out', id, 'scorecard.json'), 'utf8')) as Scorecard;
      const whole = card.sections.flatMap((section) => section.steps).find((candidate) => candidate.id === '6.2')!;
      expect(whole.points).toEqual(step(id).points);
      return whole.checks.flatMap((check) => check.evidence).join('\n');
    };
    expect(await evidence('bob')).not.toEqual(await evidence('carol'));
  });
});

describe('two identical handed-in snapshots under strict, in every format', { timeout: 120_000 }, () => {
  let dir: string;
  let run: Run;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-grader-held-'));
    const copy = anotherAccount(31);
    await writeFile(join(dir, 'amy.json'), JSON.stringify(copy));
    await writeFile(join(dir, 'ben.json'), JSON.stringify(copy));
    await writeFile(join(dir, 'cat.json'), JSON.stringify(anotherAccount(32)));
    await writeFile(join(dir, 'roster.csv'), 'id,snapshot\namy,amy.json\nben,ben.json\ncat,cat.json\n');
    run = await cli(['batch', join(dir, 'roster.csv'), '--out', join(dir, 'class'), '--integrity', 'strict', '--format', 'json,markdown,junit,gradescope,classroom,html', '--lms', 'canvas', '--min-score', '5']);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const report = (student: string, file: string) => readFile(join(dir, 'class', student, file), 'utf8');
  const HELD = /held for review under --integrity strict: the checks gave \d+\.\d\d \/ 10\.00, bonus 1\.00, shown but not counted/;

  it('holds both for review, not 0: the console summary, the gradebook and the JSON scorecard say so', async () => {
    expect(run.stderr).toMatch(/^ {2}amy \(.*roster\.csv:2\): shared-evidence \(with ben\) — held for review$/m);
    expect(run.stderr).toMatch(/^ {2}ben \(.*roster\.csv:3\): shared-evidence \(with amy\) — held for review$/m);
    // Flagged, so exit 5; a total held for review is no score, so nobody is below --min-score.
    expect(run.code).toBe(5);
    expect(run.stderr).not.toContain('Below --min-score');
    const rows = readGradebook(await readFile(join(dir, 'class', 'gradebook.csv'), 'utf8')).rows;
    expect(rows.map((row) => [row.student, row.status, row.total])).toEqual([
      ['amy', 'held', ''],
      ['ben', 'held', ''],
      ['cat', 'ok', expect.stringMatching(/^\d+\.\d\d$/)],
    ]);
    const scorecard = JSON.parse(await report('amy', 'scorecard.json')) as Scorecard;
    expect(scorecard.total.earned).toBe(0);
    expect(scorecard.integrity).toMatchObject({ mode: 'strict', heldForReview: true, withheld: { total: { max: 10 } } });
    expect(scorecard.integrity!.withheld!.total.earned).toBeGreaterThan(9);
    // Written again with the flags from the whole scorecard in the folder: every check and choice is still there.
    expect(scorecard.sections.flatMap((section) => section.steps).every((step) => step.checks.length > 0)).toBe(true);
    expect(scorecard.choices.length).toBeGreaterThan(0);
    // `grade`'s console checklist of the same scorecard.
    expect(renderReport(scorecard, 'console', { color: false, width: 400 })).toMatch(HELD);
  });

  it('Markdown, JUnit, Gradescope and Classroom say held for review and count no points', async () => {
    for (const student of ['amy', 'ben']) {
      expect(await report(student, 'summary.md')).toMatch(HELD);
      expect(await report(student, 'junit.xml')).toMatch(HELD);
      const gradescope = JSON.parse(await report(student, 'results.json')) as { score: number; output: string; tests: { score: number }[] };
      expect(gradescope.score).toBe(0);
      expect(gradescope.output).toMatch(HELD);
      // Each step still shows what the checks found.
      expect(gradescope.tests.some((test) => test.score > 0)).toBe(true);
      // The reporter posts the sum of the tests' scores: 0, and its grade test says why.
      const classroom = JSON.parse(Buffer.from(await report(student, 'classroom.b64'), 'base64').toString('utf8')) as { tests: { score: number; message: string }[] };
      expect(classroom.tests.every((test) => test.score === 0)).toBe(true);
      expect(classroom.tests.at(-1)!.message).toMatch(HELD);
      expect(await report(student, 'report.html')).toMatch(HELD);
    }
    expect(await report('cat', 'summary.md')).not.toContain('held for review');
  });

  it("the LMS's import file leaves their cells empty, so the LMS keeps what it has, and says why", async () => {
    const rows = (await readFile(join(dir, 'class', 'canvas.csv'), 'utf8')).trim().split(/\r?\n/).slice(2).map((line) => line.split(','));
    expect(rows.map((row) => [row[0], row.at(-1)])).toEqual([
      ['amy', ''],
      ['ben', ''],
      ['cat', expect.stringMatching(/^\d+\.\d\d$/)],
    ]);
    expect(run.stderr).toContain('2 student(s) held for review under --integrity strict (shared evidence): their cell is empty');
  });
});

describe('a flagged student whose folder changed under the batch', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-grader-vanished-'));
    const copy = anotherAccount(41);
    await writeFile(join(dir, 'dee.json'), JSON.stringify(copy));
    await writeFile(join(dir, 'eve.json'), JSON.stringify(copy));
    await writeFile(join(dir, 'roster.csv'), 'id,snapshot\ndee,dee.json\neve,eve.json\n');
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('gets no points and an error naming why, when their flags cannot be written into their folder; the classmate is flagged as usual', async () => {
    const out = join(dir, 'out');
    const result = await runBatch({
      roster: loadRoster(join(dir, 'roster.csv')),
      rubric,
      rubricFile: 'rubric.yaml',
      outDir: out,
      concurrency: 1,
      force: false,
      formats: ['html'],
      integrity: 'strict',
      // Someone removes dee's scorecard once she is graded, before the class is verified.
      onProgress: ({ student }) => {
        if (student === 'dee') rmSync(join(out, 'dee', 'scorecard.json'));
      },
    });
    const [dee, eve] = result.outcomes;
    expect(dee).toMatchObject({ status: 'error', error: expect.stringMatching(/^verification flagged this student, but their folder could not be written again \(.*ENOENT.*\): grade them again$/) });
    expect(dee!.scorecard).toBeUndefined();
    expect(eve!.scorecard!.integrity).toMatchObject({ heldForReview: true, flags: [{ kind: 'shared-evidence', students: ['dee'] }] });
    const rows = readGradebook(await readFile(result.gradebook, 'utf8')).rows;
    expect(rows.map((row) => [row.student, row.status, row.total])).toEqual([
      ['dee', 'error', ''],
      ['eve', 'held', ''],
    ]);
  });
});

describe('a class with a deadline', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-grader-deadline-'));
    // The example's lab was built from 12 to 15 November; an on-time copy of it ten days earlier.
    await writeFile(join(dir, 'late.json'), JSON.stringify(anotherAccount(51)));
    await writeFile(join(dir, 'early.json'), JSON.stringify(collectedOn(anotherAccount(52), '2026-11-10T16:30:00.000Z')));
    await writeFile(join(dir, 'roster.csv'), 'id,snapshot\nlate,late.json\nearly,early.json\n');
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const run = (deadline?: string) =>
    runBatch({
      roster: loadRoster(join(dir, 'roster.csv')),
      rubric,
      rubricFile: 'rubric.yaml',
      outDir: join(dir, 'out'),
      concurrency: 2,
      force: false,
      formats: [],
      verify: { examples: bundledExamples(), ...(deadline === undefined ? {} : { deadline }) },
    });

  it('flags the lab built after --deadline, naming its resources, also for students kept from an earlier run', async () => {
    const first = await run();
    expect(first.outcomes.map((outcome) => outcome.scorecard?.integrity)).toEqual([undefined, undefined]);
    const again = await run('2026-11-13T23:59:59.999Z');
    expect(again.outcomes.every((outcome) => outcome.skipped)).toBe(true);
    const [late, early] = again.outcomes.map((outcome) => outcome.scorecard?.integrity?.flags ?? []);
    expect(late!.map((flag) => flag.kind)).toEqual(['built-late']);
    expect(late![0]!.evidence).toContainEqual(expect.stringMatching(/^NAT gateway nat-\w+ \(sentiment-app-nat\): created 2026-11-14T12:00:00\.000Z$/));
    expect(early).toEqual([]);
  });
});

describe('a forged snapshot of a live-graded classmate, under strict', { timeout: 60_000 }, () => {
  // eve hands in a copy of bob's snapshot with alice's account id while alice is graded live.
  const alice = anotherAccount(61);
  const bobs = anotherAccount(62);
  const forged = JSON.parse(JSON.stringify(bobs).replaceAll(bobs.account, alice.account)) as Snapshot;
  let dir: string;
  const run = (force = false) =>
    runBatch({
      roster: loadRoster(join(dir, 'roster.yaml')),
      rubric,
      rubricFile: 'rubric.yaml',
      outDir: join(dir, 'out'),
      concurrency: 2,
      force,
      formats: [],
      integrity: 'strict',
      verify: { examples: bundledExamples() },
      // alice's account, as the grader reads it through her profile.
      collect: async () => ({ snapshot: structuredClone(alice) }),
    });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-grader-forged-'));
    await writeFile(join(dir, 'eve.json'), JSON.stringify(forged));
    await writeFile(join(dir, 'roster.yaml'), 'students:\n  - id: alice\n    awsProfile: alice\n  - id: eve\n    snapshot: eve.json\n');
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('flags only the snapshot, copied-from alice with 0; alice keeps every point, unflagged, also when kept on a rerun', async () => {
    const runs = [await run(), await run(), await run(true)];
    // The second run keeps both from the first; the third grades both again from the evidence kept.
    expect(runs.map((result) => result.outcomes.map((outcome) => outcome.skipped === true))).toEqual([
      [false, false],
      [true, true],
      [false, false],
    ]);
    for (const result of runs) {
      const [aliceOutcome, eveOutcome] = ['alice', 'eve'].map((id) => result.outcomes.find((outcome) => outcome.student.id === id)!);
      expect(aliceOutcome!.scorecard!.integrity).toBeUndefined();
      expect(aliceOutcome!.scorecard!.total.earned).toBeGreaterThan(9);
      expect(eveOutcome!.scorecard!.integrity).toMatchObject({ mode: 'strict', flags: [{ kind: 'copied-from', students: ['alice'] }] });
      expect(eveOutcome!.scorecard!.integrity!.heldForReview).toBeUndefined();
      expect(eveOutcome!.scorecard!.total.earned).toBe(0);
    }
  });
});
