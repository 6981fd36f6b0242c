import type { Event as TrailEvent } from '@aws-sdk/client-cloudtrail';
import { answered, attempt, defineCheck, fail, partial, partlyUnread, pass, type UnreadFact } from '../../src/check/define.js';
import type { Lab } from '../../src/resolve/lab.js';
import type { Json } from '../../src/snapshot/types.js';

type Caller = { kind: 'root' } | { kind: 'user'; name: string } | { kind: 'session'; arn: string };

function callerOf(arn: string): Caller {
  if (/^arn:aws[\w-]*:iam::\d{12}:root$/.test(arn)) return { kind: 'root' };
  const user = /^arn:aws[\w-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (user?.[1]) return { kind: 'user', name: user[1] };
  return { kind: 'session', arn };
}

function userAgentOf(event: Json<TrailEvent>): string | undefined {
  if (!event.CloudTrailEvent) return undefined;
  try {
    const record = JSON.parse(event.CloudTrailEvent) as { userAgent?: unknown };
    return typeof record.userAgent === 'string' ? record.userAgent : undefined;
  } catch {
    return undefined;
  }
}

/** CloudTrail calls each user made from the AWS CLI, or why the event history could not say. */
function cliCallsByUser(lab: Lab): { byUser: Map<string, Json<TrailEvent>[]>; unreadable?: string; unread?: UnreadFact } {
  const byUser = new Map<string, Json<TrailEvent>[]>();
  const events = attempt(() => lab.read('userEvents'));
  if (!events.ok) {
    const { unread } = events;
    return { byUser, unread, unreadable: `CloudTrail event history unreadable (${answered(unread)}): CLI use not confirmed from it` };
  }
  for (const event of events.value) {
    if (!event.Username || !userAgentOf(event)?.startsWith('aws-cli/')) continue;
    byUser.set(event.Username, [...(byUser.get(event.Username) ?? []), event]);
  }
  return { byUser };
}

function cliLine(user: string, calls: Json<TrailEvent>[]): string {
  const latest = [...calls].sort((a, b) => ((a.EventTime ?? '') < (b.EventTime ?? '') ? 1 : -1))[0];
  return `user ${user}: ${calls.length} call(s) from the AWS CLI in CloudTrail, latest ${latest?.EventName} at ${latest?.EventTime}`;
}

export default defineCheck({
  id: 'iam.cli-access',
  title: 'CLI access with the IAM user\'s access key',
  run(lab, params) {
    const arn = lab.read('callerIdentity').Arn;
    const caller = callerOf(arn);
    if (params.iam.sessionCredentialsSuffice) {
      // Where the lab hands out session credentials (AWS Academy), that the grader could use them is the evidence.
      return pass([`the grader read account ${lab.snapshot.account} with working credentials as ${arn}`]);
    }
    const cli = cliCallsByUser(lab);
    const trailLine = cli.unreadable ? [cli.unreadable] : [];
    if (caller.kind === 'user') {
      const active = lab.readKeyed('userAccessKeys', caller.name).filter((key) => key.Status === 'Active');
      const calls = cli.byUser.get(caller.name) ?? [];
      const evidence = [
        `the grader read account ${lab.snapshot.account} as IAM user ${caller.name}`,
        `user ${caller.name}: ${active.length} active access key(s)`,
        ...(calls.length > 0 ? [cliLine(caller.name, calls)] : trailLine),
      ];
      if (active.length > 0 || calls.length > 0) return pass(evidence);
      // CloudTrail could have shown the key's use: the other half is ungraded, not missed.
      if (cli.unread) return partlyUnread(0.5, cli.unread, evidence);
      return partial(
        0.5,
        `Create an access key for user ${caller.name} and use it with the AWS CLI: the user has no active access key.`,
        evidence,
      );
    }
    // The grader ran as root or on a role: look for the IAM user the student set the CLI up with.
    const callerLine =
      caller.kind === 'root'
        ? `the grader ran as the root user of account ${lab.snapshot.account}`
        : `the grader ran as ${arn}, not an IAM user`;
    const notes = caller.kind === 'root' ? ['grading with root credentials: the lab asks to use the IAM user\'s access key instead'] : [];
    const users = lab
      .read('users')
      .flatMap((user) => (user.UserName ? [user.UserName] : []))
      .map((name) => ({
        name,
        active: lab.readKeyed('userAccessKeys', name).filter((key) => key.Status === 'Active').length,
        calls: cli.byUser.get(name) ?? [],
      }))
      .filter((user) => user.active > 0);
    const used = users.find((user) => user.calls.length > 0);
    if (used) {
      return pass([callerLine, `user ${used.name}: ${used.active} active access key(s)`, cliLine(used.name, used.calls)], notes);
    }
    const keyed = users[0];
    if (keyed && cli.unread) {
      return partlyUnread(0.5, cli.unread, [callerLine, `user ${keyed.name}: ${keyed.active} active access key(s)`, ...trailLine], notes);
    }
    if (keyed) {
      return partial(
        0.5,
        `Use user ${keyed.name}'s access key with the AWS CLI (or grade with it): it has an active key, but ` +
          'CloudTrail shows no AWS CLI call by it' +
          ` and the grader ran as ${caller.kind === 'root' ? 'root' : arn}.`,
        [callerLine, `user ${keyed.name}: ${keyed.active} active access key(s)`, `user ${keyed.name}: no AWS CLI call in CloudTrail`],
        notes,
      );
    }
    return fail(
      `Create an access key for your IAM admin user and configure the AWS CLI with it: no IAM user has an active access key.`,
      [callerLine, 'no IAM user has an active access key'],
      notes,
    );
  },
});
