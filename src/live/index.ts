// A live account's evidence, stage after stage: collect the facts, resolve which load
// balancer is the lab's, probe it. The grade, watch and batch commands all read an account
// through this one composition; nothing below it knows about the others.
import { collectSnapshot, type CollectOptions } from '../collect/index.js';
import { probeLab, type ProbeOptions } from '../probe/index.js';
import { resolveLab } from '../resolve/index.js';
import type { ProfileName } from '../resolve/lab.js';
import type { LabParams } from '../rubric/params.js';
import { withoutCredentials } from '../snapshot/credentials.js';
import { briefAnswer } from '../snapshot/error-class.js';
import type { Probes, Snapshot } from '../snapshot/types.js';

export type ProbeFunction = (target: Probes['target'], params: LabParams, options?: ProbeOptions) => Promise<Probes>;

export interface LiveOptions extends CollectOptions {
  /** A person's override of the probe target (`--alb-url`). */
  albUrl?: string;
  /** The rubric profile, for resolving which load balancer is the lab's (default `own-account`). */
  profile?: ProfileName;
  /** Probes the lab (default: the probe module); tests and the benchmark stand in for it. */
  probe?: ProbeFunction;
  /** Told of every probe once it ends (the progress line, `--verbose`). */
  onProbe?: ProbeOptions['onProbe'];
}

/**
 * The probe target: a person's override, else the lab's load balancer's AWS DNS name; with
 * no target, why not (no load balancer of the lab, or it could not be read).
 */
export function probeTarget(snapshot: Snapshot, options: LiveOptions): { target: Probes['target']; skipped?: string } {
  if (options.albUrl !== undefined) return { target: { url: options.albUrl, source: 'override' } };
  const resolved = resolveLab(snapshot, options.params, { profile: options.profile ?? 'own-account' }).resolved.loadBalancer;
  if (resolved.state === 'unreadable') {
    return { target: null, skipped: `the lab's load balancer could not be read (${resolved.unread.call} answered ${briefAnswer(resolved.unread.code, resolved.unread.awsMessage)})` };
  }
  const loadBalancer = resolved.state === 'found' ? resolved.value : undefined;
  if (!loadBalancer?.DNSName) return { target: null, skipped: 'no load balancer of the lab was found in the account' };
  const port = options.params.network.albPort;
  return {
    target: {
      url: `http://${loadBalancer.DNSName}${port === 80 ? '' : `:${port}`}`,
      source: 'alb-dns-name',
      ...(loadBalancer.LoadBalancerArn ? { loadBalancerArn: loadBalancer.LoadBalancerArn } : {}),
    },
  };
}

/** Collect → resolve the probe target → probe: the snapshot a live grade is made from. */
export async function readLiveAccount(options: LiveOptions): Promise<Snapshot> {
  const snapshot = await collectSnapshot(options);
  const { target, skipped } = probeTarget(snapshot, options);
  const probe = options.probe ?? probeLab;
  // The probes get what is left of the grade's deadline (`--timeout`), within their own budget.
  const probeOptions: ProbeOptions = {
    allowPrivateAddresses: target?.source === 'override',
    ...(options.deadline === undefined ? {} : { budgetMs: options.deadline - Date.now() }),
    ...(options.onProbe ? { onProbe: options.onProbe } : {}),
  };
  const probes = target ? await probe(target, options.params, probeOptions) : { target: null, skipped, results: [] };
  // Nothing read from the account or the app (a tag, an environment variable, a log line, a
  // response body) may carry a credential into a report or a saved snapshot.
  return withoutCredentials({ ...snapshot, probes });
}
