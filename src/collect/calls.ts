// Every AWS call the collector can make, and the one wrapper all calls go through: it
// refuses any command not listed here, bounds concurrency, counts calls and rounds.
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  GetAccountSummaryCommand,
  GetGroupCommand,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListAttachedGroupPoliciesCommand,
  ListGroupsCommand,
  ListMFADevicesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import {
  DescribeBudgetsCommand,
  DescribeNotificationsForBudgetCommand,
  DescribeSubscribersForNotificationCommand,
} from '@aws-sdk/client-budgets';
import {
  GetBucketAclCommand,
  GetBucketLocationCommand,
  GetBucketPolicyStatusCommand,
  GetPublicAccessBlockCommand as GetBucketPublicAccessBlockCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { DescribeImagesCommand, DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import {
  DescribeAddressesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListClustersCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { DescribeLogGroupsCommand, DescribeLogStreamsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { Fact, FactError } from '../snapshot/types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type CommandClass = abstract new (...args: any[]) => object;

/**
 * The only commands the collector may send, each with the IAM action it needs. The IAM
 * action is not always the command's name (ListObjectsV2 needs s3:ListBucket). The policy
 * `lab-grader policy` prints is derived from this map, and a test keeps every entry a
 * Describe/List/Get/Lookup command.
 */
export const READ_CALLS: ReadonlyMap<CommandClass, string> = new Map<CommandClass, string>([
  [GetCallerIdentityCommand, 'sts:GetCallerIdentity'],

  [GetAccountSummaryCommand, 'iam:GetAccountSummary'],
  [ListAccountAliasesCommand, 'iam:ListAccountAliases'],
  [ListGroupsCommand, 'iam:ListGroups'],
  [ListAttachedGroupPoliciesCommand, 'iam:ListAttachedGroupPolicies'],
  [GetGroupCommand, 'iam:GetGroup'],
  [ListUsersCommand, 'iam:ListUsers'],
  [ListMFADevicesCommand, 'iam:ListMFADevices'],
  [ListAccessKeysCommand, 'iam:ListAccessKeys'],

  [DescribeBudgetsCommand, 'budgets:ViewBudget'],
  [DescribeNotificationsForBudgetCommand, 'budgets:ViewBudget'],
  [DescribeSubscribersForNotificationCommand, 'budgets:ViewBudget'],

  [GetAccountPublicAccessBlockCommand, 's3:GetAccountPublicAccessBlock'],
  [ListBucketsCommand, 's3:ListAllMyBuckets'],
  [GetBucketLocationCommand, 's3:GetBucketLocation'],
  [GetBucketPublicAccessBlockCommand, 's3:GetBucketPublicAccessBlock'],
  [GetBucketPolicyStatusCommand, 's3:GetBucketPolicyStatus'],
  [GetBucketAclCommand, 's3:GetBucketAcl'],
  [ListObjectsV2Command, 's3:ListBucket'],

  [DescribeRepositoriesCommand, 'ecr:DescribeRepositories'],
  [DescribeImagesCommand, 'ecr:DescribeImages'],

  [DescribeVpcsCommand, 'ec2:DescribeVpcs'],
  [DescribeSubnetsCommand, 'ec2:DescribeSubnets'],
  [DescribeInternetGatewaysCommand, 'ec2:DescribeInternetGateways'],
  [DescribeRouteTablesCommand, 'ec2:DescribeRouteTables'],
  [DescribeNatGatewaysCommand, 'ec2:DescribeNatGateways'],
  [DescribeAddressesCommand, 'ec2:DescribeAddresses'],
  [DescribeSecurityGroupsCommand, 'ec2:DescribeSecurityGroups'],

  [DescribeLoadBalancersCommand, 'elasticloadbalancing:DescribeLoadBalancers'],
  [DescribeListenersCommand, 'elasticloadbalancing:DescribeListeners'],
  [DescribeTargetGroupsCommand, 'elasticloadbalancing:DescribeTargetGroups'],
  [DescribeTargetHealthCommand, 'elasticloadbalancing:DescribeTargetHealth'],

  [ListClustersCommand, 'ecs:ListClusters'],
  [DescribeClustersCommand, 'ecs:DescribeClusters'],
  [ListServicesCommand, 'ecs:ListServices'],
  [DescribeServicesCommand, 'ecs:DescribeServices'],
  [ListTasksCommand, 'ecs:ListTasks'],
  [DescribeTasksCommand, 'ecs:DescribeTasks'],
  [ListTaskDefinitionsCommand, 'ecs:ListTaskDefinitions'],
  [DescribeTaskDefinitionCommand, 'ecs:DescribeTaskDefinition'],

  [DescribeLogGroupsCommand, 'logs:DescribeLogGroups'],
  [DescribeLogStreamsCommand, 'logs:DescribeLogStreams'],
  [GetLogEventsCommand, 'logs:GetLogEvents'],

  [DescribeAlarmsCommand, 'cloudwatch:DescribeAlarms'],

  [LookupEventsCommand, 'cloudtrail:LookupEvents'],
]);

/** The IAM actions the collector can call, sorted: the least-privilege policy's actions. */
export function readActions(): string[] {
  return [...new Set(READ_CALLS.values())].sort();
}

/** A client as the collector sees it: only `send`, and only for listed commands. */
export interface Sender {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  send(command: any): Promise<any>;
}

/** Thrown by the wrapper when code tries to send a command that is not in READ_CALLS: a bug. */
export class UnlistedCommandError extends Error {
  constructor(command: string) {
    super(`${command} is not a listed read-only call (src/collect/calls.ts READ_CALLS)`);
    this.name = 'UnlistedCommandError';
  }
}

// Remembers which IAM action a failed call was for, so the fact's error can name it.
const failedActions = new WeakMap<object, string>();

// CloudTrail LookupEvents allows 2 requests per second per account; stay under it.
const LOOKUP_EVENTS_PER_SECOND = 2;

/** Bounded concurrency for every call, and the counts the snapshot records. */
export class CallContext {
  calls = 0;
  rounds = 0;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly lookupStarts: number[] = [];
  private callsAtRoundStart = 0;

  constructor(readonly concurrency: number) {}

  /**
   * A view of `client` whose `send` goes through this context. It is derived from the
   * client so that the SDK's paginators, which check `instanceof`, accept it.
   */
  wrap<C extends Sender>(client: C): C {
    const wrapped = Object.create(client) as C;
    wrapped.send = (command: object) => this.send(client, command);
    return wrapped;
  }

  private async send(client: Sender, command: object): Promise<unknown> {
    const action = READ_CALLS.get(command.constructor as CommandClass);
    if (action === undefined) throw new UnlistedCommandError(command.constructor.name);
    await this.acquire();
    try {
      if (command instanceof LookupEventsCommand) await this.paceLookupEvents();
      this.calls += 1;
      return await client.send(command);
    } catch (error) {
      if (typeof error === 'object' && error !== null) failedActions.set(error, action);
      throw error;
    } finally {
      this.release();
    }
  }

  /**
   * Runs one round: independent tasks concurrently (each may page), all finished before
   * the next round starts. A round that sent no call is not counted.
   */
  async round(tasks: (() => Promise<unknown>)[]): Promise<void> {
    this.callsAtRoundStart = this.calls;
    await Promise.all(tasks.map((task) => task()));
    if (this.calls > this.callsAtRoundStart) this.rounds += 1;
  }

  private async paceLookupEvents(): Promise<void> {
    const now = Date.now();
    const recent = this.lookupStarts.filter((start) => now - start < 1000);
    if (recent.length >= LOOKUP_EVENTS_PER_SECOND) {
      const oldest = recent[recent.length - LOOKUP_EVENTS_PER_SECOND] ?? now;
      await new Promise((resolve) => setTimeout(resolve, oldest + 1000 - now));
    }
    this.lookupStarts.push(Date.now());
  }

  private async acquire(): Promise<void> {
    if (this.inFlight < this.concurrency) {
      this.inFlight += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight -= 1;
  }
}

const ACCESS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g;

/** An error message safe to store and print: access key ids are masked. */
export function safeMessage(message: string): string {
  return message.replace(ACCESS_KEY_ID, '$1****************');
}

/** The AWS error name (`AccessDenied`, `ThrottlingException`...) or a network code (`ECONNREFUSED`). */
export function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'Error';
  const { name, code, Code } = error as { name?: unknown; code?: unknown; Code?: unknown };
  if (typeof Code === 'string') return Code;
  if (typeof name === 'string' && name !== 'Error') return name;
  if (typeof code === 'string') return code;
  return typeof name === 'string' ? name : 'Error';
}

/** An earlier call's failure carried into a fact that depends on it (ListServices → services). */
export class EarlierFailure extends Error {
  constructor(readonly failure: FactError) {
    super(failure.message);
    this.name = failure.code;
  }
}

/** The error to store on a fact: the IAM action of the call that failed, AWS's code and message. */
export function factError(error: unknown, fallbackAction: string): FactError {
  if (error instanceof EarlierFailure) return error.failure;
  const action = (typeof error === 'object' && error !== null && failedActions.get(error)) || fallbackAction;
  const message = error instanceof Error ? error.message : String(error);
  return { call: action, code: errorCode(error), message: safeMessage(message || errorCode(error)) };
}

/**
 * Reads one fact: its data, `noneValue` when AWS answers with one of the `none` codes
 * (a valid "there is none"), or the error that stopped it. Bugs (unlisted commands) still throw.
 */
export async function readFact<T>(
  action: string,
  read: () => Promise<T>,
  none?: { codes: string[]; value: T },
): Promise<Fact<T>> {
  try {
    return { ok: true, data: await read() };
  } catch (error) {
    if (error instanceof UnlistedCommandError) throw error;
    if (none && none.codes.includes(errorCode(error))) return { ok: true, data: none.value };
    return { ok: false, error: factError(error, action) };
  }
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
