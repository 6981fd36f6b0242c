// Live AWS account → Snapshot: the credentials check, then the facts in a few rounds of
// concurrent read-only calls. Probing the lab is the next stage (src/live/), not this one's.
import { performance } from 'node:perf_hooks';
import { createClients, type AwsClients } from '../aws/clients.js';
import { identifyCaller } from '../aws/credentials.js';
import type { LabParams } from '../rubric/params.js';
import type { FactKey, Snapshot } from '../snapshot/types.js';
import { CallContext } from './calls.js';
import { collectFacts, type CollectClients, type FactsInput } from './facts.js';
import { labAbsent, surveyOtherRegions, type RegionSearch } from './region.js';
import { packageVersion } from '../package.js';

/** What every snapshot names as its collector: this package, at its own version. */
export function collectorName(): { name: string; version: string } {
  return { name: 'lab-grader', version: packageVersion() };
}

/** Calls in flight at once: enough for a round to finish in one or two waves, few enough not to trip throttling. */
export const DEFAULT_CONCURRENCY = 16;

export interface CollectOptions {
  params: LabParams;
  /** Named AWS profile (else the standard chain: environment, default profile, SSO, container...). */
  awsProfile?: string;
  region?: string;
  /** Report progress (a TTY display); absent means quiet. */
  onProgress?: (event: { done: number; total: number; label: string }) => void;
  /** Calls in flight at once (default 16). */
  concurrency?: number;
  /** Attempts per call including the first (default 5; adaptive retry). */
  maxAttempts?: number;
  /** An earlier snapshot of the same account: facts `refresh` declines are copied from it, not called. */
  previous?: Snapshot;
  /** Whether to read a fact again (watch mode re-reads only what can change); default: all. */
  refresh?: (key: FactKey) => boolean;
  /** Clients to collect with (default: the standard chain from `awsProfile` and `region`). */
  clients?: AwsClients;
  /** SHA-256 of the rubric file's bytes, kept in the snapshot's provenance. */
  rubricSha256?: string;
  /** When the whole grade must be done (Date.now() time): calls not answered by then become errors on their facts. */
  deadline?: number;
  /**
   * Told where the lab appears to be when the graded region holds none of it: the other
   * enabled regions are searched (one call each, in parallel) only when this is given and the
   * region is empty, so a region that holds the lab costs no extra round.
   */
  onLabElsewhere?: (search: RegionSearch, graded: string) => void;
  /** Told each fact read with one read as soon as it is read or copied: the live stage starts probing once the load balancers are. */
  onRead?: FactsInput['onRead'];
  /** Facts read before the others ready at the same time (the live stage's: the load balancers). */
  first?: FactsInput['first'];
}

export async function collectSnapshot(options: CollectOptions): Promise<Snapshot> {
  const started = performance.now();
  const startedAt = Date.now();
  const clients =
    options.clients ??
    createClients({
      ...(options.awsProfile ? { awsProfile: options.awsProfile } : {}),
      ...(options.region ? { region: options.region } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    });
  const ctx = new CallContext(options.concurrency ?? DEFAULT_CONCURRENCY, options.deadline);
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
    ec2In: (region) => ctx.wrap(clients.ec2In(region)),
  };
  try {
    // Round 1: who is calling; missing or expired credentials stop here with what to do.
    let caller!: Awaited<ReturnType<typeof identifyCaller>>;
    await ctx.round([async () => (caller = await identifyCaller(wrapped.sts, options.awsProfile))]);
    const region = options.region ?? (await clients.sts.config.region());
    // Taken by AWS's clock, as the SDK measured it from the answer's Date header: a machine
    // whose clock is wrong must not date the snapshot before the resources it holds.
    const clockOffset = (clients.sts.config as { systemClockOffset?: number }).systemClockOffset ?? 0;
    const collectedAt = new Date(startedAt + (Number.isFinite(clockOffset) ? clockOffset : 0)).toISOString();

    const facts = await collectFacts({
      ctx,
      clients: wrapped,
      caller,
      region,
      params: options.params,
      ...(options.previous ? { previous: options.previous.facts } : {}),
      ...(options.refresh ? { refresh: options.refresh } : {}),
      ...(options.onProgress ? { onFact: options.onProgress } : {}),
      ...(options.onRead ? { onRead: options.onRead } : {}),
      ...(options.first ? { first: options.first } : {}),
    });

    const snapshot: Snapshot = {
      schemaVersion: 1,
      collectedAt,
      // The AWS part only: probes keep their own latencies.
      collector: { ...collectorName(), calls: ctx.calls, rounds: ctx.rounds, durationMs: Math.round(performance.now() - started) },
      account: caller.Account,
      region,
      caller: caller.Arn,
      provenance: {
        ...(options.rubricSha256 === undefined ? {} : { rubricSha256: options.rubricSha256 }),
        requestIds: ctx.requestIds(),
      },
      facts,
      // Not probed yet: the probe stage (src/live/) fills this in after resolving the target.
      probes: { target: null, skipped: 'not probed: collection only', results: [] },
    };
    if (options.onLabElsewhere && labAbsent(snapshot)) {
      // After the snapshot's counts: the search is about the account, not the graded region's facts.
      const survey = await surveyOtherRegions({
        ctx,
        clients: wrapped,
        billingIn: (other) => {
          const billing = clients.billingIn(other);
          return { ec2: ctx.wrap(billing.ec2), elb: ctx.wrap(billing.elb), ecs: ctx.wrap(billing.ecs) };
        },
        caller,
        region,
        params: options.params,
        facts,
      });
      options.onLabElsewhere(survey, region);
      return { ...snapshot, regionSearch: survey };
    }
    return snapshot;
  } finally {
    if (!options.clients) clients.destroy();
  }
}
