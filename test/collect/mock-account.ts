// A mocked AWS account that answers every collector call from a snapshot's facts, as the
// SDK would (Dates as Date objects, "none" answers as the errors AWS sends).
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  GetAccountSummaryCommand,
  GetGroupCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListAttachedGroupPoliciesCommand,
  ListGroupsCommand,
  ListMFADevicesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import {
  BudgetsClient,
  DescribeBudgetsCommand,
  DescribeNotificationsForBudgetCommand,
  DescribeSubscribersForNotificationCommand,
} from '@aws-sdk/client-budgets';
import {
  GetBucketAclCommand,
  GetBucketLocationCommand,
  GetBucketPolicyStatusCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribeAddressesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeLogStreamsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
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
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const answer = (stub: AnyStub, command: any, respond: (input: any) => unknown) =>
    stub.on(command).callsFake(async (input: unknown) => {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      return respond(input);
    });

  const sts = mockClient(STSClient);
  answer(sts, GetCallerIdentityCommand, () => data(facts.callerIdentity));

  const iam = mockClient(IAMClient);
  answer(iam, GetAccountSummaryCommand, () => ({ SummaryMap: data(facts.accountSummary) }));
  answer(iam, ListAccountAliasesCommand, () => ({ AccountAliases: data(facts.accountAliases) }));
  answer(iam, ListGroupsCommand, () => ({ Groups: data(facts.groups) }));
  answer(iam, ListUsersCommand, () => ({ Users: data(facts.users) }));
  answer(iam, ListAttachedGroupPoliciesCommand, (i) => ({ AttachedPolicies: data(facts.groupPolicies[i.GroupName], 'NoSuchEntity') }));
  answer(iam, GetGroupCommand, (i) => ({
    Group: data(facts.groups).find((g) => g.GroupName === i.GroupName),
    Users: data(facts.groupMembers[i.GroupName], 'NoSuchEntity'),
  }));
  answer(iam, ListMFADevicesCommand, (i) => ({ MFADevices: data(facts.userMfaDevices[i.UserName], 'NoSuchEntity') }));
  answer(iam, ListAccessKeysCommand, (i) => ({ AccessKeyMetadata: data(facts.userAccessKeys[i.UserName], 'NoSuchEntity') }));

  const budgets = mockClient(BudgetsClient);
  answer(budgets, DescribeBudgetsCommand, () => ({ Budgets: data(facts.budgets) }));
  answer(budgets, DescribeNotificationsForBudgetCommand, (i) => ({
    Notifications: data(facts.budgetNotifications[i.BudgetName], 'NotFoundException').map((n) => n.Notification),
  }));
  answer(budgets, DescribeSubscribersForNotificationCommand, (i) => ({
    Subscribers: data(facts.budgetNotifications[i.BudgetName], 'NotFoundException').find(
      (n) => JSON.stringify(n.Notification) === JSON.stringify(i.Notification),
    )?.Subscribers,
  }));

  const s3control = mockClient(S3ControlClient);
  answer(s3control, GetAccountPublicAccessBlockCommand, () => {
    const block = data(facts.accountPublicAccessBlock);
    if (block === null) throw awsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found');
    return { PublicAccessBlockConfiguration: block };
  });

  const s3 = mockClient(S3Client);
  answer(s3, ListBucketsCommand, () => ({ Buckets: data(facts.buckets) }));
  answer(s3, GetBucketLocationCommand, (i) => ({
    LocationConstraint: data(facts.buckets).find((b) => b.Name === i.Bucket)?.BucketRegion ?? snapshot.region,
  }));
  answer(s3, GetPublicAccessBlockCommand, (i) => {
    const block = data(facts.bucketPublicAccessBlocks[i.Bucket], 'NoSuchBucket');
    if (block === null) throw awsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found');
    return { PublicAccessBlockConfiguration: block };
  });
  answer(s3, GetBucketPolicyStatusCommand, (i) => {
    const status = data(facts.bucketPolicyStatus[i.Bucket], 'NoSuchBucket');
    if (status === null) throw awsError('NoSuchBucketPolicy', 'The bucket policy does not exist');
    return { PolicyStatus: status };
  });
  answer(s3, GetBucketAclCommand, (i) => ({ Grants: data(facts.bucketAcls[i.Bucket], 'NoSuchBucket') }));
  answer(s3, ListObjectsV2Command, (i) => ({ Contents: data(facts.bucketObjects[i.Bucket], 'NoSuchBucket'), IsTruncated: false }));

  const ecr = mockClient(ECRClient);
  answer(ecr, DescribeRepositoriesCommand, () => ({ repositories: data(facts.repositories) }));
  answer(ecr, DescribeImagesCommand, (i) => ({
    imageDetails: data(facts.repositoryImages[i.repositoryName], 'RepositoryNotFoundException'),
  }));

  const ec2 = mockClient(EC2Client);
  answer(ec2, DescribeVpcsCommand, () => ({ Vpcs: data(facts.vpcs) }));
  answer(ec2, DescribeSubnetsCommand, () => ({ Subnets: data(facts.subnets) }));
  answer(ec2, DescribeInternetGatewaysCommand, () => ({ InternetGateways: data(facts.internetGateways) }));
  answer(ec2, DescribeRouteTablesCommand, () => ({ RouteTables: data(facts.routeTables) }));
  answer(ec2, DescribeNatGatewaysCommand, () => ({ NatGateways: data(facts.natGateways) }));
  answer(ec2, DescribeAddressesCommand, () => ({ Addresses: data(facts.addresses) }));
  answer(ec2, DescribeSecurityGroupsCommand, () => ({ SecurityGroups: data(facts.securityGroups) }));

  const elb = mockClient(ElasticLoadBalancingV2Client);
  answer(elb, DescribeLoadBalancersCommand, () => ({ LoadBalancers: data(facts.loadBalancers) }));
  answer(elb, DescribeTargetGroupsCommand, () => ({ TargetGroups: data(facts.targetGroups) }));
  answer(elb, DescribeListenersCommand, (i) => ({ Listeners: data(facts.listeners[i.LoadBalancerArn], 'LoadBalancerNotFound') }));
  answer(elb, DescribeTargetHealthCommand, (i) => ({
    TargetHealthDescriptions: data(facts.targetHealth[i.TargetGroupArn], 'TargetGroupNotFound'),
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
  answer(ecs, DescribeTaskDefinitionCommand, (i) => ({
    taskDefinition: data(facts.taskDefinitions[i.taskDefinition], 'ClientException'),
  }));

  const logs = mockClient(CloudWatchLogsClient);
  answer(logs, DescribeLogGroupsCommand, () => ({ logGroups: data(facts.logGroups) }));
  answer(logs, DescribeLogStreamsCommand, (i) => ({ logStreams: data(facts.logStreams[i.logGroupName]) }));
  answer(logs, GetLogEventsCommand, (i) => ({ events: data(facts.logEvents[i.logGroupName]) }));

  const cloudwatch = mockClient(CloudWatchClient);
  answer(cloudwatch, DescribeAlarmsCommand, () => ({ MetricAlarms: data(facts.alarms) }));

  const cloudtrail = mockClient(CloudTrailClient);
  answer(cloudtrail, LookupEventsCommand, (i) => {
    const [attribute] = i.LookupAttributes as { AttributeKey: string; AttributeValue: string }[];
    if (attribute?.AttributeKey === 'EventName') return { Events: data(facts.ecrLoginEvents) };
    return { Events: data(facts.userEvents).filter((e) => e.Username === attribute?.AttributeValue) };
  });

  const stubs = { sts, iam, budgets, s3, s3control, ecr, ec2, elb, ecs, logs, cloudwatch, cloudtrail };
  return {
    ...stubs,
    restore() {
      for (const stub of Object.values(stubs)) stub.restore();
    },
  };
}
