// A snapshot's evidence for verification: its account, region and collection time, the ids
// AWS makes random per account, and every id or ARN that contradicts its own account or region.
import { createHash } from 'node:crypto';
import type { Fact, FactKey, Snapshot } from '../snapshot/types.js';
import type { Evidence } from './types.js';

// CloudTrail events name other principals and AWS services by design; they prove nothing here.
const NOT_WALKED: ReadonlySet<FactKey> = new Set(['userEvents', 'ecrLoginEvents']);

const ARN = /arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:[^\s"]*/g;
const OWNER_FIELDS = new Set(['OwnerId', 'Account']);
/** Enough to show a person; a forged snapshot can hold thousands. */
const MAX_INCONSISTENCIES = 10;

function dataOf<T>(fact: Fact<T> | undefined): T | undefined {
  return fact?.ok ? fact.data : undefined;
}

function keyedData<T>(facts: Record<string, Fact<T>> | undefined): T[] {
  return Object.values(facts ?? {}).flatMap((fact) => (fact.ok ? [fact.data] : []));
}

function sorted(values: Iterable<string | undefined>): string[] {
  return [...new Set([...values].filter((value): value is string => typeof value === 'string' && value !== ''))].sort();
}

/** Every string (and owner field) in the snapshot's facts and probes that names another account or region. */
function inconsistencies(snapshot: Snapshot): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, key: string | undefined): void => {
    if (typeof value === 'string') {
      if (key !== undefined && OWNER_FIELDS.has(key) && /^\d{12}$/.test(value) && value !== snapshot.account) {
        found.add(`${key} ${value} is not the snapshot's account ${snapshot.account}`);
      }
      if (!value.includes('arn:')) return;
      for (const [arn, , region, account] of value.matchAll(ARN)) {
        if (account !== undefined && account !== snapshot.account) found.add(`${arn} names account ${account}, not the snapshot's ${snapshot.account}`);
        else if (region !== undefined && region !== '' && region !== snapshot.region) found.add(`${arn} is in ${region}, not the snapshot's region ${snapshot.region}`);
      }
      return;
    }
    if (Array.isArray(value)) for (const item of value) visit(item, undefined);
    else if (value !== null && typeof value === 'object') for (const [childKey, child] of Object.entries(value)) visit(child, childKey);
  };
  visit(snapshot.caller, undefined);
  for (const [key, fact] of Object.entries(snapshot.facts) as [FactKey, unknown][]) {
    if (!NOT_WALKED.has(key)) visit(fact, undefined);
  }
  visit(snapshot.probes.target, undefined);
  const list = [...found].sort();
  return list.length > MAX_INCONSISTENCIES
    ? [...list.slice(0, MAX_INCONSISTENCIES), `... and ${list.length - MAX_INCONSISTENCIES} more`]
    : list;
}

export function snapshotEvidence(snapshot: Snapshot): Evidence {
  const { facts } = snapshot;
  return {
    account: snapshot.account,
    region: snapshot.region,
    collectedAt: snapshot.collectedAt,
    sha256: createHash('sha256').update(JSON.stringify(snapshot)).digest('hex'),
    ids: {
      vpcs: sorted((dataOf(facts.vpcs) ?? []).map((vpc) => vpc.VpcId)),
      loadBalancers: sorted((dataOf(facts.loadBalancers) ?? []).map((balancer) => balancer.LoadBalancerArn)),
      natGateways: sorted((dataOf(facts.natGateways) ?? []).map((gateway) => gateway.NatGatewayId)),
      tasks: sorted(keyedData(facts.tasks).flatMap((tasks) => tasks.map((task) => task.taskArn))),
    },
    inconsistencies: inconsistencies(snapshot),
    requestIds: sorted((snapshot.provenance?.requestIds ?? []).map((entry) => entry.requestId)),
  };
}
