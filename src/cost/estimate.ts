// The cost notice: what the billable resources seen in the snapshot cost per hour while
// left running, from the rubric's price table, and how to tear them down.
import type { LabParams } from '../rubric/params.js';
import type { Fact, FactKey, Facts, Snapshot } from '../snapshot/types.js';
import { FACT_CALLS } from '../snapshot/facts.js';
import type { BillableFacts } from '../snapshot/region-search.js';

export type CostItem = 'natGateway' | 'loadBalancer' | 'fargateTask' | 'publicIpv4';

export interface CostLine {
  item: CostItem;
  count: number;
  /** USD per hour for all of them together. */
  hourly: number;
  /** Which resources were counted and how the figure is made. */
  detail: string;
}

export interface CostNotice {
  region: string;
  /** When the resources were seen running: the snapshot's `collectedAt`. */
  asOf: string;
  /** USD per hour, exact to the millionth of a dollar. */
  perHour: number;
  /** USD per 24 hours. */
  perDay: number;
  /** Only items with a count above zero. */
  lines: CostLine[];
  /** Facts that could not be read: what they would cost is missing from the total. */
  unknown: string[];
  /** How to stop paying, in dependency order. */
  teardown: string[];
  /**
   * Other enabled regions where the lab appears to be and something bills by the hour (read
   * when the graded region held none of the lab); `perHour` and `perDay` include them.
   */
  otherRegions?: RegionCost[];
}

/** What bills by the hour in one more region. */
export interface RegionCost {
  region: string;
  /** USD per hour in this region alone. */
  perHour: number;
  lines: CostLine[];
  unknown: string[];
}

type Prices = LabParams['prices'];

// Prices have at most six decimals; summing integer millionths keeps the total exact.
const MICRO = 1_000_000;
const micro = (usd: number): number => Math.round(usd * MICRO);

/**
 * How to stop paying, in dependency order (what depends on a resource goes first). Students
 * build the lab by hand, so their steps come first; the reference deploy is an instructor's.
 */
export const TEARDOWN_STEPS: readonly string[] = [
  'Update the ECS service to 0 tasks, then delete it; then delete the ECS cluster.',
  'Delete the load balancer, then its target group.',
  'Delete the NAT gateway, then release its Elastic IP (an idle Elastic IP is still billed).',
  'Delete the VPC: that removes its subnets, route tables, internet gateway and security groups.',
  'The ECR repository, S3 bucket and log group cost cents a month: delete them once your work is graded.',
  "Built with this project's reference deploy (reference-service/) instead? `npm run teardown` there, with the region and profile of the deploy, removes all of the above.",
];

function unreadable(fact: FactKey, error: { code: string }): string {
  return `${fact} (${FACT_CALLS[fact]}: ${error.code})`;
}

/** A fact's data; a fact not read (an error) or not in the snapshot at all is listed as unknown. */
function dataOf<T>(fact: Fact<T> | undefined, key: FactKey, unknown: string[]): T | undefined {
  if (fact === undefined) {
    unknown.push(`${key} (not collected)`);
    return undefined;
  }
  if (fact.ok) return fact.data;
  unknown.push(unreadable(key, fact.error));
  return undefined;
}

function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

// A unit price as the table writes it ($0.04048), not rounded away.
function usd(micros: number): string {
  return `$${(micros / MICRO).toFixed(6).replace(/0{1,4}$/, '')}`;
}

/**
 * Hourly cost of what was running in the snapshot's region when it was collected: every
 * such resource the grader read, the lab's or not (a leftover NAT gateway bills the same).
 *
 * Counted: NAT gateways in state `available`; load balancers in state `active` or
 * `active_impaired` (the hourly charge only, not LCUs); running Fargate tasks by their
 * task-level vCPU and memory at on-demand prices; public IPv4 addresses = every allocated
 * Elastic IP (attached or idle, which includes the NAT gateway's) plus one address per
 * Availability Zone of each internet-facing IPv4/dual-stack load balancer that AWS assigns
 * itself. Not counted: public IPs auto-assigned to EC2 instances or tasks (the snapshot
 * does not read instances; the lab's tasks run in private subnets), data transfer, S3,
 * ECR and CloudWatch storage.
 */
function regionCost(facts: BillableFacts, prices: Prices): { lines: CostLine[]; unknown: string[]; micros: number } {
  const unknown: string[] = [];
  const lines: CostLine[] = [];
  const add = (item: CostItem, count: number, micros: number, detail: string): void => {
    if (count > 0) lines.push({ item, count, hourly: micros / MICRO, detail });
  };

  const natGateways = (dataOf(facts.natGateways, 'natGateways', unknown) ?? []).filter(
    (gateway) => gateway.State === 'available',
  );
  add(
    'natGateway',
    natGateways.length,
    natGateways.length * micro(prices.natGatewayHour),
    `${plural(natGateways.length, 'NAT gateway')} available (${natGateways.map((g) => g.NatGatewayId).join(', ')}) × ${usd(micro(prices.natGatewayHour))}/h`,
  );

  const loadBalancers = (dataOf(facts.loadBalancers, 'loadBalancers', unknown) ?? []).filter(
    (balancer) => balancer.State?.Code === 'active' || balancer.State?.Code === 'active_impaired',
  );
  add(
    'loadBalancer',
    loadBalancers.length,
    loadBalancers.length * micro(prices.loadBalancerHour),
    `${plural(loadBalancers.length, 'load balancer')} active (${loadBalancers.map((b) => b.LoadBalancerName).join(', ')}) × ${usd(micro(prices.loadBalancerHour))}/h, plus capacity units not estimated`,
  );

  let taskCount = 0;
  let taskMicros = 0;
  let vcpuTotal = 0;
  let gbTotal = 0;
  // A snapshot may lack a fact altogether (not collected); the types promise every one.
  const tasks = facts.tasks as Facts['tasks'] | undefined;
  if (tasks === undefined) unknown.push('tasks (not collected)');
  for (const [cluster, fact] of Object.entries(tasks ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!fact.ok) {
      unknown.push(`tasks of ${cluster} (${FACT_CALLS.tasks}: ${fact.error.code})`);
      continue;
    }
    for (const task of fact.data) {
      const fargate = task.launchType === 'FARGATE' || (task.capacityProviderName ?? '').startsWith('FARGATE');
      if (!fargate || task.lastStatus !== 'RUNNING') continue;
      const vcpu = Number(task.cpu ?? 0) / 1024;
      const gb = Number(task.memory ?? 0) / 1024;
      taskCount += 1;
      vcpuTotal += vcpu;
      gbTotal += gb;
      taskMicros += Math.round(vcpu * micro(prices.fargateVcpuHour) + gb * micro(prices.fargateGbHour));
    }
  }
  add(
    'fargateTask',
    taskCount,
    taskMicros,
    `${plural(taskCount, 'running Fargate task')}: ${vcpuTotal} vCPU × ${usd(micro(prices.fargateVcpuHour))}/h + ${gbTotal} GB × ${usd(micro(prices.fargateGbHour))}/h (on-demand)`,
  );

  const addresses = dataOf(facts.addresses, 'addresses', unknown);
  // Without the Elastic IP list, the NAT gateways' own public addresses are the ones known to exist.
  const elasticIps = addresses
    ? addresses.filter((address) => address.PublicIp).length
    : natGateways.flatMap((gateway) => gateway.NatGatewayAddresses ?? []).filter((address) => address.PublicIp).length;
  const balancerIps = loadBalancers
    .filter((balancer) => balancer.Scheme === 'internet-facing' && balancer.IpAddressType !== 'dualstack-without-public-ipv4')
    .flatMap((balancer) => balancer.AvailabilityZones ?? [])
    // Zones holding an Elastic IP (network load balancers) are already counted with the Elastic IPs.
    .filter((zone) => !(zone.LoadBalancerAddresses ?? []).some((address) => address.AllocationId)).length;
  const publicIps = elasticIps + balancerIps;
  add(
    'publicIpv4',
    publicIps,
    publicIps * micro(prices.publicIpv4Hour),
    `${plural(publicIps, 'public IPv4 address', 'public IPv4 addresses')} (${addresses ? plural(elasticIps, 'Elastic IP') : plural(elasticIps, 'NAT gateway address', 'NAT gateway addresses')} + ${balancerIps} for internet-facing load balancer zones) × ${usd(micro(prices.publicIpv4Hour))}/h`,
  );

  return { lines, unknown, micros: lines.reduce((sum, line) => sum + Math.round(line.hourly * MICRO), 0) };
}

/**
 * Hourly cost of what was running in the snapshot's region when it was collected (see
 * regionCost), and, when the graded region held none of the lab, in each region where the
 * search found it: a student grading the wrong region pays for the right one.
 */
export function estimateRunningCost(snapshot: Snapshot, prices: Prices): CostNotice {
  const graded = regionCost(snapshot.facts, prices);
  const otherRegions = (snapshot.regionSearch?.billable ?? [])
    .map(({ region, facts }) => ({ region, ...regionCost(facts, prices) }))
    .filter((other) => other.lines.length > 0 || other.unknown.length > 0);
  const perHourMicros = graded.micros + otherRegions.reduce((sum, other) => sum + other.micros, 0);
  return {
    region: snapshot.region,
    asOf: snapshot.collectedAt,
    perHour: perHourMicros / MICRO,
    perDay: (perHourMicros * 24) / MICRO,
    lines: graded.lines,
    unknown: graded.unknown,
    teardown: [...TEARDOWN_STEPS],
    ...(otherRegions.length === 0
      ? {}
      : { otherRegions: otherRegions.map(({ region, lines, unknown, micros }) => ({ region, perHour: micros / MICRO, lines, unknown })) }),
  };
}

/** The notice as plain text lines, shared by the console and markdown reporters. */
export function costNoticeLines(notice: CostNotice): string[] {
  const regions = [{ region: notice.region, lines: notice.lines, unknown: notice.unknown }, ...(notice.otherRegions ?? [])];
  const billed = regions.filter((region) => region.lines.length > 0).map((region) => region.region);
  // With more than one region, each line says which.
  const where = (region: string) => (regions.length > 1 ? `${region}: ` : '');
  const head =
    billed.length === 0
      ? `Nothing billable by the hour was seen running in ${regions.map((region) => region.region).join(' or ')} at ${notice.asOf}.`
      : `Left running, what the grader saw in ${billed.join(' and ')} at ${notice.asOf} costs about $${notice.perHour.toFixed(4)} per hour ($${notice.perDay.toFixed(2)} per day):`;
  const unknown = regions.flatMap((region) => region.unknown.map((fact) => `${where(region.region)}${fact}`));
  return [
    head,
    ...regions.flatMap((region) => region.lines.map((line) => `- ${where(region.region)}${line.detail} = $${line.hourly.toFixed(4)}/h`)),
    ...(unknown.length > 0 ? [`Not included (could not be read): ${unknown.join('; ')}.`] : []),
  ];
}
