// CloudWatch Logs: the log groups, and the latest events of the lab service's log group.
import type { LogGroup, LogStream } from '@aws-sdk/client-cloudwatch-logs';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import * as z from 'zod';
import { call, collectPages, dataOf, EarlierFailure, keyed, listOf, sdkObject, single, type ReadContext } from './define.js';
import { ecsHints, latestByFamily } from './ecs.js';
import { labFirst, matchesHint } from './names.js';

const BOUNDS = { logGroups: 5, logStreams: 5, logEvents: 50 } as const;

/**
 * The log groups whose latest events are read: those the task definitions name, and,
 * guessed early so logs need no extra round, the console's `/ecs/<family>` default or a hint.
 */
function wantedLogGroups(ctx: ReadContext): string[] {
  const families = new Set(latestByFamily(ctx).keys());
  const hints = ecsHints(ctx);
  const guessed = (dataOf(ctx.get<LogGroup[]>('logGroups')) ?? []).filter(
    (g) => families.has((g.logGroupName ?? '').replace(/^\/ecs\//, '')) || matchesHint(g.logGroupName, hints),
  );
  const wanted = labFirst(guessed, (g) => g.logGroupName, hints, BOUNDS.logGroups).map((g) => g.logGroupName ?? '');
  for (const arn of ctx.keysOf('taskDefinitions')) {
    for (const container of dataOf(ctx.entry<TaskDefinition>('taskDefinitions', arn))?.containerDefinitions ?? []) {
      const group = container.logConfiguration?.logDriver === 'awslogs' && container.logConfiguration.options?.['awslogs-group'];
      if (group && !wanted.includes(group)) wanted.push(group);
    }
  }
  return wanted;
}

export const logGroups = single({
  key: 'logGroups',
  description: 'CloudWatch log groups (first pages).',
  calls: [call('logs', 'DescribeLogGroupsCommand', 'logs:DescribeLogGroups')],
  schema: listOf('logGroupName'),
  read: ({ sdk, aws }) => collectPages(sdk.logs.paginateDescribeLogGroups({ client: aws.logs }, {}), (p) => p.logGroups, 10),
});

export const logStreams = keyed({
  key: 'logStreams',
  description: "The lab's log groups' streams, newest first.",
  keyedBy: 'log group name',
  calls: [call('logs', 'DescribeLogStreamsCommand', 'logs:DescribeLogStreams')],
  after: ['logGroups', 'taskDefinitionArns'],
  schema: listOf('logStreamName'),
  keys: wantedLogGroups,
  read: async ({ sdk, aws }, group) =>
    (
      await aws.logs.send(
        new sdk.logs.DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', descending: true, limit: BOUNDS.logStreams }),
      )
    ).logStreams ?? [],
  none: { codes: ['ResourceNotFoundException'], value: [] },
});

export const logEvents = keyed({
  key: 'logEvents',
  description: "The latest events of each log group's newest stream.",
  keyedBy: 'log group name',
  calls: [call('logs', 'GetLogEventsCommand', 'logs:GetLogEvents')],
  after: ['logStreams'],
  schema: z.array(sdkObject),
  keys: (ctx) => ctx.keysOf('logStreams'),
  read: async ({ sdk, aws, entry }, group) => {
    const streams = entry<LogStream[]>('logStreams', group);
    if (streams && !streams.ok) throw new EarlierFailure(streams.error);
    const newest = dataOf(streams)?.[0]?.logStreamName;
    if (newest === undefined) return [];
    const answer = await aws.logs.send(
      new sdk.logs.GetLogEventsCommand({ logGroupName: group, logStreamName: newest, startFromHead: false, limit: BOUNDS.logEvents }),
    );
    return answer.events ?? [];
  },
  none: { codes: ['ResourceNotFoundException'], value: [] },
});

export const definitions = [logGroups, logStreams, logEvents] as const;
