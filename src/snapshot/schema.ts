// The snapshot's schema: the envelope, every fact as data or the error that stopped it, list
// facts' items carrying their identifying field. Extra SDK fields pass through untouched.
import { z } from 'zod';
import type { FactKey } from './types.js';

const text = z.string();

const factError = z
  .object({ call: text, code: text, message: text })
  .strict();

const FACT_SHAPE = 'a fact is {"ok": true, "data": ...} or {"ok": false, "error": {"call", "code", "message"}}';

/** One fact: its data, or the error that stopped it. Never both, never neither. */
function fact<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion(
    'ok',
    [z.object({ ok: z.literal(true), data }).strict(), z.object({ ok: z.literal(false), error: factError }).strict()],
    { error: FACT_SHAPE },
  );
}

/** A fact read once per resource, keyed by the resource's name or ARN. */
function keyed<T extends z.ZodType>(data: T) {
  return z.record(z.string(), fact(data));
}

/** An SDK object that must carry `field`, the id that names it in evidence and hints. */
function identified(field: string) {
  return z.looseObject({
    [field]: z.string({ error: `missing ${field}: every item here is identified by its ${field}` }),
  });
}

function listOf(field: string) {
  return z.array(identified(field));
}

const sdkObject = z.looseObject({});

const callerIdentity = z.looseObject({ Account: text, Arn: text, UserId: text });
const budgetNotification = z.looseObject({ Notification: sdkObject, Subscribers: z.array(sdkObject) });

export const factSchemas = {
  callerIdentity: fact(callerIdentity),
  accountSummary: fact(z.record(z.string(), z.number())),
  accountAliases: fact(z.array(text)),
  groups: fact(listOf('GroupName')),
  groupPolicies: keyed(listOf('PolicyArn')),
  groupMembers: keyed(listOf('UserName')),
  users: fact(listOf('UserName')),
  userMfaDevices: keyed(listOf('SerialNumber')),
  userAccessKeys: keyed(listOf('AccessKeyId')),
  userEvents: fact(listOf('EventId')),
  ecrLoginEvents: fact(listOf('EventId')),
  budgets: fact(listOf('BudgetName')),
  budgetNotifications: keyed(z.array(budgetNotification)),
  accountPublicAccessBlock: fact(sdkObject.nullable()),
  buckets: fact(listOf('Name')),
  bucketPublicAccessBlocks: keyed(sdkObject.nullable()),
  bucketPolicyStatus: keyed(sdkObject.nullable()),
  bucketAcls: keyed(z.array(sdkObject)),
  bucketObjects: keyed(listOf('Key')),
  repositories: fact(listOf('repositoryName')),
  repositoryImages: keyed(listOf('imageDigest')),
  vpcs: fact(listOf('VpcId')),
  subnets: fact(listOf('SubnetId')),
  internetGateways: fact(listOf('InternetGatewayId')),
  routeTables: fact(listOf('RouteTableId')),
  natGateways: fact(listOf('NatGatewayId')),
  addresses: fact(listOf('PublicIp')),
  securityGroups: fact(listOf('GroupId')),
  loadBalancers: fact(listOf('LoadBalancerArn')),
  listeners: keyed(listOf('ListenerArn')),
  targetGroups: fact(listOf('TargetGroupArn')),
  targetHealth: keyed(z.array(sdkObject)),
  clusters: fact(listOf('clusterArn')),
  services: keyed(listOf('serviceArn')),
  taskDefinitions: keyed(identified('taskDefinitionArn')),
  tasks: keyed(listOf('taskArn')),
  logGroups: fact(listOf('logGroupName')),
  logStreams: keyed(listOf('logStreamName')),
  logEvents: keyed(z.array(sdkObject)),
  alarms: fact(listOf('AlarmName')),
} satisfies Record<FactKey, z.ZodType>;

// A fact may be absent (an older or interrupted collection): the checks needing it report `error`.
const factsSchema = z.object(
  Object.fromEntries(Object.entries(factSchemas).map(([key, schema]) => [key, schema.optional()])) as {
    [K in FactKey]: z.ZodOptional<(typeof factSchemas)[K]>;
  },
).strict();

const probeResult = z.looseObject({
  id: text,
  method: z.enum(['GET', 'POST']),
  url: text,
  requestBody: text.optional(),
  status: z.number().int().optional(),
  contentType: text.optional(),
  latencyMs: z.number().nonnegative(),
  attempts: z.number().int().nonnegative(),
  bodyBytes: z.number().int().nonnegative(),
  bodyExcerpt: text,
  truncated: z.boolean(),
  error: z.object({ code: text, message: text }).optional(),
});

const probesSchema = z
  .object({
    target: z
      .object({ url: text, source: z.enum(['alb-dns-name', 'override']), loadBalancerArn: text.optional() })
      .strict()
      .nullable(),
    skipped: text.optional(),
    predictEndpoint: z
      .object({ path: text, textField: text, textIn: z.enum(['body', 'query']).optional(), foundBy: text })
      .strict()
      .nullable()
      .optional(),
    results: z.array(probeResult),
  })
  .strict();

export const snapshotSchema = z
  .object({
    schemaVersion: z.literal(1, {
      error: 'this grader reads snapshots of schemaVersion 1: collect the account again with this version',
    }),
    collectedAt: z.iso.datetime({ error: 'an ISO date-time such as 2026-11-20T16:30:00.000Z' }),
    collector: z
      .object({
        name: text,
        version: text,
        calls: z.number().int().nonnegative(),
        rounds: z.number().int().nonnegative(),
        durationMs: z.number().nonnegative(),
      })
      .strict(),
    account: z.string().regex(/^\d{12}$/, { error: 'a 12-digit AWS account id' }),
    region: z.string().min(1),
    caller: text,
    facts: factsSchema,
    probes: probesSchema,
  })
  .strict();
