// A live account's evidence, stage after stage: collect the facts, resolve which of the
// account's resources are the lab, probe its load balancer. The lab is resolved once, here,
// and handed on with the snapshot, so grading does not resolve it again. The probes start
// while the collection goes on when their target cannot change any more. The grade, watch and
// batch commands all read an account through this one composition (src/student/).
import type { LoadBalancer } from '@aws-sdk/client-elastic-load-balancing-v2';
import { collectSnapshot, type CollectOptions } from '../collect/index.js';
import type { Fact } from '../facts/define.js';
import type { ProbeOptions } from '../probe/index.js';
import { resolveLab } from '../resolve/index.js';
import { labView, type Lab, type ProfileName, type Submission } from '../resolve/lab.js';
import type { LabParams } from '../rubric/params.js';
import { withoutCredentials } from '../snapshot/credentials.js';
import { briefAnswer } from '../snapshot/error-class.js';
import type { FactKey, Json, Probes, Snapshot } from '../snapshot/types.js';

export type ProbeFunction = (target: Probes['target'], params: LabParams, options?: ProbeOptions) => Promise<Probes>;

export interface LiveOptions extends CollectOptions {
  /** A person's override of the probe target (`--alb-url`). */
  albUrl?: string;
  /** The rubric profile the lab is resolved for (default `own-account`). */
  profile?: ProfileName;
  /** The student's own files (`--submission`), part of the lab the checks see. */
  submission?: Submission | null;
  /** Probes the lab (default: the probe module); tests and the benchmark stand in for it. */
  probe?: ProbeFunction;
  /** Told of every probe once it ends (the progress line, `--verbose`). */
  onProbe?: ProbeOptions['onProbe'];
}

/** What a live read gives: the snapshot (the evidence kept) and the lab resolved from it. */
export interface LiveRead {
  snapshot: Snapshot;
  lab: Lab;
}

type ProbeTarget = { target: Probes['target']; skipped?: string };

/**
 * The probe target: a person's override, else the lab's load balancer's AWS DNS name; with
 * no target, why not (no load balancer of the lab, or it could not be read).
 */
export function probeTarget(lab: Lab, options: Pick<LiveOptions, 'albUrl' | 'params'>): ProbeTarget {
  if (options.albUrl !== undefined) return { target: { url: options.albUrl, source: 'override' } };
  const resolved = lab.resolved.loadBalancer;
  if (resolved.state === 'unreadable') {
    return { target: null, skipped: `the lab's load balancer could not be read (${resolved.unread.call} answered ${briefAnswer(resolved.unread.code, resolved.unread.awsMessage)})` };
  }
  return loadBalancerTarget(resolved.state === 'found' ? resolved.value : undefined, options.params);
}

function loadBalancerTarget(loadBalancer: Json<LoadBalancer> | undefined, params: LabParams): ProbeTarget {
  if (!loadBalancer?.DNSName) return { target: null, skipped: 'no load balancer of the lab was found in the account' };
  const port = params.network.albPort;
  return {
    target: {
      url: `http://${loadBalancer.DNSName}${port === 80 ? '' : `:${port}`}`,
      source: 'alb-dns-name',
      ...(loadBalancer.LoadBalancerArn ? { loadBalancerArn: loadBalancer.LoadBalancerArn } : {}),
    },
  };
}

/**
 * The probe target once the load balancers are read, when nothing read later can change it:
 * a person's override, or the account's only load balancer, which the resolver chooses
 * whatever else it reads (among several it weighs their listeners, target groups and
 * services, so the probes wait for it). Null when the probes must wait. The fact is taken as
 * the snapshot will hold it: through JSON, without credentials.
 */
export function earlyProbeTarget(loadBalancers: Fact<unknown>, options: Pick<LiveOptions, 'albUrl' | 'params'>): Probes['target'] {
  if (options.albUrl !== undefined) return { url: options.albUrl, source: 'override' };
  if (!loadBalancers.ok) return null;
  // At the depth a fact has in a snapshot (snapshot → facts → fact).
  const stored = withoutCredentials(JSON.parse(JSON.stringify(loadBalancers)) as Fact<Json<LoadBalancer>[]>, 2);
  const [only, ...more] = stored.ok ? stored.data : [];
  return only && more.length === 0 ? loadBalancerTarget(only, options.params).target : null;
}

function sameTarget(a: Probes['target'], b: Probes['target']): boolean {
  return a !== null && b !== null && a.url === b.url && a.source === b.source && a.loadBalancerArn === b.loadBalancerArn;
}

/** Collect → resolve the lab → probe: the snapshot a live grade is made from, and its lab. */
export async function readLiveAccount(options: LiveOptions): Promise<LiveRead> {
  // The prober (with undici, its HTTP client) is loaded while the collection waits on AWS, not before it.
  const prober = options.probe ? undefined : import('../probe/index.js');
  prober?.catch(() => undefined);
  const probe = async (target: NonNullable<Probes['target']>, signal?: AbortSignal): Promise<Probes> => {
    const run = options.probe ?? (await prober!).probeLab;
    // The probes get what is left of the grade's deadline (`--timeout`), within their own budget.
    return run(target, options.params, {
      allowPrivateAddresses: target.source === 'override',
      ...(options.deadline === undefined ? {} : { budgetMs: options.deadline - Date.now() }),
      ...(options.onProbe ? { onProbe: options.onProbe } : {}),
      ...(signal ? { signal } : {}),
    });
  };
  // Probes whose target is known once the load balancers are read run while the rest is collected.
  let early: { target: Probes['target']; probes: Promise<Probes>; stop: AbortController } | undefined;
  const onRead = (key: FactKey, fact: Fact<unknown>) => {
    options.onRead?.(key, fact);
    if (key !== 'loadBalancers' || early) return;
    const target = earlyProbeTarget(fact, options);
    if (target === null) return;
    const stop = new AbortController();
    early = { target, probes: probe(target, stop.signal), stop };
    early.probes.catch(() => undefined);
  };
  // Nothing read from the account (a tag, an environment variable, a log line) may carry a
  // credential into a report or a saved snapshot: cleaned before the lab is resolved from it.
  // The request ids are AWS's own answer, kept exact as evidence (a stand-in's may look like key material).
  const read = await collectSnapshot({ ...options, onRead, first: ['loadBalancers', ...(options.first ?? [])] }).catch((error: unknown) => {
    early?.stop.abort();
    throw error;
  });
  const collected: Snapshot = { ...withoutCredentials({ ...read, provenance: undefined }), provenance: read.provenance };
  const lab = resolveLab(collected, options.params, { profile: options.profile ?? 'own-account', submission: options.submission ?? null });
  const { target, skipped } = probeTarget(lab, options);
  let probes: Probes;
  if (early && sameTarget(early.target, target)) probes = await early.probes;
  else {
    // Never kept: earlyProbeTarget names only a target the resolver cannot but choose.
    early?.stop.abort();
    probes = target ? await probe(target) : { target: null, skipped, results: [] };
  }
  // The app's answers are cleaned as the facts were, at the depth they have inside a snapshot.
  const snapshot: Snapshot = { ...collected, probes: withoutCredentials(probes, 1) };
  // The resolver read only the facts, which are unchanged: the same resolution, now seeing the probes.
  return { snapshot, lab: labView({ snapshot, profile: lab.profile, submission: lab.submission, resolved: lab.resolved, choices: lab.choices }) };
}
