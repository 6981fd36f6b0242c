import { describe, expect, it } from 'vitest';
import { renderGradebook } from '../../src/batch/gradebook.js';
import { barLine, progressBar } from '../../src/batch/progress.js';
import { sampleScorecard } from '../html/sample-scorecard.js';
import { hundredths, readGradebook } from './support.js';

describe('renderGradebook', () => {
  const steps = ['1.1', '1.2', '1.3', '1.4', '2.1', '2.3'];

  it('writes one row per student: points per step (empty when not applicable), status, error, graded_at', () => {
    const text = renderGradebook(steps, [
      { student: 'alice', name: 'Example, Alice', scorecard: sampleScorecard({ earned: [0.25, 0.1, 0.5, 1] }) },
      { student: 'bob', error: 'cannot read the snapshot bob.json (ENOENT)' },
    ]);
    expect(text.split('\r\n')).toEqual([
      'student,name,total,max,bonus,1.1,1.2,1.3,1.4,2.1,2.3,status,error,graded_at',
      'alice,"Example, Alice",0.85,1.75,1.00,0.25,0.10,0.00,,0.50,0.00,ok,,2026-11-20T16:30:00.000Z',
      'bob,,,,,,,,,,,error,cannot read the snapshot bob.json (ENOENT),',
      '',
    ]);
    const [row] = readGradebook(text).rows;
    expect(steps.reduce((sum, step) => sum + hundredths(row![step]!), 0)).toBe(hundredths(row!.total!));
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

describe('the progress bar', () => {
  it('draws done/total, errors, skips and the last student', () => {
    expect(barLine({ done: 12, total: 48, failed: 1, skipped: 3, student: 's0012' })).toBe(
      '[██████░░░░░░░░░░░░░░░░░░] 12/48 · 1 error · 3 skipped · s0012',
    );
    expect(barLine({ done: 2, total: 2, failed: 0, skipped: 0, student: 'b' })).toBe('[████████████████████████] 2/2 · b');
  });

  it('stays quiet when not on a terminal or in CI, and clears its line when done', () => {
    const written: string[] = [];
    const stream = { isTTY: true, columns: 80, write: (text: string) => written.push(text) };
    expect(progressBar({ ...stream, isTTY: false }, {})).toBeUndefined();
    expect(progressBar(stream, { CI: 'true' })).toBeUndefined();
    const bar = progressBar(stream, {})!;
    bar.onProgress({ done: 1, total: 4, failed: 0, skipped: 0, student: 'alice' });
    bar.finish();
    expect(written).toEqual(['\r\x1b[2K[██████░░░░░░░░░░░░░░░░░░] 1/4 · alice', '\r\x1b[2K']);
  });
});
