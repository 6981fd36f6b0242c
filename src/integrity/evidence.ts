// A snapshot's evidence for verification: its account, region and collection time, every
// resource id AWS makes unique, and every id or ARN that contradicts its own account or region.
import { createHash } from 'node:crypto';
import { dataOf, keyedDataOf } from '../facts/define.js';
import type { FactKey, Snapshot } from '../snapshot/types.js';
import type { Choice } from '../resolve/lab.js';
import { labResourceTimes, resourceTimes, timesAfterCollection, type Timed } from './timeline.js';
import type { Evidence, EvidenceIdKind } from './types.js';

// CloudTrail events name other principals and AWS services by design; they prove nothing here.
const NOT_WALKED: ReadonlySet<FactKey> = new Set(['userEvents', 'ecrLoginEvents']);

/** An ARN's start alone: its service, region and account, whose characters JSON never escapes. */
const ARN_START = /arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:/g;
/** A whole ARN: its start (the same expression, so the quick look reads what the walk reads), then the rest. */
const ARN = new RegExp(`${ARN_START.source}[^\\s"]*`, 'g');
const OWNER_FIELDS = new Set(['OwnerId', 'Account']);
/** An owner field of twelve digits, as compact JSON writes it. */
const OWNER_TEXT = /"(?:OwnerId|Account)":"(\d{12})"/g;

/**
 * Whether the snapshot's compact JSON may hold what `inconsistencies` looks for: false only
 * when every ARN's start in it names the snapshot's account (or none) and its region (or none),
 * and every owner field its account. The text holds every string the walk reads (and more: keys,
 * CloudTrail's events), each ARN's start verbatim, and an ARN the walk finds begins where one of
 * these starts does (the walk skips an ARN's tail; this reads every start), so a snapshot this
 * clears holds nothing the walk would find, and the walk over every value is spared.
 */
function mayContradict(json: string, account: string, region: string): boolean {
  for (const [, , arnRegion, arnAccount] of json.matchAll(ARN_START)) {
    if ((arnAccount !== undefined && arnAccount !== account) || (arnRegion !== '' && arnRegion !== region)) return true;
  }
  for (const [, owner] of json.matchAll(OWNER_TEXT)) if (owner !== account) return true;
  return false;
}

/** Enough to show a person; a forged snapshot can hold thousands. */
const MAX_INCONSISTENCIES = 10;

function sorted(values: Iterable<string | undefined>): string[] {
  return [...new Set([...values].filter((value): value is string => typeof value === 'string' && value !== ''))].sort();
}

/**
 * Every resource younger than the snapshot (of its `times`), then every string (and owner field)
 * in its facts and probes that names another account or region. `json` is the snapshot's compact
 * JSON text.
 */
function inconsistencies(snapshot: Snapshot, times: readonly Timed[], json: string): string[] {
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
    // for...in: JSON's objects have only their own keys, and no array of pairs is made per object.
    else if (value !== null && typeof value === 'object') for (const childKey in value) visit((value as Record<string, unknown>)[childKey], childKey);
  };
  if (mayContradict(json, snapshot.account, snapshot.region)) {
    visit(snapshot.caller, undefined);
    for (const [key, fact] of Object.entries(snapshot.facts) as [FactKey, unknown][]) {
      if (!NOT_WALKED.has(key)) visit(fact, undefined);
    }
    visit(snapshot.probes.target, undefined);
  }
  const list = [...timesAfterCollection(snapshot, times), ...[...found].sort()];
  return list.length > MAX_INCONSISTENCIES
    ? [...list.slice(0, MAX_INCONSISTENCIES), `... and ${list.length - MAX_INCONSISTENCIES} more`]
    : list;
}

/** Every id or ARN of each kind the facts hold; none of them is a name a student picks, but for buckets, whose names are global. */
function resourceIds(facts: Snapshot['facts']): Record<EvidenceIdKind, string[]> {
  const natGateways = dataOf(facts.natGateways) ?? [];
  const addresses = dataOf(facts.addresses) ?? [];
  const tasks = keyedDataOf(facts.tasks).flatMap(([, listed]) => listed);
  const taskInterfaces = tasks.flatMap((task) => (task.attachments ?? []).flatMap((attachment) => attachment.details ?? []));
  return {
    vpcs: sorted((dataOf(facts.vpcs) ?? []).map((vpc) => vpc.VpcId)),
    subnets: sorted((dataOf(facts.subnets) ?? []).map((subnet) => subnet.SubnetId)),
    routeTables: sorted((dataOf(facts.routeTables) ?? []).map((table) => table.RouteTableId)),
    securityGroups: sorted((dataOf(facts.securityGroups) ?? []).map((group) => group.GroupId)),
    internetGateways: sorted((dataOf(facts.internetGateways) ?? []).map((gateway) => gateway.InternetGatewayId)),
    natGateways: sorted(natGateways.map((gateway) => gateway.NatGatewayId)),
    addresses: sorted([...addresses.map((address) => address.AllocationId), ...natGateways.flatMap((gateway) => (gateway.NatGatewayAddresses ?? []).map((address) => address.AllocationId))]),
    networkInterfaces: sorted([
      ...addresses.map((address) => address.NetworkInterfaceId),
      ...natGateways.flatMap((gateway) => (gateway.NatGatewayAddresses ?? []).map((address) => address.NetworkInterfaceId)),
      ...taskInterfaces.filter((detail) => detail.name === 'networkInterfaceId').map((detail) => detail.value),
    ]),
    loadBalancers: sorted((dataOf(facts.loadBalancers) ?? []).map((balancer) => balancer.LoadBalancerArn)),
    targetGroups: sorted((dataOf(facts.targetGroups) ?? []).map((group) => group.TargetGroupArn)),
    listeners: sorted(keyedDataOf(facts.listeners).flatMap(([, listeners]) => listeners.map((listener) => listener.ListenerArn))),
    repositories: sorted((dataOf(facts.repositories) ?? []).map((repository) => repository.repositoryArn)),
    buckets: sorted((dataOf(facts.buckets) ?? []).map((bucket) => bucket.Name)),
    logGroups: sorted((dataOf(facts.logGroups) ?? []).map((group) => group.logGroupArn ?? group.arn)),
    clusters: sorted((dataOf(facts.clusters) ?? []).map((cluster) => cluster.clusterArn)),
    services: sorted(keyedDataOf(facts.services).flatMap(([, services]) => services.map((service) => service.serviceArn))),
    taskDefinitions: sorted([...Object.keys(facts.taskDefinitions ?? {}), ...keyedDataOf(facts.taskDefinitions).map(([, definition]) => definition.taskDefinitionArn)]),
    tasks: sorted(tasks.map((task) => task.taskArn)),
  };
}

/**
 * What verification reads of a snapshot. `choices` are the resolver's, from the scorecard
 * graded from it: with them the evidence keeps when the lab's own resources were created or
 * changed, for `--deadline`.
 */
export function snapshotEvidence(snapshot: Snapshot, choices?: readonly Choice[]): Evidence {
  const { facts } = snapshot;
  // Read once for both: the times after the collection, and the lab's own resources' times.
  const times = resourceTimes(snapshot);
  // Made once for both: the hash, and the quick look for another account or region.
  const json = JSON.stringify(snapshot);
  return {
    account: snapshot.account,
    region: snapshot.region,
    collectedAt: snapshot.collectedAt,
    sha256: createHash('sha256').update(json).digest('hex'),
    ids: resourceIds(facts),
    inconsistencies: inconsistencies(snapshot, times, json),
    requestIds: sorted((snapshot.provenance?.requestIds ?? []).map((entry) => entry.requestId)),
    ...(choices === undefined ? {} : { labTimes: labResourceTimes(snapshot, choices, times) }),
  };
}
