// When the graded region holds none of the lab: what the search of the account's other enabled
// regions found, kept in the snapshot so a regrade says the same, and the billable resources
// running where the lab appears to be, so the cost notice counts them too.
import type { Fact, Facts, Snapshot } from './types.js';

/** The facts the cost notice reads, as read in another region. */
export type BillableFacts = Pick<Facts, 'natGateways' | 'loadBalancers' | 'addresses' | 'clusters' | 'tasks'>;

/** The keys of BillableFacts, in the order they are read. */
export const BILLABLE_FACTS: readonly (keyof BillableFacts)[] = ['natGateways', 'loadBalancers', 'addresses', 'clusters', 'tasks'];

/** What the search saw: the regions that hold a non-default VPC, and those it could not read. */
export interface RegionSearch {
  /** The regions searched (every enabled region but the graded one, or all of them for `--region auto`). */
  searched: string[];
  /** Regions with a non-default VPC, most VPCs first. */
  found: { region: string; vpcIds: string[] }[];
  /** Regions whose answer was an error, with its code. */
  unreadable: { region: string; code: string }[];
  /** The code ec2:DescribeRegions answered when the regions could not be listed at all. */
  listFailed?: string;
}

/** The search as a snapshot keeps it, with what bills by the hour in each region where the lab appears. */
export interface RegionSurvey extends RegionSearch {
  billable: { region: string; facts: BillableFacts }[];
}

function readData<T>(fact: Fact<T> | undefined): T | undefined {
  return fact?.ok ? fact.data : undefined;
}

/**
 * Whether the graded region holds none of the lab's core resources: no non-default VPC, no
 * load balancer and no ECS cluster, each read without error. An unreadable fact is no evidence.
 */
export function labAbsent(snapshot: Pick<Snapshot, 'facts'>): boolean {
  const vpcs = readData(snapshot.facts.vpcs);
  const loadBalancers = readData(snapshot.facts.loadBalancers);
  const clusters = readData(snapshot.facts.clusters);
  if (vpcs === undefined || loadBalancers === undefined || clusters === undefined) return false;
  return vpcs.every((vpc) => vpc.IsDefault === true) && loadBalancers.length === 0 && clusters.length === 0;
}

/** The graded region and the one the lab appears to be in, when the snapshot shows the lab is elsewhere. */
export interface LabElsewhere {
  /** The region graded, which holds none of the lab. */
  graded: string;
  /** The region with the most non-default VPCs. */
  region: string;
  vpcIds: string[];
}

/** Where the lab is when the graded region holds none of it and the search found it in another; undefined otherwise. */
export function labElsewhere(snapshot: Pick<Snapshot, 'facts' | 'region' | 'regionSearch'>): LabElsewhere | undefined {
  const best = snapshot.regionSearch?.found[0];
  if (best === undefined || best.region === snapshot.region || !labAbsent(snapshot)) return undefined;
  return { graded: snapshot.region, region: best.region, vpcIds: [...best.vpcIds] };
}
