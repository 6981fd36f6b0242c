// Live AWS account → Snapshot: the credentials check, the facts in a few rounds of
// concurrent read-only calls, then the probes of the lab's load balancer.
import { performance } from 'node:perf_hooks';
import { createClients, type AwsClients } from '../aws/clients.js';
import { identifyCaller } from '../aws/credentials.js';
import { probeLab, type ProbeOptions } from '../probe/index.js';
import { resolveLab } from '../resolve/index.js';
import type { ProfileName } from '../resolve/lab.js';
import type { LabParams } from '../rubric/params.js';
import type { FactKey, Probes, Snapshot } from '../snapshot/types.js';
import { CallContext } from './calls.js';
import { collectFacts, type CollectClients } from './facts.js';

export const COLLECTOR = { name: 'lab-grader', version: '0.1.0' } as const;

/** Calls in flight at once: enough for a round to finish in one or two waves, few enough not to trip throttling. */
export const DEFAULT_CONCURRENCY = 16;

export type ProbeFunction = (target: Probes['target'], params: LabParams, options?: ProbeOptions) => Promise<Probes>;

export interface CollectOptions {
  params: LabParams;
  /** Named AWS profile (else the standard chain: environment, default profile, SSO, container...). */
  awsProfile?: string;
  region?: string;
  /** A person's override of the probe target (`--alb-url`). */
  albUrl?: string;
  /** Report progress (a TTY display); absent means quiet. */
  onProgress?: (event: { done: number; total: number; label: string }) => void;
  /** The rubric profile, for resolving which load balancer is the lab's (default `own-account`). */
  profile?: ProfileName;
  /** Calls in flight at once (default 16). */
  concurrency?: number;
  /** Attempts per call including the first (default 5; adaptive retry). */
  maxAttempts?: number;
  /** An earlier snapshot of the same account: facts `refresh` declines are copied from it, not called. */
  previous?: Snapshot;
  /** Whether to read a fact again (watch mode re-reads only what can change); default: all. */
  refresh?: (key: FactKey) => boolean;
  /** Probes the lab (default: the probe module); tests and the benchmark stand in for it. */
  probe?: ProbeFunction;
  /** Clients to collect with (default: the standard chain from `awsProfile` and `region`). */
  clients?: AwsClients;
}

/** The probe target: a person's override, else the lab's load balancer's AWS DNS name. */
function probeTarget(snapshot: Snapshot, options: CollectOptions): Probes['target'] {
  if (options.albUrl !== undefined) return { url: options.albUrl, source: 'override' };
  const lab = resolveLab(snapshot, options.params, { profile: options.profile ?? 'own-account' });
  const loadBalancer = lab.loadBalancer;
  if (!loadBalancer?.DNSName) return null;
  const port = options.params.network.albPort;
  return {
    url: `http://${loadBalancer.DNSName}${port === 80 ? '' : `:${port}`}`,
    source: 'alb-dns-name',
    ...(loadBalancer.LoadBalancerArn ? { loadBalancerArn: loadBalancer.LoadBalancerArn } : {}),
  };
}

export async function collectSnapshot(options: CollectOptions): Promise<Snapshot> {
  const started = performance.now();
  const collectedAt = new Date().toISOString();
  const clients =
    options.clients ??
    createClients({
      ...(options.awsProfile ? { awsProfile: options.awsProfile } : {}),
      ...(options.region ? { region: options.region } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    });
  const ctx = new CallContext(options.concurrency ?? DEFAULT_CONCURRENCY);
  const wrapped: CollectClients = {
    sts: ctx.wrap(clients.sts),
    iam: ctx.wrap(clients.iam),
    budgets: ctx.wrap(clients.budgets),
    s3control: ctx.wrap(clients.s3control),
    ecr: ctx.wrap(clients.ecr),
    ec2: ctx.wrap(clients.ec2),
    elb: ctx.wrap(clients.elb),
    ecs: ctx.wrap(clients.ecs),
    logs: ctx.wrap(clients.logs),
    cloudwatch: ctx.wrap(clients.cloudwatch),
    cloudtrail: ctx.wrap(clients.cloudtrail),
    s3: (region) => ctx.wrap(clients.s3(region)),
  };
  try {
    // Round 1: who is calling; missing or expired credentials stop here with what to do.
    let caller!: Awaited<ReturnType<typeof identifyCaller>>;
    await ctx.round([async () => (caller = await identifyCaller(wrapped.sts, options.awsProfile))]);
    const region = options.region ?? (await clients.sts.config.region());

    const facts = await collectFacts({
      ctx,
      clients: wrapped,
      caller,
      region,
      params: options.params,
      ...(options.previous ? { previous: options.previous.facts } : {}),
      ...(options.refresh ? { refresh: options.refresh } : {}),
      ...(options.onProgress ? { onFact: options.onProgress } : {}),
    });

    const snapshot: Snapshot = {
      schemaVersion: 1,
      collectedAt,
      // The AWS part only: probes keep their own latencies.
      collector: { ...COLLECTOR, calls: ctx.calls, rounds: ctx.rounds, durationMs: Math.round(performance.now() - started) },
      account: caller.Account,
      region,
      caller: caller.Arn,
      facts,
      probes: { target: null, results: [] },
    };
    const target = probeTarget(snapshot, options);
    const probe = options.probe ?? probeLab;
    snapshot.probes = target
      ? await probe(target, options.params, { allowPrivateAddresses: target.source === 'override' })
      : { target: null, skipped: 'no load balancer of the lab was found in the account', results: [] };
    return snapshot;
  } finally {
    if (!options.clients) clients.destroy();
  }
}
