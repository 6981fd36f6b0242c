// CloudTrail event history: who used the CLI, and docker logins to ECR. LookupEvents allows
// 2 requests a second per account (the collector paces it) and events arrive minutes late.
import type { Event as TrailEvent, LookupAttribute } from '@aws-sdk/client-cloudtrail';
import type { User } from '@aws-sdk/client-iam';
import { call, dataOf, derived, listOf, lookup, single, type Fact, type ReadContext } from './define.js';
import { trailUsername } from './names.js';

const BOUNDS = { trailEvents: 50, trailUsers: 5 } as const;
const lookupEvents = call('cloudtrail', 'LookupEventsCommand', 'cloudtrail:LookupEvents');

async function recentEvents({ sdk, aws }: ReadContext, attribute: LookupAttribute): Promise<TrailEvent[]> {
  const answer = await aws.cloudtrail.send(new sdk.cloudtrail.LookupEventsCommand({ LookupAttributes: [attribute], MaxResults: BOUNDS.trailEvents }));
  return answer.Events ?? [];
}

/** The caller's events at once; the admin group's other members' once the group's members are known. */
const eventsByUser = lookup<TrailEvent[]>({
  key: 'eventsByUser',
  calls: [lookupEvents],
  serves: ['userEvents'],
  keys: (ctx) => {
    const callerName = trailUsername(ctx.caller.Arn);
    const admins = dataOf(ctx.entry<User[]>('groupMembers', ctx.hints.iam.adminGroup)) ?? [];
    const others = [...new Set(admins.flatMap((u) => (u.UserName ? [u.UserName] : [])))]
      .filter((name) => name !== callerName)
      .slice(0, BOUNDS.trailUsers - 1);
    return [...(callerName ? [callerName] : []), ...others];
  },
  read: (ctx, username) => recentEvents(ctx, { AttributeKey: 'Username', AttributeValue: username }),
});

export const userEvents = derived({
  key: 'userEvents',
  description: "Recent CloudTrail events made by the caller and the admin group's members (for CLI use).",
  calls: [lookupEvents],
  slow: true,
  schema: listOf('EventId'),
  from: 'eventsByUser',
  derive: (entries: Fact<TrailEvent[]>[]): Fact<TrailEvent[]> => {
    const failed = entries.find((fact) => !fact.ok);
    if (failed) return failed;
    return { ok: true, data: [...new Map(entries.flatMap((fact) => dataOf(fact) ?? []).map((event) => [event.EventId, event])).values()] };
  },
});

export const ecrLoginEvents = single({
  key: 'ecrLoginEvents',
  description: 'Recent ecr:GetAuthorizationToken events (docker login).',
  calls: [lookupEvents],
  slow: true,
  schema: listOf('EventId'),
  read: (ctx) => recentEvents(ctx, { AttributeKey: 'EventName', AttributeValue: 'GetAuthorizationToken' }),
});

export const definitions = [eventsByUser, userEvents, ecrLoginEvents] as const;
