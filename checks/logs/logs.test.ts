// The CloudWatch Logs check on fixtures: the complete lab passes, and each typical mistake
// changes only the checks that grade it.
import { describe, expect, it } from 'vitest';
import { logsChecks } from './index.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { CLUSTER, LOG_GROUP, taskDefinitionOf } from '../../test/support/complete-lab.js';
import { completeLabWith, dataOf, denied, example, runCheck } from '../../test/support/fixtures.js';
import { gradeChecks, type Mistake, testMistakes, testNamesAreData, testUnreadable } from '../../test/support/mistakes.js';

const mistakes: Mistake[] = [
  {
    name: 'an empty log group',
    mutate: (s) => {
      s.facts.logStreams[LOG_GROUP] = { ok: true, data: [] };
      s.facts.logEvents[LOG_GROUP] = { ok: true, data: [] };
    },
    expected: { 'logs.service-logs': { status: 'fail', says: ['has no events'] } },
  },
  {
    name: 'logs from an earlier task only',
    mutate: (s) => void (dataOf(s.facts.logStreams[LOG_GROUP]!)[0]!.logStreamName = 'ecs/sentiment-app/aaaabbbbccccdddd'),
    expected: { 'logs.service-logs': { status: 'partial' } },
  },
];

describe('logs checks on the complete lab', () => {
  it('pass every check', () => {
    const results = gradeChecks(example('complete-lab'), { checks: logsChecks });
    expect(Object.values(results).map((result) => result.status)).toEqual(logsChecks.map(() => 'pass'));
  });

  it('fails when no task definition logs to the group, so its streams were never read', () => {
    const snapshot = completeLabWith((s) => {
      delete (taskDefinitionOf(s).containerDefinitions ?? [])[0]!.logConfiguration;
      delete s.facts.logStreams[LOG_GROUP];
      delete s.facts.logEvents[LOG_GROUP];
    });
    const result = runCheck(logsChecks[0]!, snapshot);
    expect(result.status).toBe('fail');
    expect(result.hint).toContain('turn on awslogs');
  });
});

describe('each mistake misses only its own step', () => {
  testMistakes(mistakes);
});

describe('unreadable facts are errors, never fails', () => {
  const cases: [string, (s: Snapshot) => void, string][] = [
    [
      'logs.service-logs',
      (s: Snapshot) => {
        s.facts.services[CLUSTER] = denied('ecs:DescribeServices');
        s.facts.taskDefinitions = {};
      },
      'ecs:DescribeServices',
    ],
    ['logs.service-logs', (s: Snapshot) => void (s.facts.logStreams[LOG_GROUP] = denied('logs:DescribeLogStreams')), 'logs:DescribeLogStreams'],
  ];
  testUnreadable(cases);
});

describe('names are data, never object keys', () => {
  testNamesAreData([{ resource: 'the log group', name: '/ecs/sentiment-app-task' }]);
});
