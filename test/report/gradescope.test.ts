// results.json as the Gradescope autograder reads it.
import { describe, expect, it } from 'vitest';
import type { Scorecard } from '../../src/grade/scorecard.js';
import { renderReport, type ReportOptions } from '../../src/report/index.js';
import type { GradescopeResults } from '../../src/report/gradescope.js';
import { FIXTURES, scorecard } from './support.js';

const results = (card: Scorecard | (typeof FIXTURES)[number], options: ReportOptions = {}): GradescopeResults =>
  JSON.parse(renderReport(typeof card === 'string' ? scorecard(card) : card, 'gradescope', options)) as GradescopeResults;

const byNumber = (json: GradescopeResults) => Object.fromEntries(json.tests.map((test) => [test.number, test]));

/** The mixed scorecard graded with the own-account profile: the same steps, nothing not applicable. */
function ownAccount(): Scorecard {
  const card = scorecard('mixed');
  card.profile = 'own-account';
  for (const step of card.sections[0]!.steps.filter((candidate) => candidate.status === 'skip')) {
    step.status = 'fail';
    step.points = { earned: 0, max: step.notApplicablePoints! };
    delete step.notApplicablePoints;
    for (const check of step.checks) check.status = 'fail';
  }
  card.sections[0]!.points = { earned: 0.25, max: 1 };
  card.total = { earned: card.total.earned, max: 10 };
  return card;
}

/**
 * Every field Gradescope's specification (gradescope/autograder_samples docs/specs.md, "Output
 * format") names, at the top and in a test; anything else is not read, or worse, read otherwise
 * than we mean (a top-level max_score: the assignment's autograder points are the denominator).
 */
const SPEC_TOP = ['score', 'execution_time', 'output', 'output_format', 'test_output_format', 'test_name_format', 'visibility', 'stdout_visibility', 'extra_data', 'tests', 'leaderboard'];
const SPEC_TEST = ['score', 'max_score', 'status', 'name', 'name_format', 'number', 'output', 'output_format', 'tags', 'visibility', 'extra_data'];

/** The autograder's points as Gradescope shows them: the tests' max_score, the bonus apart. */
const outOf = (json: GradescopeResults) => json.tests.filter((test) => test.number !== 'bonus').reduce((total, test) => total + Math.round(test.max_score * 100), 0) / 100;

describe('gradescope results.json', () => {
  it.each(FIXTURES)('has only fields of the specification, with numbers as numbers and Markdown output (%s)', (name) => {
    for (const options of [{ executionTimeSeconds: 12.6 }, { manualPoints: 'exclude' as const }]) {
      const json = results(name, options);
      expect(Object.keys(json).filter((key) => !SPEC_TOP.includes(key))).toEqual([]);
      for (const test of json.tests) expect(Object.keys(test).filter((key) => !SPEC_TEST.includes(key))).toEqual([]);
    }
    const json = results(name, { executionTimeSeconds: 12.6 });
    expect(Object.keys(json)).toEqual(['score', 'execution_time', 'output', 'output_format', 'visibility', 'stdout_visibility', 'tests']);
    expect(json.execution_time).toBe(13);
    expect(json.output_format).toBe('md');
    expect(json.visibility).toBe('visible');
    expect(json.output).not.toContain('\n');
  });

  it('grades every profile out of the same 10 points: steps not applicable count as earned', () => {
    // The complete lab: 9.50 (2.3's review waits for a person) + the bonus.
    expect(results('complete')).toMatchObject({ score: 10.5 });
    expect(results('complete').output).toContain('**9.50/10.00 points**');
    // Academy: 7.54 earned + 0.75 for 1.1, 1.2 and 1.4, which the lab lets those students omit.
    const academy = results('mixed');
    expect(academy).toMatchObject({ score: 8.29 });
    expect(academy.output).toContain('**8.29/10.00 points**');
    expect(academy.output).toContain('0.75 points of steps not applicable to it counted as earned');
    expect(byNumber(academy)['1.1']).toMatchObject({ name: '1.1 Enable MFA for the root account (not applicable)', score: 0.25, max_score: 0.25, status: 'passed' });
    expect(results(ownAccount())).toMatchObject({ score: 7.54 });
    expect(outOf(academy)).toBe(10);
    expect(outOf(results(ownAccount()))).toBe(10);
  });

  it('with manual points excluded, leaves the review shares of 2.3 and 6.2 to a manual question', () => {
    const json = results('mixed', { manualPoints: 'exclude' });
    // 2.3's review share is 0.50, 6.2's (no --submission) 0.20: the autograder is out of 9.30.
    expect(json).toMatchObject({ score: 8.29 });
    expect(outOf(json)).toBe(9.3);
    expect(json.output).toContain('**8.29/9.30 points**');
    expect(json.output).toContain('0.70 points left to the manual question');
    const tests = byNumber(json);
    expect(tests['2.3']).toMatchObject({ name: '2.3 Integrate S3 into the ML workflow (manual review)', score: 0.5, max_score: 0.5, status: 'passed' });
    expect(tests['2.3']?.output).toContain('0.50 points of this step are graded by a person in the assignment\'s manual question');
    expect(tests['6.2']).toMatchObject({ score: 0.3, max_score: 0.3 });
    const included = byNumber(results('mixed'));
    // Below its max_score, so Gradescope would fail it without the explicit status.
    expect(included['2.3']).toMatchObject({ score: 0.5, max_score: 1, status: 'passed' });
    expect(included['2.3']?.output).toContain('0.50 points of this step wait for a person');
  });

  it.each(FIXTURES)('has a test for every step, numbered by its id (%s)', (name) => {
    const card = scorecard(name);
    const steps = [...card.sections.flatMap((section) => section.steps), ...card.bonus];
    const { tests } = results(name);
    expect(tests.map((test) => test.number)).toEqual(steps.map((step) => step.id));
    for (const test of tests) {
      expect(test.name.startsWith(`${test.number} `)).toBe(true);
      expect(test.output_format).toBe('md');
      expect(typeof test.score).toBe('number');
      expect(typeof test.max_score).toBe('number');
    }
  });

  it('fails what lost points or could not be read; a bonus not earned and a step waiting for a person are no failure', () => {
    const tests = byNumber(results('mixed'));
    const statuses = Object.fromEntries(Object.entries(tests).map(([number, test]) => [number, test.status]));
    expect(statuses).toMatchObject({ '1.1': 'passed', '1.3': 'passed', '2.1': 'failed', '2.3': 'passed', '5.2': 'failed', '6.3': 'failed', bonus: 'passed' });
    expect(tests['2.3']?.name).toBe('2.3 Integrate S3 into the ML workflow (manual review)');
    expect(tests.bonus?.name).toBe("bonus A CloudWatch alarm on the lab's service, target group or load balancer (extra credit, not earned)");
    // The complete lab's only step short of its points is 2.3, whose code review waits for a person: it passes.
    expect(results('complete').tests.filter((test) => test.status !== 'passed')).toEqual([]);
    expect(results('complete').tests.filter((test) => test.score < test.max_score).map((test) => test.number)).toEqual(['2.3']);
  });

  it('explains a miss with evidence and hint, an error with its cause, in Markdown', () => {
    const tests = byNumber(results('mixed'));
    expect(tests['5.2']?.output).toContain('- Observed: miss: cpu 512 units, memory 1024 MiB');
    expect(tests['5.2']?.output).toContain('- **Hint:** Task definition sentiment-app-task:3 should have: 1 vCPU / 3 GB');
    expect(tests['6.3']?.output).toContain('- **Cause:** could not read logEvents: logs:GetLogEvents answered AccessDenied');
    expect(tests['4.1']?.output).not.toContain('Hint:');
  });
});
