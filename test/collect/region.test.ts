// A student who built the lab in one region and grades in another is told where it is.
import { afterEach, describe, expect, it } from 'vitest';
import { DescribeNatGatewaysCommand, DescribeRegionsCommand, DescribeVpcsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { createClients } from '../../src/aws/clients.js';
import { collectSnapshot } from '../../src/collect/index.js';
import { chooseLabRegion, commandInRegion, explainLabElsewhere, labAbsent, type RegionSearch } from '../../src/collect/region.js';
import { UsageError } from '../../src/errors.js';
import type { RegionSurvey } from '../../src/snapshot/region-search.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { completeLabWith, dataOf, example, labParams } from '../support/fixtures.js';
import { awsError, mockAccount, type MockedAccount } from './mock-account.js';

let account: MockedAccount | undefined;
afterEach(() => {
  account?.restore();
  account = undefined;
});

/** The complete lab with nothing of it in the graded region: only the default VPC. */
function emptyRegion(): Snapshot {
  return completeLabWith((s) => {
    s.facts.vpcs = { ok: true, data: dataOf(s.facts.vpcs).filter((vpc) => vpc.IsDefault === true) };
    s.facts.loadBalancers = { ok: true, data: [] };
    s.facts.clusters = { ok: true, data: [] };
  });
}

const LAB_VPC = 'vpc-0a1b2c3d4e5f60718';

/**
 * A mocked account with four enabled regions: the lab's VPC is in us-east-1, ap-south-1
 * refuses the call, the rest hold only default VPCs (which the filter leaves out).
 */
function multiRegionAccount(snapshot: Snapshot): MockedAccount {
  const mocked = mockAccount(snapshot);
  mocked.ec2.on(DescribeRegionsCommand).resolves({
    Regions: ['eu-west-1', 'us-east-1', 'ap-south-1', 'us-west-2'].map((RegionName) => ({ RegionName, OptInStatus: 'opt-in-not-required' })),
  });
  mocked.ec2
    .on(DescribeVpcsCommand, { Filters: [{ Name: 'is-default', Values: ['false'] }] })
    .callsFake(async (_input: unknown, getClient: () => EC2Client) => {
      const region = await getClient().config.region();
      if (region === 'ap-south-1') throw awsError('UnauthorizedOperation');
      return { Vpcs: region === 'us-east-1' ? [{ VpcId: LAB_VPC, IsDefault: false, CidrBlock: '10.0.0.0/16' }] : [] };
    });
  return mocked;
}

const collect = (onLabElsewhere?: (search: RegionSearch, graded: string) => void) =>
  collectSnapshot({
    params: labParams(),
    region: 'eu-west-1',
    ...(onLabElsewhere ? { onLabElsewhere } : {}),
  });

describe('finding the lab in another region', () => {
  it('says which region holds the lab, with the command to grade it, when the graded region is empty', async () => {
    account = multiRegionAccount(emptyRegion());
    const seen: { search: RegionSearch; graded: string }[] = [];
    const snapshot = await collect((search, graded) => seen.push({ search, graded }));
    expect(seen).toHaveLength(1);
    const [{ search, graded }] = seen as [{ search: RegionSearch; graded: string }];
    expect(graded).toBe('eu-west-1');
    const { billable, ...found } = search as RegionSurvey;
    expect(found).toEqual({
      searched: ['ap-south-1', 'us-east-1', 'us-west-2'],
      found: [{ region: 'us-east-1', vpcIds: [LAB_VPC] }],
      unreadable: [{ region: 'ap-south-1', code: 'UnauthorizedOperation' }],
    });
    // What bills by the hour where the lab is was read there, with the fact definitions, and kept in the snapshot.
    expect(billable.map((region) => region.region)).toEqual(['us-east-1']);
    expect(Object.keys(billable[0]!.facts)).toEqual(['natGateways', 'loadBalancers', 'addresses', 'clusters', 'tasks']);
    expect(billable[0]!.facts.natGateways).toEqual(example('complete-lab').facts.natGateways);
    const natRegions = await Promise.all(account.ec2.commandCalls(DescribeNatGatewaysCommand).map((call) => (call.thisValue as EC2Client).config.region()));
    expect(natRegions.sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(snapshot.regionSearch).toEqual(search);
    // Every region's call went to that region's endpoint, all of them asked.
    const regions = await Promise.all(
      account.ec2
        .commandCalls(DescribeVpcsCommand, { Filters: [{ Name: 'is-default', Values: ['false'] }] })
        .map((call) => (call.thisValue as EC2Client).config.region()),
    );
    expect(regions.sort()).toEqual(['ap-south-1', 'us-east-1', 'us-west-2']);

    const text = explainLabElsewhere(graded, search, ['grade', '--profile', 'student', '--region', 'eu-west-1', '--format', 'console']);
    expect(text).toBe(
      "Region eu-west-1 holds none of the lab's core resources (no non-default VPC, no load balancer, no ECS cluster). " +
        `The lab appears to be in us-east-1 (non-default VPC ${LAB_VPC}). 1 region(s) could not be read (ap-south-1 UnauthorizedOperation). ` +
        'Grade it with: lab-grader grade --profile student --format console --region us-east-1 (or --region auto).',
    );
  });

  it('adds no call and no round when the graded region holds the lab', async () => {
    account = multiRegionAccount(example('complete-lab'));
    const without = await collect();
    account.ec2.resetHistory();
    let told = false;
    const withSearch = await collect(() => (told = true));
    expect(told).toBe(false);
    expect(account.ec2.commandCalls(DescribeRegionsCommand)).toHaveLength(0);
    expect(withSearch.collector.rounds).toBe(without.collector.rounds);
    expect(withSearch.collector.calls).toBe(without.collector.calls);
  });

  it('takes an unreadable fact as no evidence that the region is empty', () => {
    const snapshot = emptyRegion();
    expect(labAbsent(snapshot)).toBe(true);
    snapshot.facts.clusters = { ok: false, error: { call: 'ecs:ListClusters', code: 'AccessDeniedException', message: 'denied' } };
    expect(labAbsent(snapshot)).toBe(false);
    expect(labAbsent(example('complete-lab'))).toBe(false);
  });

  it('--region auto picks the region that holds the lab, and says what to do when none does', async () => {
    account = multiRegionAccount(emptyRegion());
    const clients = createClients({ region: 'us-east-1' });
    try {
      const chosen = await chooseLabRegion(clients);
      expect(chosen.region).toBe('us-east-1');
      expect(chosen.search.searched).toEqual(['ap-south-1', 'eu-west-1', 'us-east-1', 'us-west-2']);

      account.ec2.on(DescribeVpcsCommand, { Filters: [{ Name: 'is-default', Values: ['false'] }] }).resolves({ Vpcs: [] });
      const none = chooseLabRegion(clients);
      await expect(none).rejects.toBeInstanceOf(UsageError);
      await expect(none).rejects.toThrow(/found no non-default VPC in any of the 4 enabled regions.*--region/);
    } finally {
      clients.destroy();
    }
  });

  it('rewrites the command with the region, dropping the one given in either form', () => {
    expect(commandInRegion(['grade', '--region=eu-west-1', '--out', 'my reports'], 'us-east-1')).toBe(
      "lab-grader grade --out 'my reports' --region us-east-1",
    );
    expect(commandInRegion(['watch', '--region', 'auto'], 'us-west-2')).toBe('lab-grader watch --region us-west-2');
  });
});

describe('when the regions cannot be listed', () => {
  it('says so and what to pass, in grade and in --region auto', async () => {
    account = mockAccount(emptyRegion());
    account.ec2.on(DescribeRegionsCommand).rejects(awsError('UnauthorizedOperation'));
    let search: RegionSearch | undefined;
    await collect((seen) => (search = seen));
    expect(search).toEqual({ searched: [], found: [], unreadable: [], listFailed: 'UnauthorizedOperation', billable: [] });
    expect(explainLabElsewhere('eu-west-1', search!, ['grade'])).toMatch(
      /The other regions could not be listed \(ec2:DescribeRegions answered UnauthorizedOperation\): if you built the lab elsewhere, grade with --region/,
    );
    const clients = createClients({ region: 'us-east-1' });
    try {
      await expect(chooseLabRegion(clients)).rejects.toThrow(/grant ec2:DescribeRegions .* or name the lab's region with --region/);
    } finally {
      clients.destroy();
    }
  });
});
