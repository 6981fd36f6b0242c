// The rerun rules: a student kept from an earlier run is graded again when what graded them
// changed (rubric, params, lab profile, lab-grader release), from the evidence kept; --force
// grades everyone again from it; only --recollect reads an account again.
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksById } from '../../checks/index.js';
import { countReasons, staleBecause } from '../../src/batch/rerun.js';
import { loadRoster } from '../../src/batch/roster.js';
import { runBatch, type BatchOptions, type BatchResult, type LiveCollector } from '../../src/batch/runner.js';
import { settleGrading } from '../../src/grade/grading.js';
import type { Scorecard } from '../../src/grade/scorecard.js';
import { loadRubric } from '../../src/rubric/load.js';
import { anotherAccount } from '../support/fixtures.js';
import { readGradebook, writeClass, writeRubricWithStep21Doubled, type GradebookTable } from './support.js';

const rubricPath = fileURLToPath(new URL('../../rubric.yaml', import.meta.url));
const rubric = loadRubric(rubricPath, 'rubric.yaml');

/** Four live students (each their own account) after the class's snapshot files; the collector counts its reads. */
async function mixedClass(dir: string): Promise<{ roster: string; reads: () => number; collect: LiveCollector }> {
  const { roster } = await writeClass(dir, 10);
  const live = Array.from({ length: 4 }, (_, index) => `  - id: live${index + 1}\n    awsProfile: student${index + 1}\n`).join('');
  await writeFile(roster, `${await readFile(roster, 'utf8')}${live}`);
  let reads = 0;
  const collect: LiveCollector = async (student) => {
    reads += 1;
    // Each read is a new snapshot: collected a minute after the one before.
    return { snapshot: { ...anotherAccount(Number(student.id.slice(4))), collectedAt: new Date(Date.UTC(2026, 10, 20, 16, 30 + reads)).toISOString() } };
  };
  return { roster, reads: () => reads, collect };
}

function batch(roster: string, outDir: string, extra: Partial<BatchOptions>): Promise<BatchResult> {
  return runBatch({ roster: loadRoster(roster), rubric, rubricFile: 'rubric.yaml', outDir, concurrency: 4, force: false, formats: ['html'], ...extra });
}

async function gradebookOf(result: BatchResult): Promise<GradebookTable> {
  return readGradebook(await readFile(result.gradebook, 'utf8'));
}

describe('a rerun of a finished class', { timeout: 120_000 }, () => {
  let dir: string;
  let out: string;
  let roster: string;
  let reads: () => number;
  let collect: LiveCollector;
  let first: GradebookTable;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-grader-rerun-'));
    out = join(dir, 'out');
    ({ roster, reads, collect } = await mixedClass(dir));
    first = await gradebookOf(await batch(roster, out, { collect }));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps every grade that still holds and reads no account again', async () => {
    expect(reads()).toBe(4);
    const again = await batch(roster, out, { collect });
    expect(reads()).toBe(4);
    expect(again.outcomes.filter((outcome) => outcome.status === 'ok').every((outcome) => outcome.skipped)).toBe(true);
    expect((await gradebookOf(again)).rows).toEqual(first.rows);
  });

  it("after a step's points change, grades every student again from their kept snapshot: every gradebook row moves, no account is read", async () => {
    const changed = loadRubric(await writeRubricWithStep21Doubled(dir), 'rubric-2.1-doubled.yaml');
    const result = await runBatch({ roster: loadRoster(roster), rubric: changed, rubricFile: 'rubric-2.1-doubled.yaml', outDir: out, concurrency: 4, force: false, formats: ['html'], collect });
    expect(reads()).toBe(4);
    const graded = result.outcomes.filter((outcome) => outcome.status === 'ok');
    expect(graded).toHaveLength(12);
    for (const outcome of graded) expect(outcome.regraded, outcome.student.id).toEqual(['rubric changed']);

    const { rows } = await gradebookOf(result);
    for (const row of rows.filter((candidate) => candidate.status === 'ok')) {
      const before = first.rows.find((candidate) => candidate.student === row.student)!;
      expect(row.rubric_sha256, row.student).toBe(changed.sha256);
      expect(before.rubric_sha256).toBe(rubric.sha256);
      // Every maximum grows by the quarter point, and 2.1 doubles where it earned anything.
      expect(Number(row.max), row.student).toBe(Number(before.max) + 0.25);
      expect(Number(row['2.1']), row.student).toBe(Number(before['2.1']) * 2);
      expect(row, row.student).not.toEqual(before);
    }
    // Students whose bucket earned points gain them, so the totals move too.
    expect(rows.filter((row) => row.status === 'ok' && Number(row['2.1']) > 0).length).toBeGreaterThanOrEqual(8);
    // The students that could not be graded are tried again and fail the same way.
    expect(rows.filter((row) => row.status === 'error').map((row) => row.student)).toEqual(['broken-json', 'missing-file']);
  });

  it('with --force grades everyone again from the evidence kept, and with --recollect reads the live accounts again', async () => {
    const forced = await batch(roster, out, { collect, force: true });
    expect(reads()).toBe(4);
    expect(forced.outcomes.filter((outcome) => outcome.status === 'ok').every((outcome) => outcome.regraded?.[0] === '--force')).toBe(true);
    // Back on the lab's rubric: the grades are the first run's again.
    expect((await gradebookOf(forced)).rows).toEqual(first.rows);

    const kept = await readFile(join(out, 'live2', 'snapshot.json'), 'utf8');
    const recollected = await batch(roster, out, { collect, recollect: true });
    expect(reads()).toBe(8);
    expect(recollected.outcomes.find((outcome) => outcome.student.id === 'live2')?.regraded).toEqual(['--recollect']);
    // A new read, kept in place of the old one, and graded.
    const fresh = JSON.parse(await readFile(join(out, 'live2', 'snapshot.json'), 'utf8')) as { collectedAt: string };
    expect(fresh.collectedAt).not.toBe((JSON.parse(kept) as { collectedAt: string }).collectedAt);
    expect((await gradebookOf(recollected)).rows.find((row) => row.student === 'live2')?.graded_at).toBe(fresh.collectedAt);
  });

  it('grades again on other params and another lab profile, and refuses to read an account again without --recollect', async () => {
    const params = await batch(roster, out, { collect, paramOverrides: { 'network.appPort': '8080' } });
    expect(params.outcomes.filter((outcome) => outcome.status === 'ok').map((outcome) => outcome.regraded)).toEqual(Array(12).fill(['params changed']));

    // live3's folder lost its snapshot: grading again would need its account, which only --recollect reads.
    await unlink(join(out, 'live3', 'snapshot.json'));
    const before = await readFile(join(out, 'live3', 'scorecard.json'), 'utf8');
    const back = await batch(roster, out, { collect });
    expect(reads()).toBe(8);
    const live3 = back.outcomes.find((outcome) => outcome.student.id === 'live3')!;
    expect(live3.status).toBe('error');
    expect(live3.error).toMatch(/^graded again \(params changed\), but .*live3 keeps no snapshot to grade from: run the batch with --recollect to read the account again$/);
    expect(await readFile(join(out, 'live3', 'scorecard.json'), 'utf8')).toBe(before);

    const academy = loadRoster(roster);
    academy.students[0] = { ...academy.students[0]!, labProfile: 'academy' };
    const profiled = await runBatch({ roster: academy, rubric, rubricFile: 'rubric.yaml', outDir: out, concurrency: 4, force: false, formats: ['html'], collect });
    // The academy profile has params of its own (tasks run as LabRole), so they changed too.
    expect(profiled.outcomes[0]!.regraded).toEqual(['params changed', 'lab profile own-account → academy']);
    expect(profiled.outcomes[0]!.scorecard!.total.max).toBe(9.25);
  });
});

describe('staleBecause', () => {
  const grading = settleGrading({ rubric, rubricFile: 'rubric.yaml', checks: checksById });
  const current = (): Scorecard['rubric'] & object => ({ file: 'rubric.yaml', sha256: rubric.sha256, paramsSha256: grading.paramsSha256 });

  it('holds a scorecard made with this rubric, params, profile and release; names each difference otherwise', () => {
    const kept = { schemaVersion: 2 as const, rubric: current(), profile: 'own-account', grader: { version: grading.graderVersion } };
    expect(staleBecause(kept, grading)).toEqual([]);
    expect(staleBecause({ ...kept, grader: { version: '0.1.0' } }, grading)).toEqual(['graded by lab-grader 0.1.0']);
    expect(staleBecause({ ...kept, rubric: { ...current(), sha256: '0'.repeat(64), paramsSha256: '1'.repeat(64) }, profile: 'academy' }, grading)).toEqual([
      'rubric changed',
      'params changed',
      'lab profile academy → own-account',
    ]);
  });

  it('grades again what an earlier release wrote: no version or params recorded, or another scorecard format', () => {
    expect(staleBecause({ schemaVersion: 2, rubric: { file: 'rubric.yaml', sha256: rubric.sha256 }, profile: 'own-account' }, grading)).toEqual(['graded by an earlier lab-grader']);
    expect(staleBecause({ schemaVersion: 1 as unknown as 2 }, grading)).toEqual(['an earlier lab-grader wrote it']);
    expect(staleBecause({}, grading)).toEqual(['an earlier lab-grader wrote it']);
  });

  it('counts the reasons over a class, most first', () => {
    expect(countReasons([['rubric changed'], ['rubric changed', 'graded by lab-grader 0.1.0'], ['--force']])).toBe('rubric changed: 2, --force: 1, graded by lab-grader 0.1.0: 1');
  });
});
