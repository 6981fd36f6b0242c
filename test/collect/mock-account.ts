// A mocked AWS account that answers every collector call from a snapshot's facts, as the
// SDK would (Dates as Date objects, "none" answers as the errors AWS sends). Facts are answered
// from their definitions; only multi-step reads and lookups are answered by hand here.
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { IAMClient } from '@aws-sdk/client-iam';
import {
  BudgetsClient,
  DescribeNotificationsForBudgetCommand,
  DescribeSubscribersForNotificationCommand,
} from '@aws-sdk/client-budgets';
import { GetBucketLocationCommand, S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { ECRClient } from '@aws-sdk/client-ecr';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { SDK } from '../../src/collect/sdk.js';
import type { ClientName, FactDefinition } from '../../src/facts/define.js';
import { FACT_DEFINITIONS } from '../../src/facts/index.js';
import type { Fact, Snapshot } from '../../src/snapshot/types.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The SDK's shapes: ISO strings back to Date objects. */
export function revive<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) => (typeof v === 'string' && ISO_DATE.test(v) ? new Date(v) : v)) as T;
}

/** An AWS service error as the SDK throws it: `name` is AWS's error code. */
export function awsError(name: string, message = `${name} (mocked)`): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyStub = AwsStub<any, any, any>;

export interface MockedAccount {
  sts: AnyStub;
  iam: AnyStub;
  budgets: AnyStub;
  s3: AnyStub;
  s3control: AnyStub;
  ecr: AnyStub;
  ec2: AnyStub;
  elb: AnyStub;
  ecs: AnyStub;
  logs: AnyStub;
  cloudwatch: AnyStub;
  cloudtrail: AnyStub;
  /** Every command class the account answers. */
  answered: ReadonlySet<object>;
  restore(): void;
}

/**
 * Mocks every AWS client class so each call answers from `snapshot.facts`, after `delayMs`
 * (the benchmark's stand-in for a round trip). A fact stored as an error is thrown as that error.
 */
export function mockAccount(snapshot: Snapshot, options: { delayMs?: number } = {}): MockedAccount {
  const facts = revive(snapshot.facts);
  const delay = options.delayMs ?? 0;
  const data = <T>(fact: Fact<T> | undefined, missing = 'ResourceNotFoundException'): T => {
    if (fact === undefined) throw awsError(missing);
    if (!fact.ok) throw awsError(fact.error.code, fact.error.message);
    return fact.data;
  };
  const answered = new Set<object>();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const answer = (stub: AnyStub, command: any, respond: (input: any) => unknown) => {
    answered.add(command);
    stub.on(command).callsFake(async (input: unknown) => {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      return respond(input);
    });
  };

  const sts = mockClient(STSClient);
  answer(sts, GetCallerIdentityCommand, () => data(facts.callerIdentity));

  const budgets = mockClient(BudgetsClient);
  answer(budgets, DescribeNotificationsForBudgetCommand, (i) => ({
    Notifications: data(facts.budgetNotifications[i.BudgetName], 'NotFoundException').map((n) => n.Notification),
  }));
  answer(budgets, DescribeSubscribersForNotificationCommand, (i) => ({
    Subscribers: data(facts.budgetNotifications[i.BudgetName], 'NotFoundException').find(
      (n) => JSON.stringify(n.Notification) === JSON.stringify(i.Notification),
    )?.Subscribers,
  }));

  const s3 = mockClient(S3Client);
  answer(s3, GetBucketLocationCommand, (i) => ({
    LocationConstraint: data(facts.buckets).find((b) => b.Name === i.Bucket)?.BucketRegion ?? snapshot.region,
  }));

  const ecs = mockClient(ECSClient);
  const clusters = () => data(facts.clusters);
  answer(ecs, ListClustersCommand, () => ({ clusterArns: clusters().map((c) => c.clusterArn) }));
  answer(ecs, DescribeClustersCommand, (i) => ({ clusters: clusters().filter((c) => i.clusters.includes(c.clusterArn)) }));
  answer(ecs, ListServicesCommand, (i) => ({
    serviceArns: data(facts.services[i.cluster], 'ClusterNotFoundException').map((s) => s.serviceArn),
  }));
  answer(ecs, DescribeServicesCommand, (i) => ({
    services: data(facts.services[i.cluster], 'ClusterNotFoundException').filter((s) => i.services.includes(s.serviceArn)),
  }));
  answer(ecs, ListTasksCommand, (i) => ({ taskArns: data(facts.tasks[i.cluster], 'ClusterNotFoundException').map((t) => t.taskArn) }));
  answer(ecs, DescribeTasksCommand, (i) => ({
    tasks: data(facts.tasks[i.cluster], 'ClusterNotFoundException').filter((t) => i.tasks.includes(t.taskArn)),
  }));
  answer(ecs, ListTaskDefinitionsCommand, () => ({ taskDefinitionArns: Object.keys(facts.taskDefinitions) }));

  // The account's enabled regions: the snapshot's own (the region search's tests add others).
  const ec2 = mockClient(EC2Client);
  answer(ec2, DescribeRegionsCommand, () => ({ Regions: [{ RegionName: snapshot.region, OptInStatus: 'opt-in-not-required' }] }));

  const cloudtrail = mockClient(CloudTrailClient);
  answer(cloudtrail, LookupEventsCommand, (i) => {
    const [attribute] = i.LookupAttributes as { AttributeKey: string; AttributeValue: string }[];
    if (attribute?.AttributeKey === 'EventName') return { Events: data(facts.ecrLoginEvents) };
    return { Events: data(facts.userEvents).filter((e) => e.Username === attribute?.AttributeValue) };
  });

  const stubs = {
    sts,
    iam: mockClient(IAMClient),
    budgets,
    s3,
    s3control: mockClient(S3ControlClient),
    ecr: mockClient(ECRClient),
    ec2,
    elb: mockClient(ElasticLoadBalancingV2Client),
    ecs,
    logs: mockClient(CloudWatchLogsClient),
    cloudwatch: mockClient(CloudWatchClient),
    cloudtrail,
  } satisfies Record<ClientName, AnyStub>;

  // Every other fact is answered from itself, as its definition reads it.
  for (const definition of FACT_DEFINITIONS) {
    if (definition.kind === 'keyed' && definition.list) continue;
    for (const call of definition.calls) {
      const command = (SDK[call.client] as unknown as Record<string, object>)[call.command]!;
      if (!answered.has(command)) answer(stubs[call.client], command, (input: Record<string, unknown>) => answerFrom(definition, facts, input, data));
    }
  }

  return {
    ...stubs,
    answered,
    restore() {
      for (const stub of Object.values(stubs)) stub.restore();
    },
  };
}

/** Page tokens and truncation flags: absent, so every answer is one page. */
const PAGE_FIELDS = /token|marker|truncated/i;

/**
 * A fact's answer: the fact (for a per-resource fact, the entry the input names), as whatever
 * output field the reader takes it from; null data as the definition's "none" error.
 */
function answerFrom(
  definition: FactDefinition,
  facts: Snapshot['facts'],
  input: Record<string, unknown>,
  data: <T>(fact: Fact<T> | undefined) => T,
): unknown {
  const stored = facts[definition.key as keyof Snapshot['facts']] as Fact<unknown> | Record<string, Fact<unknown>> | undefined;
  let fact = stored as Fact<unknown> | undefined;
  if (definition.kind === 'keyed') {
    const entries = (stored ?? {}) as Record<string, Fact<unknown>>;
    const key = Object.values(input).find((value): value is string => typeof value === 'string' && Object.hasOwn(entries, value));
    fact = key === undefined ? undefined : entries[key];
  }
  const value = data(fact);
  const none = definition.kind === 'derived' ? undefined : definition.none;
  if (value === null && none) throw awsError(none.codes[0] ?? 'NotFound');
  // The reader takes the output field it knows: the fact's own field of that name (one call per
  // attribute), else the whole fact (`Vpcs`, `SummaryMap`...).
  return new Proxy({}, {
    get: (_target, field) => {
      if (typeof field !== 'string' || field === 'then' || PAGE_FIELDS.test(field)) return undefined;
      const own = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, field);
      return own ? (value as Record<string, unknown>)[field] : value;
    },
  });
}
