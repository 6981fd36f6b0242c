import { describe, expect, it, vi } from 'vitest';
import { renderGradebook } from '../../src/batch/gradebook.js';
import { withIntegrity } from '../../src/integrity/apply.js';
import { barLine, batchProgress, LINE_DELAY_MS, progressBar, progressLines } from '../../src/batch/progress.js';
import type { BatchProgress, StudentOutcome } from '../../src/batch/runner.js';
import type { IntegrityFlag } from '../../src/integrity/types.js';
import { sampleScorecard } from '../html/sample-scorecard.js';
import { hundredths, readGradebook } from './support.js';

describe('renderGradebook', () => {
  const steps = ['1.1', '1.2', '1.3', '1.4', '2.1', '2.3'];

  it('writes one row per student: points per step (empty when not applicable), status, error, graded_at, what graded it', () => {
    const text = renderGradebook(steps, [
      { student: 'alice', name: 'Example, Alice', scorecard: sampleScorecard({ earned: [0.25, 0.1, 0.5, 1] }) },
      { student: 'bob', error: 'cannot read the snapshot bob.json (ENOENT)' },
    ]);
    expect(text.split('\r\n')).toEqual([
      'student,name,email,total,max,bonus,1.1,1.2,1.3,1.4,2.1,2.3,status,error,integrity,graded_at,rubric_sha256,grader_version',
      `alice,"Example, Alice",,0.85,1.75,1.00,0.25,0.10,0.00,,0.50,0.00,ok,,,2026-11-20T16:30:00.000Z,${'a'.repeat(64)},0.2.0`,
      'bob,,,,,,,,,,,,error,cannot read the snapshot bob.json (ENOENT),,,,',
      '',
    ]);
    const [row] = readGradebook(text).rows;
    expect(steps.reduce((sum, step) => sum + hundredths(row![step]!), 0)).toBe(hundredths(row!.total!));
  });

  it("passes the roster's email and extra columns through, formulas inert, and names flags in the integrity column", () => {
    const copied = { kind: 'copied-from' as const, summary: 'holds evidence read live from dave', evidence: ['account 210987654321: read live from dave'], students: ['dave'] };
    const shared = { kind: 'shared-evidence' as const, summary: 'the same evidence as bob', evidence: ['account 310987654321: also in bob'], students: ['bob'] };
    const graded = () => sampleScorecard({ earned: [0.25, 0.1, 0.5, 1] });
    const text = renderGradebook(steps, [
      { student: 'alice', email: 'alice@example.com', extra: { 'SIS id': '=1+1', Section: 'A' }, scorecard: withIntegrity(graded(), [copied], 'strict') },
      { student: 'carol', extra: { Section: 'B' }, scorecard: graded() },
      { student: 'erin', scorecard: withIntegrity(graded(), [shared], 'strict') },
    ]);
    const { header, rows } = readGradebook(text);
    expect(header.slice(0, 5)).toEqual(['student', 'name', 'email', 'SIS id', 'Section']);
    expect(rows[0]).toMatchObject({ email: 'alice@example.com', 'SIS id': "'=1+1", Section: 'A', total: '0.00', bonus: '0.00', status: 'ok' });
    expect(rows[0]!.integrity).toBe('copied-from (dave); strict: 0 points (the checks gave 0.85, bonus 1.00)');
    // A flag that convicts gives 0 per step too, so the steps still add up to the total.
    expect(steps.reduce((sum, step) => sum + hundredths(rows[0]![step]!), 0)).toBe(0);
    expect(rows[1]).toMatchObject({ 'SIS id': '', Section: 'B', total: '0.85', integrity: '' });
    // Shared evidence alone cannot tell who copied: held for review, the steps' points shown, no total for an import to count.
    expect(rows[2]).toMatchObject({ total: '', max: '1.75', bonus: '', status: 'held' });
    expect(rows[2]!.integrity).toBe('shared-evidence (with bob); strict: held for review (the checks gave 0.85, bonus 1.00; not counted until a person decides)');
    expect(steps.reduce((sum, step) => sum + hundredths(rows[2]![step]!), 0)).toBe(85);
  });

  it('makes names and errors that look like formulas inert', () => {
    const text = renderGradebook(steps, [
      { student: 'mallory', name: '=HYPERLINK("http://example.com","x")', error: '+cmd|calc' },
      { student: 'eve', name: '@SUM(A1:A9)', scorecard: sampleScorecard() },
    ]);
    const { rows } = readGradebook(text);
    expect(rows.map((row) => [row.name, row.error])).toEqual([
      [`'=HYPERLINK("http://example.com","x")`, "'+cmd|calc"],
      ["'@SUM(A1:A9)", ''],
    ]);
  });
});

function progressOf(counts: Omit<BatchProgress, 'outcome' | 'flags'>, outcome: Partial<StudentOutcome> = {}, flags: IntegrityFlag[] = []): BatchProgress {
  const student = { id: counts.student, line: 2, source: { kind: 'snapshot' as const, file: 'a.json', path: 'a.json' } };
  return { ...counts, flags, outcome: { student, status: 'ok', skipped: false, dir: counts.student, seconds: 0.84, ...outcome } };
}

describe('the progress bar', () => {
  it('draws done/total, errors, skips, students graded again and the last student', () => {
    expect(barLine({ done: 12, total: 48, failed: 1, skipped: 3, regraded: 0, student: 's0012' })).toBe(
      '[██████░░░░░░░░░░░░░░░░░░] 12/48 · 1 error · 3 skipped · s0012',
    );
    expect(barLine({ done: 12, total: 48, failed: 0, skipped: 0, regraded: 12, student: 's0012' })).toBe('[██████░░░░░░░░░░░░░░░░░░] 12/48 · 12 graded again · s0012');
    expect(barLine({ done: 2, total: 2, failed: 0, skipped: 0, regraded: 0, student: 'b' })).toBe('[████████████████████████] 2/2 · b');
  });

  it('stays quiet when not on a terminal or in CI, and clears its line when done', () => {
    const written: string[] = [];
    const stream = { isTTY: true, columns: 80, write: (text: string) => written.push(text) };
    expect(progressBar({ ...stream, isTTY: false }, {})).toBeUndefined();
    expect(progressBar(stream, { CI: 'true' })).toBeUndefined();
    const bar = progressBar(stream, {})!;
    bar.onProgress(progressOf({ done: 1, total: 4, failed: 0, skipped: 0, regraded: 0, student: 'alice' }));
    bar.finish();
    expect(written).toEqual(['\r\x1b[2K[██████░░░░░░░░░░░░░░░░░░] 1/4 · alice', '\r\x1b[2K']);
  });
});

describe('progress in CI and pipes', () => {
  it('writes one line per finished student: id, score, seconds and flags', () => {
    const written: string[] = [];
    const progress = batchProgress({ isTTY: false, write: (text: string) => written.push(text) }, {});
    const flag: IntegrityFlag = { kind: 'bundled-example', summary: 'the bundled example', evidence: [] };
    progress.onProgress(progressOf({ done: 1, total: 3, failed: 0, skipped: 0, regraded: 0, student: 'alice' }, { scorecard: sampleScorecard({ earned: [0.25, 0.1, 0.5, 1] }) }, [flag]));
    progress.onProgress(progressOf({ done: 2, total: 3, failed: 1, skipped: 0, regraded: 0, student: 'bob' }, { status: 'error', error: 'cannot read the snapshot bob.json (ENOENT)', seconds: 0.02 }));
    progress.finish();
    expect(written.join('')).toBe(
      '[1/3] alice 0.85 / 1.75, bonus 1.00 · 0.8 s · flags: bundled-example\n' +
        '[2/3] bob could not be graded: cannot read the snapshot bob.json (ENOENT) · 0.0 s\n',
    );
  });

  it('writes the lines in groups: a line waits at most LINE_DELAY_MS, and finish writes what is left', () => {
    vi.useFakeTimers();
    try {
      const written: string[] = [];
      const progress = progressLines({ write: (text: string) => written.push(text) });
      const finished = (done: number, student: string) => progressOf({ done, total: 4, failed: 0, skipped: 0, regraded: 0, student }, { scorecard: sampleScorecard() });
      progress.onProgress(finished(1, 'a'));
      progress.onProgress(finished(2, 'b'));
      expect(written).toEqual([]);
      vi.advanceTimersByTime(LINE_DELAY_MS);
      expect(written).toHaveLength(1);
      expect(written[0]).toMatch(/^\[1\/4\] a .*\n\[2\/4\] b .*\n$/);
      progress.onProgress(finished(3, 'c'));
      vi.advanceTimersByTime(LINE_DELAY_MS - 1);
      expect(written).toHaveLength(1);
      progress.onProgress(finished(4, 'd'));
      progress.finish();
      expect(written).toHaveLength(2);
      expect(written[1]).toMatch(/^\[3\/4\] c .*\n\[4\/4\] d .*\n$/);
      // Nothing is left to write, and the timer of the group finish wrote is gone.
      vi.advanceTimersByTime(LINE_DELAY_MS);
      progress.finish();
      expect(written).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('draws the bar on a terminal outside CI, and lines in CI even on a terminal', () => {
    const written: string[] = [];
    const stream = { isTTY: true, columns: 80, write: (text: string) => written.push(text) };
    batchProgress(stream, {}).onProgress(progressOf({ done: 1, total: 2, failed: 0, skipped: 0, regraded: 0, student: 'a' }, { scorecard: sampleScorecard() }));
    const lines = batchProgress(stream, { CI: 'true' });
    lines.onProgress(progressOf({ done: 2, total: 2, failed: 0, skipped: 0, regraded: 0, student: 'b' }, { scorecard: sampleScorecard() }));
    lines.finish();
    // eslint-disable-next-line no-control-regex -- the bar starts with the terminal's clear-line sequence
    expect(written[0]).toMatch(/^\r\x1b\[2K\[█+░*\] 1\/2 · a$/);
    expect(written[1]).toMatch(/^\[2\/2\] b [\d.]+ \/ 1\.75, bonus [\d.]+ · 0\.8 s\n$/);
  });
});
