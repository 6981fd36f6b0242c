// CloudTrail event history: who used the CLI, and docker logins to ECR. LookupEvents allows
// 2 requests a second per account (the collector paces it) and events arrive minutes late.
// Events are reduced to what the checks read before they enter the snapshot: as LookupEvents
// returns one, it holds the whole record as JSON text (`CloudTrailEvent`), whose
// responseElements can carry credentials (GetSessionToken, AssumeRole: a session token), and
// Resources that name access keys. The checks need who, what, when, and the user agent.
import type { Event as TrailEvent, LookupAttribute } from '@aws-sdk/client-cloudtrail';
import type { User } from '@aws-sdk/client-iam';
import { call, dataOf, derived, listOf, lookup, single, type Fact, type ReadContext } from './define.js';
import { trailUsername } from './names.js';

const BOUNDS = { trailEvents: 50, trailUsers: 5 } as const;
const lookupEvents = call('cloudtrail', 'LookupEventsCommand', 'cloudtrail:LookupEvents');

/** The record's fields kept inside `CloudTrailEvent`: iam.cli-access reads the user agent. */
const RECORD_FIELDS = ['eventTime', 'eventSource', 'eventName', 'userAgent'] as const;

function reducedRecord(text: string): string | undefined {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
  const kept: Record<string, unknown> = {};
  for (const field of RECORD_FIELDS) {
    const value = (record as Record<string, unknown>)[field];
    if (typeof value === 'string') kept[field] = value;
  }
  return JSON.stringify(kept);
}

/** The event with only EventId, EventName, EventSource, EventTime, Username and the reduced record. */
export function trailEventForChecks(event: TrailEvent): TrailEvent {
  const record = event.CloudTrailEvent === undefined ? undefined : reducedRecord(event.CloudTrailEvent);
  return {
    ...(event.EventId === undefined ? {} : { EventId: event.EventId }),
    ...(event.EventName === undefined ? {} : { EventName: event.EventName }),
    ...(event.EventSource === undefined ? {} : { EventSource: event.EventSource }),
    ...(event.EventTime === undefined ? {} : { EventTime: event.EventTime }),
    ...(event.Username === undefined ? {} : { Username: event.Username }),
    ...(record === undefined ? {} : { CloudTrailEvent: record }),
  };
}

async function recentEvents({ sdk, aws }: ReadContext, attribute: LookupAttribute): Promise<TrailEvent[]> {
  const answer = await aws.cloudtrail.send(new sdk.cloudtrail.LookupEventsCommand({ LookupAttributes: [attribute], MaxResults: BOUNDS.trailEvents }));
  return (answer.Events ?? []).map(trailEventForChecks);
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
