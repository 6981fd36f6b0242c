import { afterEach, describe, expect, it, vi } from 'vitest';
import { GetBucketLocationCommand, GetBucketAclCommand, ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';
import { DescribeTaskDefinitionCommand, ListServicesCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { LookupEventsCommand, CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { trailUsername } from '../../src/facts/names.js';
import { CallContext } from '../../src/collect/calls.js';
import { collectSnapshot } from '../../src/collect/index.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { completeLabWith, example, labParams } from '../support/fixtures.js';
import { awsError, mockAccount, revive, type MockedAccount } from './mock-account.js';

let account: MockedAccount | undefined;
afterEach(() => {
  account?.restore();
  account = undefined;
  vi.useRealTimers();
});

const collect = () =>
  collectSnapshot({ params: labParams(), region: 'eu-west-1' });

const CLUSTER = 'arn:aws:ecs:eu-west-1:123456789012:cluster/sentiment-app-cluster';
const BUCKET = 'sentiment-models-123456789012';

describe('buckets in other regions', () => {
  it('asks GetBucketLocation when ListBuckets gives no region, and reads each bucket in its own region', async () => {
    const complete = example('complete-lab');
    account = mockAccount(complete);
    const buckets = revive(complete.facts.buckets.ok ? complete.facts.buckets.data : []);
    // revive() gives Dates at run time; the Json types say strings.
    account.s3.on(ListBucketsCommand).resolves({ Buckets: buckets.map(({ BucketRegion: _region, ...bucket }) => bucket) as never });
    account.s3.on(GetBucketLocationCommand, { Bucket: BUCKET }).resolves({ LocationConstraint: 'ap-southeast-2' });
    account.s3.on(GetBucketLocationCommand, { Bucket: 'cf-templates-1x2y3z4w5v6u-eu-west-1' }).resolves({});
    const snapshot = await collect();
    expect(account.s3.commandCalls(GetBucketLocationCommand)).toHaveLength(2);
    const regions = await Promise.all(
      account.s3.commandCalls(GetBucketAclCommand).map(async (call) => [
        (call.args[0].input as { Bucket: string }).Bucket,
        await (call.thisValue as S3Client).config.region(),
      ]),
    );
    expect(Object.fromEntries(regions)).toEqual({ [BUCKET]: 'ap-southeast-2', 'cf-templates-1x2y3z4w5v6u-eu-west-1': 'us-east-1' });
    expect(snapshot.facts.bucketAcls).toEqual(complete.facts.bucketAcls);
    expect(snapshot.collector.rounds).toBe(4);
  });
});

describe('dependent facts', () => {
  it('a service on an older task definition revision gets it read in a follow-up round', async () => {
    const complete = example('complete-lab');
    account = mockAccount(complete);
    const latest = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/sentiment-app-task:4';
    const current = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/sentiment-app-task:3';
    const revision3 = revive(complete.facts.taskDefinitions[current]);
    const revision4 = { ...(revision3?.ok ? revision3.data : {}), taskDefinitionArn: latest, revision: 4 };
    account.ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [latest, current] });
    account.ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: latest }).resolves({ taskDefinition: revision4 as never });
    const snapshot = await collect();
    expect(Object.keys(snapshot.facts.taskDefinitions).sort()).toEqual([current, latest]);
    expect(snapshot.facts.taskDefinitions[current]).toEqual(complete.facts.taskDefinitions[current]);
    expect(snapshot.collector.rounds).toBe(5);
  });

  it('reads the log group a task definition names even when no hint or family guessed it', async () => {
    const group = '/aws/containers/app';
    const renamed = completeLabWith((s: Snapshot) => {
      const text = JSON.stringify(s.facts).replaceAll('/ecs/sentiment-app-task', group);
      s.facts = JSON.parse(text) as Snapshot['facts'];
    });
    account = mockAccount(renamed);
    const snapshot = await collect();
    expect(snapshot.facts.logStreams).toEqual(renamed.facts.logStreams);
    expect(snapshot.facts.logEvents).toEqual(renamed.facts.logEvents);
    expect(Object.keys(snapshot.facts.logEvents)).toEqual([group]);
    expect(snapshot.collector.rounds).toBe(5);
  });

  it('a failed ListServices is recorded on the cluster\'s services, naming ecs:ListServices', async () => {
    account = mockAccount(example('complete-lab'));
    account.ecs.on(ListServicesCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: ecs:ListServices'));
    const snapshot = await collect();
    expect(snapshot.facts.services[CLUSTER]).toEqual({
      ok: false,
      error: { call: 'ecs:ListServices', code: 'AccessDeniedException', message: 'not authorized to perform: ecs:ListServices' },
    });
    expect(snapshot.facts.tasks[CLUSTER]?.ok).toBe(true);
  });

  it("reads the admin group's other members' CloudTrail events too", async () => {
    const withSecondAdmin = completeLabWith((s: Snapshot) => {
      const members = s.facts.groupMembers.admin;
      if (members?.ok) members.data.push({ ...members.data[0]!, UserName: 'second-admin' });
      if (s.facts.userEvents.ok) s.facts.userEvents.data.push({ ...s.facts.userEvents.data[0]!, EventId: 'e-second', Username: 'second-admin' });
    });
    account = mockAccount(withSecondAdmin);
    const snapshot = await collect();
    const usernames = account.cloudtrail
      .commandCalls(LookupEventsCommand)
      .map((call) => call.args[0].input.LookupAttributes?.[0]?.AttributeValue);
    expect(usernames.sort()).toEqual(['GetAuthorizationToken', 'second-admin', 'student-admin']);
    expect(snapshot.facts.userEvents.ok && snapshot.facts.userEvents.data.map((e) => e.Username)).toEqual([
      'student-admin',
      'student-admin',
      'second-admin',
    ]);
  });
});

describe('CallContext', () => {
  it('never has more calls in flight than its bound, and counts only rounds that called', async () => {
    const ec2 = mockClient(EC2Client);
    let inFlight = 0;
    let most = 0;
    ec2.on(DescribeVpcsCommand).callsFake(async () => {
      most = Math.max(most, (inFlight += 1));
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { Vpcs: [] };
    });
    const ctx = new CallContext(3);
    const client = ctx.wrap(new EC2Client({ region: 'eu-west-1' }));
    await ctx.round(Array.from({ length: 10 }, () => () => client.send(new DescribeVpcsCommand({}))));
    await ctx.round([async () => undefined]);
    ec2.restore();
    expect(most).toBe(3);
    expect(ctx.calls).toBe(10);
    expect(ctx.rounds).toBe(1);
  });

  it('starts at most 2 CloudTrail LookupEvents per second', async () => {
    vi.useFakeTimers();
    const trail = mockClient(CloudTrailClient);
    const starts: number[] = [];
    trail.on(LookupEventsCommand).callsFake(async () => {
      starts.push(Date.now());
      return { Events: [] };
    });
    const ctx = new CallContext(8);
    const client = ctx.wrap(new CloudTrailClient({ region: 'eu-west-1' }));
    const round = ctx.round(Array.from({ length: 3 }, () => () => client.send(new LookupEventsCommand({}))));
    await vi.advanceTimersByTimeAsync(1500);
    await round;
    trail.restore();
    expect(starts).toHaveLength(3);
    expect(starts[2]! - starts[0]!).toBeGreaterThanOrEqual(1000);
  });
});

describe('trailUsername', () => {
  it.each([
    ['arn:aws:iam::123456789012:user/student-admin', 'student-admin'],
    ['arn:aws:iam::123456789012:user/division/student-admin', 'student-admin'],
    ['arn:aws:sts::123456789012:assumed-role/voclabs/user1234567=student@example.com', 'user1234567=student@example.com'],
    ['arn:aws:iam::123456789012:root', 'root'],
    ['arn:aws:sts::123456789012:federated-user/someone', undefined],
  ])('%s → %s', (arn, name) => {
    expect(trailUsername(arn)).toBe(name);
  });
});
