// AWS SDK v3 clients with the standard credential chain. Endpoint overrides
// (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>) are read by the SDK itself.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { STSClient } from '@aws-sdk/client-sts';
import { IAMClient } from '@aws-sdk/client-iam';
import { BudgetsClient } from '@aws-sdk/client-budgets';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { performance } from 'node:perf_hooks';
import { noteEndpoint } from './errors.js';
import type { PendingCall, PendingCalls } from './pending.js';
import { gradingRetryStrategy } from './retry.js';

/** IAM and Budgets are global services answered in us-east-1. */
export const GLOBAL_REGION = 'us-east-1';

export interface ClientOptions {
  /** Named profile from ~/.aws/config and ~/.aws/credentials. */
  awsProfile?: string;
  /** Region of the lab; else AWS_REGION or the profile's region. */
  region?: string;
  /** Attempts per call, including the first (adaptive retry absorbs throttling). */
  maxAttempts?: number;
  /** A request with no complete answer in this long fails (default 30 s). */
  requestTimeoutMs?: number;
  /** Credentials instead of the standard chain: batch grading assumes a role per student. */
  credentials?: ReturnType<typeof fromNodeProviderChain>;
  /** Told of every call once it ends, retries included (`--verbose`). */
  onCall?: (call: AwsCallRecord) => void;
  /** The calls in flight, for the progress line: which call is waiting, where, and since when. */
  pending?: PendingCalls;
}

/** One AWS call as `--verbose` shows it. */
export interface AwsCallRecord {
  /** `ec2:DescribeVpcs`: the service's IAM prefix and the operation. */
  action: string;
  region: string;
  ms: number;
  /** `ok`, or the error's name (`AccessDenied`, `ThrottlingException`...) and HTTP status. */
  outcome: string;
}

/** The context one command's middlewares share: its call, whose endpoint is noted once the request is built. */
interface CallContext {
  commandName?: string;
  labGraderCall?: PendingCall;
}

/** What the observer needs of an SDK client; every v3 client has it. */
interface ObservableClient {
  config: { region: () => Promise<string> };
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>, context: CallContext) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize' | 'build'; name: string },
    ): void;
  };
}

/** `https://host[:port]` of a built request, never its path or query. */
function endpointOfRequest(request: unknown): string | undefined {
  const { protocol, hostname, port } = (request ?? {}) as { protocol?: unknown; hostname?: unknown; port?: unknown };
  if (typeof hostname !== 'string' || hostname === '') return undefined;
  const scheme = typeof protocol === 'string' && protocol !== '' ? protocol.replace(/:?$/, ':') : 'https:';
  return `${scheme}//${hostname}${typeof port === 'number' ? `:${port}` : ''}`;
}

function outcomeOf(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return status === undefined ? name : `${name} (HTTP ${status})`;
}

/**
 * Follows every command the client sends, from the first attempt to the last retry: the calls
 * in flight (`pending`), each one's outcome (`onCall`), and the endpoint a failed call went to.
 */
function observe<T>(client: T, prefix: string, watchers: Pick<ClientOptions, 'onCall' | 'pending'>): T {
  const { onCall, pending } = watchers;
  const observable = client as unknown as ObservableClient;
  observable.middlewareStack.add(
    (next, context) => async (args) => {
      const call: PendingCall = { action: `${prefix}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`, startedAt: performance.now() };
      context.labGraderCall = call;
      pending?.add(call);
      const report = async (outcome: string): Promise<void> => {
        if (!onCall) return;
        const region = await observable.config.region().catch(() => '?');
        onCall({ action: call.action, region, ms: Math.round(performance.now() - call.startedAt), outcome });
      };
      try {
        const output = await next(args);
        await report('ok');
        return output;
      } catch (error) {
        if (call.endpoint !== undefined) noteEndpoint(error, call.endpoint);
        await report(outcomeOf(error));
        throw error;
      } finally {
        pending?.delete(call);
      }
    },
    { step: 'initialize', name: 'labGraderCallLog' },
  );
  // Once built (before signing and retries), the request names the endpoint it goes to.
  observable.middlewareStack.add(
    (next, context) => async (args) => {
      const endpoint = endpointOfRequest((args as { request?: unknown }).request);
      if (endpoint !== undefined && context.labGraderCall) context.labGraderCall.endpoint = endpoint;
      return next(args);
    },
    { step: 'build', name: 'labGraderCallEndpoint' },
  );
  return client;
}

/** The clients that read what bills by the hour in a region: NAT gateways, addresses, load balancers, tasks. */
export interface BillingClients {
  ec2: EC2Client;
  elb: ElasticLoadBalancingV2Client;
  ecs: ECSClient;
}

export interface AwsClients {
  sts: STSClient;
  iam: IAMClient;
  budgets: BudgetsClient;
  s3control: S3ControlClient;
  ecr: ECRClient;
  ec2: EC2Client;
  elb: ElasticLoadBalancingV2Client;
  ecs: ECSClient;
  logs: CloudWatchLogsClient;
  cloudwatch: CloudWatchClient;
  cloudtrail: CloudTrailClient;
  /** S3 per-bucket calls go to the bucket's own region. */
  s3(region: string): S3Client;
  /** EC2 in another region: the search for the lab when the graded region is empty. */
  ec2In(region: string): EC2Client;
  /** EC2, Elastic Load Balancing and ECS in another region: what bills by the hour where the lab appears to be. */
  billingIn(region: string): BillingClients;
  /** Closes every client's connection pool so the process can exit promptly. */
  destroy(): void;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** A connection not established in this long fails the attempt. */
export const CONNECTION_TIMEOUT_MS = 5_000;

/**
 * The credentials check (sts:GetCallerIdentity) is the first call of every grade and answers
 * within a second when AWS is reachable: two attempts of at most 7 s each, so an endpoint that
 * does not answer is named within 20 s instead of after five attempts of 30 s.
 */
export const CREDENTIAL_CHECK_ATTEMPTS = 2;
export const CREDENTIAL_CHECK_TIMEOUT_MS = 7_000;

const quiet = (): void => undefined;
const SILENT_LOGGER = { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet };

/** Whether S3 is pointed at a stand-in (LocalStack, moto), which needs path-style addressing. */
function s3EndpointOverridden(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3);
}

/**
 * S3 Control puts the account id in front of the endpoint's host; from an IP-address endpoint
 * (a stand-in on 127.0.0.1) that is no URL, and the SDK would print a stack trace before
 * failing. Fail the call with the cause instead, silently.
 */
function withAccountEndpointCheck(client: S3ControlClient): S3ControlClient {
  const resolve = client.config.endpointProvider;
  client.config.endpointProvider = (params, context) => {
    const { Endpoint: endpoint, AccountId: accountId, RequiresAccountId: requiresAccountId } = params;
    if (endpoint && accountId && requiresAccountId && URL.canParse(endpoint)) {
      const base = new URL(endpoint);
      if (!URL.canParse(`${base.protocol}//${accountId}.${base.host}`)) {
        throw Object.assign(
          new Error(`S3 Control's account endpoint cannot be formed from the endpoint URL ${base.origin} (the SDK puts the account id in front of its host)`),
          { name: 'EndpointError' },
        );
      }
    }
    return resolve(params, context);
  };
  return client;
}

/** Connections kept open between calls, shared by every client of one collection. */
function keepAliveAgents(): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
  const settings = { keepAlive: true, maxSockets: 50 };
  return { httpAgent: new HttpAgent(settings), httpsAgent: new HttpsAgent(settings) };
}

export function createClients(options: ClientOptions, env: NodeJS.ProcessEnv = process.env): AwsClients {
  const credentials = options.credentials ?? fromNodeProviderChain(options.awsProfile ? { profile: options.awsProfile } : {});
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  // One pool of connections for all the clients: a service (or a stand-in serving them all)
  // is reached over connections the earlier calls opened, without a new TLS handshake each.
  const agents = keepAliveAgents();
  const common = {
    credentials,
    ...(options.awsProfile ? { profile: options.awsProfile } : {}),
    maxAttempts,
    // The SDK's own warnings and stack traces never reach the person's terminal: every failed
    // call is recorded on its fact and explained there.
    logger: SILENT_LOGGER,
    // A stalled connection fails the call (recorded on its fact) instead of hanging grading;
    // without throwOnRequestTimeout the SDK only logs a warning and waits on.
    requestHandler: { ...agents, connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
  } as const;
  const credentialCheckAttempts = Math.min(maxAttempts, CREDENTIAL_CHECK_ATTEMPTS);
  const credentialCheck = {
    ...common,
    maxAttempts: credentialCheckAttempts,
    retryStrategy: gradingRetryStrategy(credentialCheckAttempts),
    requestHandler: { ...common.requestHandler, requestTimeout: Math.min(common.requestHandler.requestTimeout, CREDENTIAL_CHECK_TIMEOUT_MS) },
    ...(options.region ? { region: options.region } : {}),
  };
  // Each client keeps its own adaptive rate (a throttled service slows only itself).
  const regional = () => ({ ...common, retryStrategy: gradingRetryStrategy(maxAttempts), ...(options.region ? { region: options.region } : {}) });
  const global = () => ({ ...common, retryStrategy: gradingRetryStrategy(maxAttempts), region: GLOBAL_REGION });
  const s3Clients = new Map<string, S3Client>();
  const ec2Clients = new Map<string, EC2Client>();
  const billingClients = new Map<string, BillingClients>();
  const forcePathStyle = s3EndpointOverridden(env);
  const watchers = { ...(options.onCall ? { onCall: options.onCall } : {}), ...(options.pending ? { pending: options.pending } : {}) };
  const clients: AwsClients = {
    sts: observe(new STSClient(credentialCheck), 'sts', watchers),
    iam: observe(new IAMClient(global()), 'iam', watchers),
    budgets: observe(new BudgetsClient(global()), 'budgets', watchers),
    s3control: observe(withAccountEndpointCheck(new S3ControlClient(regional())), 's3control', watchers),
    ecr: observe(new ECRClient(regional()), 'ecr', watchers),
    ec2: observe(new EC2Client(regional()), 'ec2', watchers),
    elb: observe(new ElasticLoadBalancingV2Client(regional()), 'elasticloadbalancing', watchers),
    ecs: observe(new ECSClient(regional()), 'ecs', watchers),
    logs: observe(new CloudWatchLogsClient(regional()), 'logs', watchers),
    cloudwatch: observe(new CloudWatchClient(regional()), 'cloudwatch', watchers),
    cloudtrail: observe(new CloudTrailClient(regional()), 'cloudtrail', watchers),
    s3(region) {
      let client = s3Clients.get(region);
      if (!client) {
        client = observe(
          new S3Client({ ...common, retryStrategy: gradingRetryStrategy(maxAttempts), region, forcePathStyle, followRegionRedirects: true }),
          's3',
          watchers,
        );
        s3Clients.set(region, client);
      }
      return client;
    },
    ec2In(region) {
      let client = ec2Clients.get(region);
      if (!client) {
        // One attempt: a region that does not answer at once is reported, not waited for.
        client = observe(new EC2Client({ ...common, region, maxAttempts: 1, retryStrategy: gradingRetryStrategy(1) }), 'ec2', watchers);
        ec2Clients.set(region, client);
      }
      return client;
    },
    billingIn(region) {
      let billing = billingClients.get(region);
      if (!billing) {
        // Two attempts: this is about the cost notice, never worth a grade's wait.
        const elsewhere = () => ({ ...common, region, maxAttempts: 2, retryStrategy: gradingRetryStrategy(2) });
        billing = {
          ec2: observe(new EC2Client(elsewhere()), 'ec2', watchers),
          elb: observe(new ElasticLoadBalancingV2Client(elsewhere()), 'elasticloadbalancing', watchers),
          ecs: observe(new ECSClient(elsewhere()), 'ecs', watchers),
        };
        billingClients.set(region, billing);
      }
      return billing;
    },
    destroy() {
      const { s3: _s3, ec2In: _ec2In, billingIn: _billingIn, destroy: _destroy, ...serviceClients } = clients;
      for (const client of Object.values(serviceClients)) client.destroy();
      for (const client of [...s3Clients.values(), ...ec2Clients.values(), ...[...billingClients.values()].flatMap((billing) => Object.values(billing))]) client.destroy();
      agents.httpAgent.destroy();
      agents.httpsAgent.destroy();
    },
  };
  return clients;
}
