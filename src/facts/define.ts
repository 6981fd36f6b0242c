// What one fact is: its key, the AWS calls and IAM actions behind it, what keys it, how
// often it changes, when it can be read and how. The collector schedules these; the
// snapshot's types and schema, the call allow-list, the policy and watch's slow set are
// derived from them. Only types come from the AWS SDK here, so an offline regrade loads none.
import * as z from 'zod';
import type * as sts from '@aws-sdk/client-sts';
import type * as iam from '@aws-sdk/client-iam';
import type * as budgets from '@aws-sdk/client-budgets';
import type * as s3 from '@aws-sdk/client-s3';
import type * as s3control from '@aws-sdk/client-s3-control';
import type * as ecr from '@aws-sdk/client-ecr';
import type * as ec2 from '@aws-sdk/client-ec2';
import type * as elb from '@aws-sdk/client-elastic-load-balancing-v2';
import type * as ecs from '@aws-sdk/client-ecs';
import type * as logs from '@aws-sdk/client-cloudwatch-logs';
import type * as cloudwatch from '@aws-sdk/client-cloudwatch';
import type * as cloudtrail from '@aws-sdk/client-cloudtrail';

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

/**
 * The commands and paginators of each SDK module the collector hands to readers
 * (src/collect/sdk.ts): these, not whole modules, so a live grade compiles only the SDK code
 * of the calls it can make. A reader or call using another needs it added here first.
 */
export interface Sdk {
  sts: Pick<typeof sts, 'GetCallerIdentityCommand'>;
  iam: Pick<
    typeof iam,
    | 'GetAccountSummaryCommand'
    | 'GetGroupCommand'
    | 'ListAccessKeysCommand'
    | 'ListAccountAliasesCommand'
    | 'ListAttachedGroupPoliciesCommand'
    | 'ListGroupsCommand'
    | 'ListMFADevicesCommand'
    | 'ListUsersCommand'
    | 'paginateGetGroup'
    | 'paginateListAccessKeys'
    | 'paginateListAccountAliases'
    | 'paginateListAttachedGroupPolicies'
    | 'paginateListGroups'
    | 'paginateListMFADevices'
    | 'paginateListUsers'
  >;
  budgets: Pick<
    typeof budgets,
    | 'DescribeBudgetsCommand'
    | 'DescribeNotificationsForBudgetCommand'
    | 'DescribeSubscribersForNotificationCommand'
    | 'paginateDescribeBudgets'
    | 'paginateDescribeNotificationsForBudget'
    | 'paginateDescribeSubscribersForNotification'
  >;
  s3: Pick<
    typeof s3,
    | 'GetBucketAclCommand'
    | 'GetBucketLocationCommand'
    | 'GetBucketPolicyStatusCommand'
    | 'GetPublicAccessBlockCommand'
    | 'ListBucketsCommand'
    | 'ListObjectsV2Command'
    | 'paginateListBuckets'
    | 'paginateListObjectsV2'
  >;
  s3control: Pick<typeof s3control, 'GetPublicAccessBlockCommand'>;
  ecr: Pick<typeof ecr, 'DescribeImagesCommand' | 'DescribeRepositoriesCommand' | 'paginateDescribeImages' | 'paginateDescribeRepositories'>;
  ec2: Pick<
    typeof ec2,
    | 'DescribeAddressesCommand'
    | 'DescribeInternetGatewaysCommand'
    | 'DescribeNatGatewaysCommand'
    | 'DescribeRegionsCommand'
    | 'DescribeRouteTablesCommand'
    | 'DescribeSecurityGroupsCommand'
    | 'DescribeSubnetsCommand'
    | 'DescribeVpcsCommand'
    | 'paginateDescribeInternetGateways'
    | 'paginateDescribeNatGateways'
    | 'paginateDescribeRouteTables'
    | 'paginateDescribeSecurityGroups'
    | 'paginateDescribeSubnets'
    | 'paginateDescribeVpcs'
  >;
  elb: Pick<
    typeof elb,
    | 'DescribeListenersCommand'
    | 'DescribeLoadBalancersCommand'
    | 'DescribeTargetGroupsCommand'
    | 'DescribeTargetHealthCommand'
    | 'paginateDescribeListeners'
    | 'paginateDescribeLoadBalancers'
    | 'paginateDescribeTargetGroups'
  >;
  ecs: Pick<
    typeof ecs,
    | 'DescribeClustersCommand'
    | 'DescribeServicesCommand'
    | 'DescribeTaskDefinitionCommand'
    | 'DescribeTasksCommand'
    | 'ListClustersCommand'
    | 'ListServicesCommand'
    | 'ListTaskDefinitionsCommand'
    | 'ListTasksCommand'
    | 'paginateListClusters'
    | 'paginateListServices'
    | 'paginateListTaskDefinitions'
    | 'paginateListTasks'
  >;
  logs: Pick<typeof logs, 'DescribeLogGroupsCommand' | 'DescribeLogStreamsCommand' | 'GetLogEventsCommand' | 'paginateDescribeLogGroups'>;
  cloudwatch: Pick<typeof cloudwatch, 'DescribeAlarmsCommand' | 'paginateDescribeAlarms'>;
  cloudtrail: Pick<typeof cloudtrail, 'LookupEventsCommand'>;
}

export type ClientName = keyof Sdk;

/** The clients readers send through; every `send` is the collector's counted, allow-listed one. */
export type Clients = { [C in Exclude<ClientName, 's3'>]: InstanceType<ClientClass<C>> } & {
  /** S3 per-bucket calls go to the bucket's own region. */
  s3(region: string): s3.S3Client;
};

type ClientClass<C extends ClientName> = {
  sts: typeof sts.STSClient;
  iam: typeof iam.IAMClient;
  budgets: typeof budgets.BudgetsClient;
  s3: typeof s3.S3Client;
  s3control: typeof s3control.S3ControlClient;
  ecr: typeof ecr.ECRClient;
  ec2: typeof ec2.EC2Client;
  elb: typeof elb.ElasticLoadBalancingV2Client;
  ecs: typeof ecs.ECSClient;
  logs: typeof logs.CloudWatchLogsClient;
  cloudwatch: typeof cloudwatch.CloudWatchClient;
  cloudtrail: typeof cloudtrail.CloudTrailClient;
}[C];

/** One SDK command a fact sends, and the IAM action it needs (not always the command's name). */
export interface ReadCall {
  client: ClientName;
  command: string;
  action: string;
}

/** A call, with the command name checked against the SDK module at compile time. */
export function call<C extends ClientName>(client: C, command: Extract<keyof Sdk[C], `${string}Command`>, action: string): ReadCall {
  return { client, command, action };
}

/** The rubric's name hints the collector ranks resources by (LabParams has this shape). */
export interface NameHints {
  iam: { adminGroup: string };
  bucket: { nameHints: readonly string[] };
  repository: { nameHints: readonly string[] };
  loadBalancer: { nameHints: readonly string[]; targetGroupNameHints: readonly string[] };
  ecs: { clusterNameHints: readonly string[]; serviceNameHints: readonly string[] };
}

/** What a reader may use: the SDK, the clients, who is calling, and what earlier rounds read. */
export interface ReadContext {
  sdk: Sdk;
  aws: Clients;
  caller: CallerIdentity;
  /** The lab's region (the default for S3 buckets whose region is unknown). */
  region: string;
  hints: NameHints;
  /** A fact or lookup read in an earlier round (or copied from the previous collection); SDK shapes, as read. */
  get<T>(name: string): Fact<T> | undefined;
  /** One entry of a per-resource fact or lookup. */
  entry<T>(name: string, key: string): Fact<T> | undefined;
  /** The resource keys a per-resource fact or lookup holds so far, in the order read. */
  keysOf(name: string): string[];
}

/** "There is none" answers AWS gives as errors (NoSuchBucketPolicy...): the fact's value instead. */
export interface NoneAnswer<T> {
  codes: readonly string[];
  value: T;
}

interface Common<K extends string> {
  key: K;
  /** What it holds, for readers of the snapshot. */
  description: string;
  /** The SDK commands it sends; the last names the fact's errors by default. */
  calls: readonly ReadCall[];
  /** Facts or lookups read in an earlier round before this one can start: its round is one after theirs. */
  after?: readonly string[];
  /** Changes slowly (CloudTrail history, budgets): watch re-reads it only every few rounds. */
  slow?: boolean;
}

/** A fact read with one (paged) read: one list or object. */
export interface SingleFact<K extends string = string, T = unknown> extends Common<K> {
  kind: 'single';
  /** The schema of its data. */
  schema: z.ZodType;
  read(ctx: ReadContext): Promise<T>;
  none?: NoneAnswer<T>;
}

/**
 * A fact read once per resource. `keys` is asked again every round, so resources found
 * later (a service's older task definition) are read in a follow-up round.
 */
export interface KeyedFact<K extends string = string, T = unknown, L = unknown> extends Common<K> {
  kind: 'keyed';
  /** What the keys are, e.g. `bucket name`. */
  keyedBy: string;
  schema: z.ZodType;
  keys(ctx: ReadContext): string[];
  /** A first step per key, one round earlier (ListServices before DescribeServices); its failure becomes the entry's. */
  list?: { read(ctx: ReadContext, key: string): Promise<L>; none?: NoneAnswer<L> };
  read(ctx: ReadContext, key: string, listed: L): Promise<T>;
  none?: NoneAnswer<T>;
  /** The key to store the entry under, when the answer names the resource better than the request. */
  storeAs?(key: string, data: T): string;
}

/** A fact assembled, after the last round, from a per-resource lookup (events of several users). */
export interface DerivedFact<K extends string = string, T = unknown> extends Common<K> {
  kind: 'derived';
  schema: z.ZodType;
  from: string;
  derive(entries: Fact<T>[]): Fact<T>;
}

export type FactDefinition = SingleFact | KeyedFact | DerivedFact;

/**
 * A step on the way to facts that is not itself in the snapshot (ListClusters before
 * DescribeClusters, a bucket's region). It is read only when one of the facts it serves is;
 * one that serves none is a call another step makes on demand (the region search), declared
 * here so the allow-list and the policy hold it.
 */
export interface Lookup<T = unknown> {
  kind: 'lookup';
  key: string;
  calls: readonly ReadCall[];
  after?: readonly string[];
  serves: readonly string[];
  /** Per-resource lookups list their keys each round, as keyed facts do. */
  keys?(ctx: ReadContext): string[];
  read(ctx: ReadContext, key: string): Promise<T>;
  none?: NoneAnswer<T>;
  /** When `fact` is copied from the previous collection, the lookup's value comes from it instead of a call. */
  reuse?: { fact: string; value(data: never): T };
}

export type CollectItem = FactDefinition | Lookup;

export function single<K extends string, T>(definition: Omit<SingleFact<K, T>, 'kind'>): SingleFact<K, T> {
  return { kind: 'single', ...definition };
}

export function keyed<K extends string, T, L = undefined>(definition: Omit<KeyedFact<K, T, L>, 'kind'>): KeyedFact<K, T, L> {
  return { kind: 'keyed', ...definition };
}

export function derived<K extends string, T>(definition: Omit<DerivedFact<K, T>, 'kind'>): DerivedFact<K, T> {
  return { kind: 'derived', ...definition };
}

export function lookup<T>(definition: Omit<Lookup<T>, 'kind'>): Lookup<T> {
  return { kind: 'lookup', ...definition };
}

/** Every item of up to `maxPages` pages of an SDK paginator. */
export async function collectPages<P, T>(
  pages: AsyncIterable<P>,
  items: (page: P) => T[] | undefined,
  maxPages = 20,
): Promise<T[]> {
  const all: T[] = [];
  let count = 0;
  for await (const page of pages) {
    all.push(...(items(page) ?? []));
    count += 1;
    if (count >= maxPages) break;
  }
  return all;
}

/** An earlier call's failure carried into a fact that depends on it (ListServices → services). */
export class EarlierFailure extends Error {
  constructor(readonly failure: FactError) {
    super(failure.message);
    this.name = failure.code;
  }
}

/** The data of a fact read earlier, or undefined when it failed or was not read. */
export function dataOf<T>(fact: Fact<T> | undefined): T | undefined {
  return fact?.ok ? fact.data : undefined;
}

/** Each key of a per-resource fact (tasks by service, images by repository...) whose read succeeded, with its data. */
export function keyedDataOf<T>(facts: Readonly<Record<string, Fact<T>>> | undefined): [string, T][] {
  return Object.entries(facts ?? {}).flatMap(([key, fact]) => (fact.ok ? [[key, fact.data] as [string, T]] : []));
}

// Schema pieces: items carry the identifying field evidence and hints name them by.
const text = z.string();

/** An SDK object that must carry `field`, the id that names it in evidence and hints. */
export function identified(field: string) {
  return z.looseObject({
    [field]: z.string({ error: `missing ${field}: every item here is identified by its ${field}` }),
  });
}

export function listOf(field: string) {
  return z.array(identified(field));
}

export const sdkObject = z.looseObject({});
export const callerIdentitySchema = z.looseObject({ Account: text, Arn: text, UserId: text });
