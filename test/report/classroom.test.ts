// The GitHub Classroom payload, decoded as classroom-resources/autograding-grading-reporter
// decodes `<RUNNER-ID>_RESULTS`: base64 → UTF-8 → JSON.
import { describe, expect, it } from 'vitest';
import type { ClassroomResults } from '../../src/report/classroom.js';
import { renderReport, type ReportOptions } from '../../src/report/index.js';
import { FIXTURES, scorecard, withStep } from './support.js';
import type { Scorecard } from '../../src/grade/scorecard.js';

function decode(card: Scorecard, options: ReportOptions = {}): ClassroomResults {
  const encoded = renderReport(card, 'classroom', options);
  expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/);
  return JSON.parse(Buffer.from(encoded, 'base64').toString('utf-8')) as ClassroomResults;
}

/**
 * What the reporter posts to the gradebook, computed as its notify-classroom step does: the
 * tests' scores added as plain numbers, in order, over the payload's max_score. A sum that
 * picked up floating-point noise (8.049999999999999) would show here as it would there.
 */
function points(results: ClassroomResults): string {
  let total = 0;
  for (const test of results.tests) total += test.score;
  return `Points ${total}/${results.max_score}`;
}

describe('classroom payload', () => {
  it.each(FIXTURES)('decodes to the documented shape (%s)', (name) => {
    const results = decode(scorecard(name));
    expect(Object.keys(results)).toEqual(['version', 'status', 'max_score', 'tests']);
    expect(results.version).toBe(1);
    const card = scorecard(name);
    expect(results.tests).toHaveLength(card.sections.flatMap((section) => section.steps).length + card.bonus.length);
    for (const test of results.tests) {
      expect(Object.keys(test)).toEqual(['name', 'status', 'score', 'max_score', 'message', 'test_code']);
      expect(['pass', 'fail', 'error']).toContain(test.status);
      expect(typeof test.score).toBe('number');
      expect(typeof test.max_score).toBe('number');
      expect(test.message).not.toBe('');
    }
  });

  it('reaches the gradebook out of the same 10 points for every profile, the bonus as extra credit', () => {
    expect(points(decode(scorecard('complete')))).toBe('Points 10.5/10');
    // The complete lab: 9.50 earned (2.3's review waits for a person) and the bonus.
    // Academy: 7.54 earned and 0.75 for the steps not applicable to it.
    // The reporter's unrounded sum of these scores picks up floating-point noise, and so would the gradebook.
    expect(points(decode(scorecard('mixed')))).toBe('Points 8.290000000000001/10');
    expect(points(decode(scorecard('mixed'), { manualPoints: 'exclude' }))).toBe('Points 8.290000000000001/9.3');
  });

  it('fails the run only for lost points; an unreadable step is an error; manual, not applicable and the bonus pass', () => {
    const results = decode(scorecard('mixed'));
    const byId = Object.fromEntries(results.tests.map((test) => [test.name.split(' ')[0], test]));
    expect(results.status).toBe('fail');
    expect(byId['2.1']?.status).toBe('fail');
    expect(byId['3.1']).toMatchObject({ status: 'fail', score: 0.25, max_score: 0.5 });
    expect(byId['6.3']?.status).toBe('error');
    expect(byId['6.3']?.message).toMatch(/^could not read logEvents/);
    expect(byId['2.3']).toMatchObject({ status: 'pass', score: 0.5, max_score: 1 });
    expect(byId['2.3']?.message).toMatch(/^manual review, 0\.50\/1\.00 earned so far; a person judges the rest/);
    expect(byId['1.1']).toMatchObject({ status: 'pass', score: 0.25, max_score: 0.25 });
    expect(byId.bonus).toMatchObject({ status: 'pass', score: 0, max_score: 1 });
    expect(byId.bonus?.message).toMatch(/^bonus not earned \(extra credit\)/);
    expect(decode(scorecard('complete')).status).toBe('pass');
  });

  it('says error, not fail, when nothing was lost but something could not be read', () => {
    const card = withStep('complete', '6.3', (step) => {
      step.status = 'error';
      step.points = { earned: 0, max: 0.25 };
      step.checks[0]!.status = 'error';
      step.checks[0]!.cause = 'could not read logGroups: AccessDenied';
    });
    expect(decode(card).status).toBe('error');
  });

  it('carries any text through base64 unchanged', () => {
    const card = withStep('mixed', '2.1', (step) => {
      step.checks[0]!.hint = 'emoji 🚀, quotes "x", newline\nand ü';
    });
    expect(decode(card).tests.find((test) => test.name.startsWith('2.1 '))?.message).toContain('emoji 🚀, quotes "x", newline\nand ü');
  });
});
