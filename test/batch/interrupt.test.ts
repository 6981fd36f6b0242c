// An interrupted batch leaves a usable class: no student is started after the signal, those
// in flight finish within the grace or are abandoned (writing nothing more), the gradebook and
// the overview mark the rest not graded yet, no folder is left empty, and the resume finishes
// the class byte-identical to an uninterrupted run.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoster } from '../../src/batch/roster.js';
import { RESUME_FILE } from '../../src/batch/resume.js';
import { runBatch, type BatchOptions, type BatchResult, type LiveCollector } from '../../src/batch/runner.js';
import { loadRubric } from '../../src/rubric/load.js';
import { anotherAccount } from '../support/fixtures.js';
import { readGradebook } from './support.js';

const rubric = loadRubric(fileURLToPath(new URL('../../rubric.yaml', import.meta.url)), 'rubric.yaml');
const CLASS = 20;

/** Every file under `dir`, by its path from `dir`, with its bytes as text. */
async function filesUnder(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of (await readdir(dir, { recursive: true, withFileTypes: true })).filter((found) => found.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(dir.length + 1), await readFile(path, 'utf8'));
  }
  return files;
}

/** Student folders under `dir` holding nothing. */
async function emptyFolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const empty: string[] = [];
  for (const entry of entries.filter((found) => found.isDirectory())) if ((await readdir(join(dir, entry.name))).length === 0) empty.push(entry.name);
  return empty;
}

/**
 * Live students whose reads the test lets through: each waits for its gate, which opens for
 * the first `open` students at once and for the others when `release` is called.
 */
function gatedClass(open: number) {
  const roster = parseRoster(`students:\n${Array.from({ length: CLASS }, (_, index) => `  - id: live${String(index + 1).padStart(2, '0')}\n    awsProfile: student${index + 1}\n`).join('')}`, 'roster.yaml');
  let released = false;
  const waiting: (() => void)[] = [];
  const started: string[] = [];
  const collect: LiveCollector = async (student) => {
    started.push(student.id);
    const number = Number(student.id.slice(4));
    if (number > open && !released) await new Promise<void>((resolve) => waiting.push(resolve));
    return { snapshot: anotherAccount(number) };
  };
  const release = (): void => {
    released = true;
    for (const resolve of waiting.splice(0)) resolve();
  };
  return { roster, collect, release, started };
}

function options(out: string, extra: Partial<BatchOptions>): BatchOptions {
  return { roster: gatedClass(CLASS).roster, rubric, rubricFile: 'rubric.yaml', outDir: out, concurrency: 4, force: false, formats: ['html', 'junit'], ...extra };
}

describe('a batch interrupted while it grades a class of 20', { timeout: 120_000 }, () => {
  let dir: string;
  let uninterrupted: Map<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-grader-interrupt-'));
    const whole = gatedClass(CLASS);
    await runBatch(options(join(dir, 'whole'), { roster: whole.roster, collect: whole.collect }));
    uninterrupted = await filesUnder(join(dir, 'whole'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('starts no one after the signal, abandons who is stuck past the grace, writes the class so far, and the resume ends byte-identical', async () => {
    const out = join(dir, 'stopped');
    const gated = gatedClass(5);
    const controller = new AbortController();
    let result: BatchResult | undefined;
    const running = runBatch(
      options(out, {
        roster: gated.roster,
        collect: gated.collect,
        signal: controller.signal,
        graceMs: 200,
        onProgress: (progress) => {
          // Five graded, four more in flight and stuck: Ctrl-C.
          if (progress.done === 5) controller.abort();
        },
      }),
    ).then((done) => (result = done));
    await running;
    expect(result!.interrupted).toBe(true);
    // The four workers had started students 6 to 8 (stuck at their gate); the one that finished student 5 started no one.
    expect(gated.started).toHaveLength(8);
    expect(result!.outcomes.map((outcome) => outcome.status)).toEqual([...Array(5).fill('ok'), ...Array(15).fill('pending')]);

    const { rows } = readGradebook(await readFile(result!.gradebook, 'utf8'));
    expect(rows.map((row) => row.status)).toEqual([...Array(5).fill('ok'), ...Array(15).fill('not graded yet')]);
    expect(await readFile(result!.overview, 'utf8')).toContain('20 students · 5 graded · 15 not graded yet (interrupted)');
    expect(await emptyFolders(out)).toEqual([]);
    expect((await readdir(out)).sort()).toEqual(['gradebook.csv', 'index.html', 'live01', 'live02', 'live03', 'live04', 'live05']);
    // A plain run needs no state to resume: the next run grades whoever has no scorecard.
    expect(await readdir(out)).not.toContain(RESUME_FILE);

    // The abandoned reads end later: they write nothing into the class.
    gated.release();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await readdir(out)).filter((entry) => entry.startsWith('live')).length).toBe(5);

    const resumed = gatedClass(CLASS);
    const again = await runBatch(options(out, { roster: resumed.roster, collect: resumed.collect }));
    expect(again.interrupted).toBe(false);
    expect(resumed.started).toHaveLength(15);
    expect(again.outcomes.filter((outcome) => outcome.skipped)).toHaveLength(5);
    expect(await filesUnder(out)).toEqual(uninterrupted);
  });

  it('lets the students in flight finish within the grace, and resumes an interrupted --force for those it had not reached', async () => {
    const out = join(dir, 'forced');
    const first = gatedClass(CLASS);
    await runBatch(options(out, { roster: first.roster, collect: first.collect }));

    const gated = gatedClass(5);
    const controller = new AbortController();
    const result = await runBatch(
      options(out, {
        roster: gated.roster,
        collect: gated.collect,
        force: true,
        signal: controller.signal,
        graceMs: 60_000,
        onProgress: (progress) => {
          if (progress.done === 2) controller.abort();
        },
      }),
    );
    // --force grades from the snapshots kept: nothing waits on a read, and those in flight finish.
    expect(gated.started).toHaveLength(0);
    expect(result.interrupted).toBe(true);
    const pending = result.outcomes.filter((outcome) => outcome.status === 'pending').map((outcome) => outcome.student.id);
    const done = result.outcomes.filter((outcome) => outcome.status === 'ok');
    expect(done.length + pending.length).toBe(CLASS);
    expect(done.length).toBeGreaterThanOrEqual(2);
    expect(done.every((outcome) => outcome.regraded?.[0] === '--force')).toBe(true);
    const state = JSON.parse(await readFile(join(out, RESUME_FILE), 'utf8')) as { force: boolean; notGradedYet: string[] };
    expect(state.force).toBe(true);
    expect(state.notGradedYet).toEqual(pending);

    // The resume (without --force) grades again exactly those, from their kept snapshots, and clears the state.
    const resumed = gatedClass(CLASS);
    const again = await runBatch(options(out, { roster: resumed.roster, collect: resumed.collect }));
    expect(resumed.started).toHaveLength(0);
    expect(again.outcomes.filter((outcome) => outcome.regraded?.[0] === '--force').map((outcome) => outcome.student.id)).toEqual(state.notGradedYet);
    expect(again.outcomes.filter((outcome) => outcome.skipped)).toHaveLength(done.length);
    expect(await readdir(out)).not.toContain(RESUME_FILE);
    expect(await filesUnder(out)).toEqual(uninterrupted);
  });
});
