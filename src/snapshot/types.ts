// The snapshot: everything a check may read, as JSON. Shapes come from the AWS SDK v3;
// `Json<T>` says that dates travel as ISO strings once written to a file.
import type { AttachedPolicy, AccessKeyMetadata, Group, MFADevice, User } from '@aws-sdk/client-iam';
import type { Budget, Notification, Subscriber } from '@aws-sdk/client-budgets';
import type { Bucket, Grant, PolicyStatus, PublicAccessBlockConfiguration, _Object } from '@aws-sdk/client-s3';
import type { ImageDetail, Repository } from '@aws-sdk/client-ecr';
import type {
  Address,
  InternetGateway,
  NatGateway,
  RouteTable,
  SecurityGroup,
  Subnet,
  Vpc,
} from '@aws-sdk/client-ec2';
import type {
  Listener,
  LoadBalancer,
  TargetGroup,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Cluster, Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { LogGroup, LogStream, OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { Event as TrailEvent } from '@aws-sdk/client-cloudtrail';

/** A value as it is after a round trip through JSON: Dates become ISO strings. */
export type Json<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

/** Why a fact could not be read: the API call and what AWS (or the network) answered. */
export interface FactError {
  /** IAM-style action of the call that failed, e.g. `ec2:DescribeNatGateways`. */
  call: string;
  /** The AWS error name (`AccessDenied`, `ThrottlingException`, `NotImplemented`...) or a local code. */
  code: string;
  message: string;
}

/** One collected fact: its data, or the error that stopped it. Never both. */
export type Fact<T> = { ok: true; data: T } | { ok: false; error: FactError };

/** A fact read once per resource (per bucket, per target group...), keyed by the resource's name or ARN. */
export type FactMap<T> = Record<string, Fact<T>>;

export interface CallerIdentity {
  Account: string;
  Arn: string;
  UserId: string;
}

export interface BudgetNotification {
  Notification: Json<Notification>;
  Subscribers: Json<Subscriber>[];
}

/**
 * Every fact the checks can read. Keys are named for what they hold; list facts hold
 * SDK shapes; per-resource facts are maps keyed as documented on each field.
 * `null` data means "AWS answered that there is none" (e.g. NoSuchPublicAccessBlockConfiguration).
 */
export interface Facts {
  callerIdentity: Fact<CallerIdentity>;
  /** iam:GetAccountSummary SummaryMap (AccountMFAEnabled, AccountAccessKeysPresent...). */
  accountSummary: Fact<Record<string, number>>;
  accountAliases: Fact<string[]>;
  groups: Fact<Json<Group>[]>;
  /** Keyed by group name. */
  groupPolicies: FactMap<Json<AttachedPolicy>[]>;
  /** Keyed by group name: the group's members (iam:GetGroup). */
  groupMembers: FactMap<Json<User>[]>;
  users: Fact<Json<User>[]>;
  /** Keyed by user name. */
  userMfaDevices: FactMap<Json<MFADevice>[]>;
  /** Keyed by user name. */
  userAccessKeys: FactMap<Json<AccessKeyMetadata>[]>;
  /** CloudTrail event history: recent events made by the account's IAM users (for CLI use). */
  userEvents: Fact<Json<TrailEvent>[]>;
  /** CloudTrail event history: recent ecr:GetAuthorizationToken events (docker login). */
  ecrLoginEvents: Fact<Json<TrailEvent>[]>;

  budgets: Fact<Json<Budget>[]>;
  /** Keyed by budget name. */
  budgetNotifications: FactMap<BudgetNotification[]>;

  /** s3control GetPublicAccessBlock for the account; null when none is set. */
  accountPublicAccessBlock: Fact<Json<PublicAccessBlockConfiguration> | null>;
  buckets: Fact<Json<Bucket>[]>;
  /** Keyed by bucket name; null when the bucket has no block configured. */
  bucketPublicAccessBlocks: FactMap<Json<PublicAccessBlockConfiguration> | null>;
  /** Keyed by bucket name; null when the bucket has no policy. */
  bucketPolicyStatus: FactMap<Json<PolicyStatus> | null>;
  /** Keyed by bucket name. */
  bucketAcls: FactMap<Json<Grant>[]>;
  /** Keyed by bucket name: the first page(s) of ListObjectsV2. */
  bucketObjects: FactMap<Json<_Object>[]>;

  repositories: Fact<Json<Repository>[]>;
  /** Keyed by repository name. */
  repositoryImages: FactMap<Json<ImageDetail>[]>;

  vpcs: Fact<Json<Vpc>[]>;
  subnets: Fact<Json<Subnet>[]>;
  internetGateways: Fact<Json<InternetGateway>[]>;
  routeTables: Fact<Json<RouteTable>[]>;
  natGateways: Fact<Json<NatGateway>[]>;
  addresses: Fact<Json<Address>[]>;
  securityGroups: Fact<Json<SecurityGroup>[]>;

  loadBalancers: Fact<Json<LoadBalancer>[]>;
  /** Keyed by load balancer ARN. */
  listeners: FactMap<Json<Listener>[]>;
  targetGroups: Fact<Json<TargetGroup>[]>;
  /** Keyed by target group ARN. */
  targetHealth: FactMap<Json<TargetHealthDescription>[]>;

  clusters: Fact<Json<Cluster>[]>;
  /** Keyed by cluster ARN. */
  services: FactMap<Json<Service>[]>;
  /** Keyed by task definition ARN (the revisions the services use, and the latest active ones). */
  taskDefinitions: FactMap<Json<TaskDefinition>>;
  /** Keyed by cluster ARN: running tasks. */
  tasks: FactMap<Json<Task>[]>;

  logGroups: Fact<Json<LogGroup>[]>;
  /** Keyed by log group name: newest streams first. */
  logStreams: FactMap<Json<LogStream>[]>;
  /** Keyed by log group name: the latest events of the newest stream. */
  logEvents: FactMap<Json<OutputLogEvent>[]>;

  alarms: Fact<Json<MetricAlarm>[]>;
}

export type FactKey = keyof Facts;

/** One HTTP request the grader made to the lab's load balancer, and what came back. */
export interface ProbeResult {
  /** What the probe was for: `root`, `health`, `docs`, `openapi`, `predict.positive`, `predict.negative`, `get:/path`. */
  id: string;
  method: 'GET' | 'POST';
  url: string;
  /** JSON body sent, for POST probes. */
  requestBody?: string;
  status?: number;
  contentType?: string;
  /** Total time of the final attempt, ms. */
  latencyMs: number;
  attempts: number;
  /** Bytes received (up to the cap). */
  bodyBytes: number;
  /** The first bytes of the body, as text. */
  bodyExcerpt: string;
  /** The body was larger than the cap and was cut. */
  truncated: boolean;
  /** Why the request failed (timeout, refused address, redirect to another host...). */
  error?: { code: string; message: string };
}

/** The prediction endpoint as found in the app's OpenAPI document. */
export interface PredictEndpoint {
  path: string;
  /** The JSON body field (or, with `textIn: 'query'`, the query parameter) that takes the text. */
  textField: string;
  /** Where the text goes; absent means a JSON body field. */
  textIn?: 'body' | 'query';
  /** How it was found, in a sentence. */
  foundBy: string;
}

export interface Probes {
  /** Where the probes went; null when nothing was probed. */
  target: { url: string; source: 'alb-dns-name' | 'override'; loadBalancerArn?: string } | null;
  /** Why nothing (or not everything) was probed, e.g. "no internet-facing load balancer found". */
  skipped?: string;
  predictEndpoint?: PredictEndpoint | null;
  results: ProbeResult[];
}

export interface Snapshot {
  schemaVersion: 1;
  collectedAt: string;
  collector: {
    name: string;
    version: string;
    /** Number of AWS API calls made. */
    calls: number;
    /** Number of sequential rounds of concurrent calls. */
    rounds: number;
    durationMs: number;
  };
  account: string;
  region: string;
  /** The caller's ARN as STS reported it (never any credential). */
  caller: string;
  facts: Facts;
  probes: Probes;
}
