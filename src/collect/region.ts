// Where the lab is when it is not in the graded region: a student who built it in us-east-1
// and grades in eu-west-1 would otherwise get 0 on every resource step with no word why.
// One DescribeVpcs per enabled region, all at once, and only when the graded region is empty.
import { DescribeRegionsCommand, DescribeVpcsCommand, type DescribeRegionsCommandOutput, type DescribeVpcsCommandOutput } from '@aws-sdk/client-ec2';
import { GLOBAL_REGION, type AwsClients } from '../aws/clients.js';
import { identifyCaller } from '../aws/credentials.js';
import { UsageError } from '../errors.js';
import { BILLABLE_FACTS, type BillableFacts, type RegionSearch, type RegionSurvey } from '../snapshot/region-search.js';
import type { CallerIdentity, Facts } from '../snapshot/types.js';
import type { NameHints } from '../facts/define.js';
import { errorCode, type Sender } from '../aws/errors.js';
import { CallContext } from './calls.js';
import { collectFacts, type CollectClients } from './facts.js';
import { commandWith } from '../command-line.js';

export { labAbsent, type RegionSearch } from '../snapshot/region-search.js';

/** Regions asked at once: all of them (about 17 enabled by default) in one wave. */
const DEFAULT_SEARCH_CONCURRENCY = 32;

/**
 * The account's enabled regions (ec2:DescribeRegions from `home`), each asked for its
 * non-default VPCs in parallel through `ec2In(region)`; `skip` is the region already graded.
 */
export async function searchLabRegions(home: Sender, ec2In: (region: string) => Sender, skip?: string): Promise<RegionSearch> {
  let listed: DescribeRegionsCommandOutput;
  try {
    listed = (await home.send(new DescribeRegionsCommand({}))) as DescribeRegionsCommandOutput;
  } catch (error) {
    return { searched: [], found: [], unreadable: [], listFailed: errorCode(error) };
  }
  const searched = (listed.Regions ?? [])
    .flatMap((region) => (region.RegionName ? [region.RegionName] : []))
    .filter((region) => region !== skip)
    .sort();
  type Answer = { region: string; vpcIds: string[] } | { region: string; code: string };
  const answers = await Promise.all(
    searched.map(async (region): Promise<Answer> => {
      try {
        const output = (await ec2In(region).send(
          new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['false'] }], MaxResults: 5 }),
        )) as DescribeVpcsCommandOutput;
        return { region, vpcIds: (output.Vpcs ?? []).flatMap((vpc) => (vpc.VpcId && vpc.IsDefault !== true ? [vpc.VpcId] : [])) };
      } catch (error) {
        return { region, code: errorCode(error) };
      }
    }),
  );
  const found = answers
    .flatMap((answer) => ('vpcIds' in answer && answer.vpcIds.length > 0 ? [answer] : []))
    .sort((a, b) => b.vpcIds.length - a.vpcIds.length || a.region.localeCompare(b.region));
  const unreadable = answers.flatMap((answer) => ('code' in answer ? [answer] : []));
  return { searched, found, unreadable };
}

/** Regions whose billable resources are read when the lab appears elsewhere: the likeliest few, most VPCs first. */
const MAX_BILLED_REGIONS = 3;

export interface SurveyInput {
  ctx: CallContext;
  clients: CollectClients;
  /** EC2, Elastic Load Balancing and ECS of another region, through the same CallContext. */
  billingIn: (region: string) => Pick<CollectClients, 'ec2' | 'elb' | 'ecs'>;
  caller: CallerIdentity;
  /** The graded region, which holds none of the lab. */
  region: string;
  params: NameHints;
  /** The graded region's facts: every fact but the billable ones is taken from them, not read again. */
  facts: Facts;
}

/**
 * The search of the other enabled regions, and in each region where the lab appears (up to
 * three) what bills by the hour: NAT gateways, load balancers, Elastic IPs, running tasks. Read
 * with the fact definitions themselves, so the cost notice counts them as it counts the graded
 * region's.
 */
export async function surveyOtherRegions(input: SurveyInput): Promise<RegionSurvey> {
  const search = await searchLabRegions(input.clients.ec2, input.clients.ec2In, input.region);
  const billable = await Promise.all(
    search.found.slice(0, MAX_BILLED_REGIONS).map(async ({ region }) => {
      const read = await collectFacts({
        ctx: input.ctx,
        clients: { ...input.clients, ...input.billingIn(region) },
        caller: input.caller,
        region,
        params: input.params,
        previous: input.facts,
        refresh: (key) => (BILLABLE_FACTS as readonly string[]).includes(key),
      });
      const facts = Object.fromEntries(BILLABLE_FACTS.map((key) => [key, read[key]])) as BillableFacts;
      return { region, facts };
    }),
  );
  return { ...search, billable };
}

/** `lab-grader grade … --region us-east-1`: the command the person ran, with the region replaced. */
export function commandInRegion(argv: readonly string[], region: string): string {
  return commandWith(argv, '--region', region);
}

/** What to tell a person whose graded region is empty: where the lab appears to be, and the command. */
export function explainLabElsewhere(graded: string, search: RegionSearch, argv: readonly string[]): string {
  const empty = `Region ${graded} holds none of the lab's core resources (no non-default VPC, no load balancer, no ECS cluster).`;
  const unread = search.unreadable.length > 0 ? ` ${search.unreadable.length} region(s) could not be read (${search.unreadable.map((r) => `${r.region} ${r.code}`).join(', ')}).` : '';
  const [best, ...others] = search.found;
  if (search.listFailed !== undefined) {
    return `${empty} The other regions could not be listed (ec2:DescribeRegions answered ${search.listFailed}): if you built the lab elsewhere, grade with --region set to that region.`;
  }
  if (!best) {
    return `${empty} No other of the ${search.searched.length} enabled regions holds a non-default VPC either:${unread} the lab may not be built yet.`;
  }
  const also = others.length > 0 ? ` Non-default VPCs are also in ${others.map((r) => r.region).join(', ')}.` : '';
  return (
    `${empty} The lab appears to be in ${best.region} (non-default VPC ${best.vpcIds.join(', ')}).${also}${unread} ` +
    `Grade it with: ${commandInRegion(argv, best.region)} (or --region auto).`
  );
}

/** The region `--region auto` grades: the one with the most non-default VPCs, from a search of every enabled region. */
export interface ChosenRegion {
  region: string;
  search: RegionSearch;
}

/**
 * `--region auto`: checks the credentials (exit 3 with the fix), lists the enabled regions from
 * us-east-1 and picks the region that holds the lab; a UsageError when none does.
 */
export async function chooseLabRegion(clients: Pick<AwsClients, 'sts' | 'ec2In'>, awsProfile?: string): Promise<ChosenRegion> {
  const ctx = new CallContext(DEFAULT_SEARCH_CONCURRENCY);
  await identifyCaller(ctx.wrap(clients.sts), awsProfile);
  const search = await searchLabRegions(ctx.wrap(clients.ec2In(GLOBAL_REGION)), (region) => ctx.wrap(clients.ec2In(region)));
  const [best] = search.found;
  if (search.listFailed !== undefined) {
    throw new UsageError(
      `--region auto could not list the enabled regions (ec2:DescribeRegions answered ${search.listFailed}): ` +
        'grant ec2:DescribeRegions (see `lab-grader policy`) or name the lab\'s region with --region (e.g. --region eu-west-1).',
    );
  }
  if (!best) {
    const unread = search.unreadable.length > 0 ? ` (${search.unreadable.length} could not be read: ${search.unreadable.map((r) => `${r.region} ${r.code}`).join(', ')})` : '';
    throw new UsageError(
      `--region auto found no non-default VPC in any of the ${search.searched.length} enabled regions${unread}: ` +
        'build the lab first, or name its region with --region (e.g. --region eu-west-1).',
    );
  }
  return { region: best.region, search };
}
