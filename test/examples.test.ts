// The bundled examples, graded by the whole engine against the shipped rubric: what a
// person sees first (`npm run demo`) must be right.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checksById } from '../checks/index.js';
import { grade } from '../src/grade/engine.js';
import type { Scorecard } from '../src/grade/scorecard.js';
import { loadRubric } from '../src/rubric/load.js';
import { scanSubmission } from '../src/submission/scan.js';
import { budgetsChecks } from '../checks/budgets/index.js';
import { ecrChecks } from '../checks/ecr/index.js';
import { iamChecks } from '../checks/iam/index.js';
import { s3Checks } from '../checks/s3/index.js';
import { example } from './support/fixtures.js';
import { gradeChecks } from './support/mistakes.js';

const rubric = loadRubric(fileURLToPath(new URL('../rubric.yaml', import.meta.url)), 'rubric.yaml');
const root = fileURLToPath(new URL('../', import.meta.url));

function stepPoints(scorecard: Scorecard): Map<string, number> {
  const steps = [...scorecard.sections.flatMap((section) => section.steps), ...scorecard.bonus];
  return new Map(steps.map((step) => [step.id, step.points.earned]));
}

describe('the bundled examples', () => {
  const complete = grade({ rubric, rubricFile: 'rubric.yaml', snapshot: example('complete-lab'), checks: checksById });

  it('the complete lab earns every point the account can show; only manual reviews are pending', () => {
    const steps = [...complete.sections.flatMap((section) => section.steps), ...complete.bonus];
    const notFull = steps.filter((step) => step.points.earned !== step.points.max);
    expect(notFull.map((step) => [step.id, step.status])).toEqual([
      ['2.3', 'manual'],
      ['6.2', 'manual'],
    ]);
    expect(complete.total).toEqual({ earned: 9.3, max: 10 });
    expect(complete.bonusPoints).toEqual({ earned: 1, max: 1 });
  });

  it("with the bundled submission, step 6.2's test script is found and 6.2 is full", async () => {
    const submission = await scanSubmission(`${root}examples/submission`);
    const scorecard = grade({ rubric, rubricFile: 'rubric.yaml', snapshot: example('complete-lab'), submission, checks: checksById });
    const step = scorecard.sections.flatMap((section) => section.steps).find((candidate) => candidate.id === '6.2');
    expect(step).toMatchObject({ status: 'pass', points: { earned: 0.5, max: 0.5 } });
    expect(scorecard.total.earned).toBe(9.5);
  });

  it('the mistakes example loses points exactly at its seven mistakes (examples/README.md), nowhere else', () => {
    const mistakes = grade({ rubric, rubricFile: 'rubric.yaml', snapshot: example('mistakes'), checks: checksById });
    const before = stepPoints(complete);
    const after = stepPoints(mistakes);
    const lost = [...before].filter(([id, points]) => after.get(id) !== points).map(([id]) => id);
    expect(lost).toEqual(['1.1', '1.4', '2.1', '3.1', '4.6', '5.2', 'bonus']);
    for (const id of lost) expect(after.get(id)).toBeLessThan(before.get(id)!);
    expect(mistakes.total.earned).toBe(8.25);
  });
});

describe('sections 1-3 on the bundled examples', () => {
  const checks = [...iamChecks, ...budgetsChecks, ...s3Checks, ...ecrChecks];

  it('the complete lab earns every point; only the S3 workflow review waits for a person', () => {
    const results = gradeChecks(example('complete-lab'), { checks });
    const notPassing = Object.entries(results).filter(([, result]) => result.status !== 'pass');
    expect(notPassing.map(([id, result]) => [id, result.status])).toEqual([['s3.workflow-review', 'manual']]);
  });

  it('the mistakes example misses exactly its section 1-3 mistakes, each with a hint naming the resource', () => {
    const results = gradeChecks(example('mistakes'), { checks });
    const missed = Object.fromEntries(
      Object.entries(results)
        .filter(([, result]) => result.status !== 'pass' && result.status !== 'manual')
        .map(([id, result]) => [id, { status: result.status, hint: result.hint }]),
    );
    expect(missed).toEqual({
      'iam.root-mfa': { status: 'fail', hint: expect.stringContaining('account 123456789012') },
      'budgets.email-alert': { status: 'fail', hint: expect.stringContaining('budget monthly-cost-budget') },
      's3.private-bucket': { status: 'fail', hint: expect.stringContaining('bucket sentiment-models-123456789012') },
      'ecr.aes256-encryption': { status: 'fail', hint: expect.stringContaining('Repository sentiment-app is encrypted with KMS') },
    });
  });
});
