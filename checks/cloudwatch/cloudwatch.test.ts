// The CloudWatch alarm check (the bonus) on fixtures: the complete lab passes, and a missing
// alarm changes only this check.
import { describe, expect, it } from 'vitest';
import { cloudwatchChecks } from './index.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { completeLabWith, denied, example, runCheck } from '../../test/support/fixtures.js';
import { expectOnly, gradeChecks, type Mistake } from '../../test/support/mistakes.js';
import { submission } from '../../test/support/submission.js';
import { checksById } from '../index.js';

const mistakes: Mistake[] = [
  {
    name: 'no CloudWatch alarm',
    mutate: (s) => void (s.facts.alarms = { ok: true, data: [] }),
    expected: { 'cloudwatch.alarm': { status: 'fail' } },
  },
];

describe('cloudwatch checks on the complete lab', () => {
  it('pass every check', () => {
    const results = gradeChecks(example('complete-lab'), { checks: cloudwatchChecks, submission });
    expect(Object.values(results).map((result) => result.status)).toEqual(cloudwatchChecks.map(() => 'pass'));
  });
});

describe('each mistake misses only its own step', () => {
  it.each(mistakes)('$name', ({ mutate, expected }) => {
    expectOnly(completeLabWith(mutate), expected, { submission });
  });
});

describe('unreadable facts are errors, never fails', () => {
  const cases: [string, (s: Snapshot) => void, string][] = [
    ['cloudwatch.alarm', (s: Snapshot) => void (s.facts.alarms = denied('cloudwatch:DescribeAlarms')), 'cloudwatch:DescribeAlarms'],
  ];
  it.each(cases)('%s', (id, mutate, call) => {
    const result = runCheck(checksById.get(id)!, completeLabWith(mutate));
    expect(result.status).toBe('error');
    expect(result.cause).toContain(call);
  });
});
