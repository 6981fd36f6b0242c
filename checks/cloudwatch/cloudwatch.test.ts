// The CloudWatch alarm check (the bonus) on fixtures: the complete lab passes, and a missing
// alarm changes only this check.
import { describe, expect, it } from 'vitest';
import { cloudwatchChecks } from './index.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { denied, example } from '../../test/support/fixtures.js';
import { gradeChecks, type Mistake, testMistakes, testUnreadable } from '../../test/support/mistakes.js';

const mistakes: Mistake[] = [
  {
    name: 'no CloudWatch alarm',
    mutate: (s) => void (s.facts.alarms = { ok: true, data: [] }),
    expected: { 'cloudwatch.alarm': { status: 'fail' } },
  },
];

describe('cloudwatch checks on the complete lab', () => {
  it('pass every check', () => {
    const results = gradeChecks(example('complete-lab'), { checks: cloudwatchChecks });
    expect(Object.values(results).map((result) => result.status)).toEqual(cloudwatchChecks.map(() => 'pass'));
  });
});

describe('each mistake misses only its own step', () => {
  testMistakes(mistakes);
});

describe('unreadable facts are errors, never fails', () => {
  const cases: [string, (s: Snapshot) => void, string][] = [
    ['cloudwatch.alarm', (s: Snapshot) => void (s.facts.alarms = denied('cloudwatch:DescribeAlarms')), 'cloudwatch:DescribeAlarms'],
  ];
  testUnreadable(cases);
});
