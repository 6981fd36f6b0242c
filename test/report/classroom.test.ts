// The GitHub Classroom payload, decoded as classroom-resources/autograding-grading-reporter
// decodes `<RUNNER-ID>_RESULTS`: base64 → UTF-8 → JSON. What the reporter then prints is tested
// by running the reporter itself (test/ci/consumers.test.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Scorecard } from '../../src/grade/scorecard.js';
import { withIntegrity } from '../../src/integrity/apply.js';
import type { ClassroomResults } from '../../src/report/classroom.js';
import { renderReport, type ReportOptions } from '../../src/report/index.js';
import { FIXTURES, scorecard, withStep } from './support.js';

function decode(card: Scorecard, options: ReportOptions = {}): ClassroomResults {
  const encoded = renderReport(card, 'classroom', options);
  expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/);
  return JSON.parse(Buffer.from(encoded, 'base64').toString('utf-8')) as ClassroomResults;
}

/**
 * What the reporter posts to the gradebook, computed as its notify-classroom step does: the
 * tests' scores added as plain numbers, in order, from 0, over the payload's max_score.
 */
function points(results: ClassroomResults): string {
  let total = 0;
  for (const test of results.tests) total += test.score;
  return `Points ${total}/${results.max_score}`;
}

const byId = (results: ClassroomResults) => Object.fromEntries(results.tests.map((test) => [test.name.split(' ')[0]!.replace(/:$/, ''), test]));

const BUNDLED = [{ kind: 'bundled-example' as const, summary: 'the bundled example examples/complete-lab.snapshot.json, unchanged', evidence: ['sha256 398404'] }];

describe('classroom payload', () => {
  it.each(FIXTURES)('decodes to the documented shape: a test per step, then the grade (%s)', (name) => {
    const results = decode(scorecard(name));
    expect(Object.keys(results)).toEqual(['version', 'status', 'max_score', 'tests']);
    expect(results.version).toBe(1);
    const card = scorecard(name);
    expect(results.tests).toHaveLength(card.sections.flatMap((section) => section.steps).length + card.bonus.length + 1);
    expect(results.tests.at(-1)?.name).toMatch(/^Grade: Points /);
    for (const test of results.tests) {
      expect(Object.keys(test)).toEqual(['name', 'status', 'score', 'max_score', 'message', 'test_code', 'line_no']);
      expect(['pass', 'fail', 'error']).toContain(test.status);
      expect(typeof test.score).toBe('number');
      expect(typeof test.max_score).toBe('number');
      // The reporter prints " - line <line_no>" after the name unless it is 0.
      expect(test.line_no).toBe(0);
      expect(test.message).not.toBe('');
    }
  });

  it('reaches the gradebook out of the same 10 points for every profile with at most two decimals, the bonus as extra credit', () => {
    // The complete lab: 9.50 earned (2.3's review waits for a person) and the bonus.
    expect(points(decode(scorecard('complete')))).toBe('Points 10.5/10');
    // Academy: 7.54 earned and 0.75 for the steps not applicable to it. Added as floats, the
    // steps alone give 8.290000000000001: the grade test carries the difference.
    const mixed = decode(scorecard('mixed'));
    expect(points(mixed)).toBe('Points 8.29/10');
    let steps = 0;
    for (const test of mixed.tests.slice(0, -1)) steps += test.score;
    expect(steps).toBe(8.290000000000001);
    expect(Math.abs(mixed.tests.at(-1)!.score)).toBeLessThan(1e-12);
    expect(points(decode(scorecard('mixed'), { manualPoints: 'exclude' }))).toBe('Points 8.29/9.3');
  });

  it('posts exactly the grade in hundredths whatever the steps add up to (property)', () => {
    const card = scorecard('mixed');
    const steps = card.sections.flatMap((section) => section.steps).filter((step) => step.status !== 'skip');
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 100 }), { minLength: steps.length, maxLength: steps.length }), fc.nat({ max: 100 }), (shares, bonus) => {
        const graded = structuredClone(card);
        const gradedSteps = graded.sections.flatMap((section) => section.steps).filter((step) => step.status !== 'skip');
        let hundredths = 0.75 * 100;
        gradedSteps.forEach((step, index) => {
          const earned = Math.round((step.points.max * 100 * shares[index]!) / 100);
          step.points = { earned: earned / 100, max: step.points.max };
          hundredths += earned;
        });
        graded.bonusPoints = { earned: bonus / 100, max: 1 };
        hundredths += bonus;
        expect(points(decode(graded))).toBe(`Points ${hundredths / 100}/10`);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 100) },
    );
  });

  it('names each step with its points, and why when it is neither a plain pass nor a miss', () => {
    const tests = byId(decode(scorecard('mixed')));
    expect(tests['1.1']?.name).toBe('1.1 Enable MFA for the root account [0.25/0.25, not applicable: counted as earned]');
    expect(tests['2.1']?.name).toBe('2.1 Create a private S3 bucket [0.00/0.25]');
    expect(tests['2.3']?.name).toBe('2.3 Integrate S3 into the ML workflow [0.50/1.00, so far: manual review]');
    expect(tests.bonus?.name).toBe("bonus A CloudWatch alarm on the lab's service, target group or load balancer [0.00/1.00, bonus not earned: extra credit]");
    expect(tests.Grade?.name).toBe('Grade: Points 8.29/10 (lab 8.29/10.00, bonus 0.00/1.00)');
  });

  it("prints each miss's hint and evidence under the test, and an error's cause in place of its name", () => {
    const tests = byId(decode(scorecard('mixed')));
    expect(tests['5.2']?.test_code).toMatch(/^Hint: Task definition sentiment-app-task:3 should have: 1 vCPU \/ 3 GB/);
    expect(tests['5.2']?.test_code).toContain('\nObserved: miss: cpu 512 units, memory 1024 MiB');
    expect(tests['6.3']?.message).toMatch(/^6\.3 Monitor with CloudWatch \[0\.00\/0\.25\]: could not read logEvents: logs:GetLogEvents answered AccessDenied/);
    expect(tests['6.3']?.test_code).toMatch(/^Hint: Grant logs:GetLogEvents/);
    expect(tests['2.3']?.test_code).toMatch(/^Manual review: 0\.50 points of this step wait for a person/);
    expect(tests['1.4']?.test_code).toBe('Counted as earned: not applicable with the academy profile; every profile is graded out of the same total.');
    expect(tests['4.1']?.test_code).toBe('');
    // The grade test says which of the reporter's lines is not the grade: 22 of the 27 steps pass, and the grade test.
    expect(tests.Grade?.test_code).toBe(
      'This is the grade GitHub Classroom records: Points 8.29/10.\n' +
        'The reporter\'s "Total points" line and "Test Score" count tests passed (23 of 28) × 10 = 8.21, not points.',
    );
  });

  it('fails the run only for lost points; an unreadable step is an error; manual, not applicable and the bonus pass', () => {
    const tests = byId(decode(scorecard('mixed')));
    expect(decode(scorecard('mixed')).status).toBe('fail');
    expect(tests['2.1']?.status).toBe('fail');
    expect(tests['3.1']).toMatchObject({ status: 'fail', score: 0.25, max_score: 0.5 });
    expect(tests['6.3']?.status).toBe('error');
    expect(tests['2.3']).toMatchObject({ status: 'pass', score: 0.5, max_score: 1 });
    expect(tests['2.3']?.message).toMatch(/^manual review, 0\.50\/1\.00 earned so far; a person judges the rest/);
    expect(tests['1.1']).toMatchObject({ status: 'pass', score: 0.25, max_score: 0.25 });
    expect(tests.bonus).toMatchObject({ status: 'pass', score: 0, max_score: 1 });
    expect(tests.bonus?.message).toMatch(/^bonus not earned \(extra credit\)/);
    expect(tests.Grade?.status).toBe('pass');
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

  it('under --integrity strict posts 0, fails the run and names the flag; under warn keeps the points and names it', () => {
    const strict = decode(withIntegrity(scorecard('complete'), BUNDLED, 'strict'));
    expect(points(strict)).toBe('Points 0/10');
    expect(strict.status).toBe('fail');
    const grade = strict.tests.at(-1)!;
    expect(grade).toMatchObject({ status: 'fail', score: 0 });
    expect(grade.name).toBe(
      'Grade: Points 0/10 (lab 0.00/10.00, bonus 0.00/1.00). Integrity flag (bundled-example): 0 points under --integrity strict; the checks gave 9.50 / 10.00, bonus 1.00.',
    );
    expect(grade.test_code).toContain('\nFlag: bundled-example: the bundled example examples/complete-lab.snapshot.json, unchanged\n  - sha256 398404');
    const warn = decode(withIntegrity(scorecard('complete'), BUNDLED, 'warn'));
    expect(points(warn)).toBe('Points 10.5/10');
    expect(warn.status).toBe('pass');
    expect(warn.tests.at(-1)?.name).toContain('Integrity flag (bundled-example): points kept under --integrity warn');
  });

  it('carries any text through base64, on lines that start with its own words', () => {
    const card = withStep('mixed', '2.1', (step) => {
      step.checks[0]!.hint = 'emoji 🚀, quotes "x", newline\n::error::forged\nand ü';
      step.checks[0]!.evidence = ['first\r\n::warning::forged too'];
    });
    const test = decode(card).tests.find((candidate) => candidate.name.startsWith('2.1 '))!;
    // A line break from the account is shown as \n (safe-text), so the message is one line.
    expect(test.message).toContain('emoji 🚀, quotes "x", newline\\n::error::forged\\nand ü');
    // The job log treats a line starting with "::" as a workflow command.
    for (const line of [test.name, test.message, ...test.test_code.split('\n')]) expect(line.trimStart()).not.toMatch(/^::/);
    expect(test.test_code).toContain('Observed: first\\r\\n::warning::forged too');
  });
});
