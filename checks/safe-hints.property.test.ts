// Hints never weaken security, over any rules of the lab's security groups and any wiring of
// the load balancer and the service: no hint asks to open a port to the world on a group whose
// rules make it the resource group, none asks to run the service in public subnets, and a hint
// for a wrong wiring names the resource to use instead.
import type { IpPermission } from '@aws-sdk/client-ec2';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { allChecks } from './index.js';
import type { Json, Snapshot } from '../src/snapshot/types.js';
import { alb, ALB_SG, APP_SG, DEFAULT_SG, find, networkOf, PRIVATE_1, PRIVATE_2, PUBLIC_SUBNETS } from '../test/support/complete-lab.js';
import { completeLabWith, dataOf, labOf, labParams, runChecks } from '../test/support/fixtures.js';
import { clauses, expectSafeHints, resourceGroupIds } from '../test/support/mistakes.js';

const tcp = (port: number, source: Json<IpPermission>): Json<IpPermission> => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, ...source });
const world = { IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
const fromGroup = (GroupId: string) => ({ UserIdGroupPairs: [{ GroupId }] });

/** Rules a student puts on either group, right and wrong: the world, the VPC, the other group, itself, every port. */
const RULES: Record<string, Json<IpPermission>> = {
  '80 from the world': tcp(80, world),
  '443 from the world': tcp(443, world),
  '80 from the VPC': tcp(80, { IpRanges: [{ CidrIp: '10.0.0.0/16' }] }),
  'all traffic from the world': { IpProtocol: '-1', ...world },
  '8000 from the world': tcp(8000, world),
  '8000-8080 from ::/0': { IpProtocol: 'tcp', FromPort: 8000, ToPort: 8080, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
  '8000 from the load balancer group': tcp(8000, fromGroup(ALB_SG)),
  '8000 from the resource group': tcp(8000, fromGroup(APP_SG)),
  'all traffic from the load balancer group': { IpProtocol: '-1', ...fromGroup(ALB_SG) },
  '80 from the resource group': tcp(80, fromGroup(APP_SG)),
};
const GROUPS = [ALB_SG, APP_SG, DEFAULT_SG];
const SUBNETS = { public: [...PUBLIC_SUBNETS], private: [PRIVATE_1, PRIVATE_2], mixed: [PUBLIC_SUBNETS[0]!, PRIVATE_2] };

type Side = keyof typeof SUBNETS;

interface Wiring {
  albRules: string[];
  resourceRules: string[];
  albGroups: string[];
  serviceGroups: string[];
  albSubnets: Side;
  serviceSubnets: Side;
}

const sides = Object.keys(SUBNETS) as Side[];
const lab: fc.Arbitrary<Wiring> = fc.record({
  albRules: fc.subarray(Object.keys(RULES)),
  resourceRules: fc.subarray(Object.keys(RULES)),
  albGroups: fc.subarray(GROUPS),
  serviceGroups: fc.subarray(GROUPS),
  albSubnets: fc.constantFrom(...sides),
  serviceSubnets: fc.constantFrom(...sides),
});

function build(wiring: Wiring): Snapshot {
  return completeLabWith((s) => {
    const groups = dataOf(s.facts.securityGroups);
    find(groups, (g) => g.GroupId === ALB_SG).IpPermissions = wiring.albRules.map((rule) => structuredClone(RULES[rule]!));
    find(groups, (g) => g.GroupId === APP_SG).IpPermissions = wiring.resourceRules.map((rule) => structuredClone(RULES[rule]!));
    alb(s).SecurityGroups = wiring.albGroups;
    alb(s).AvailabilityZones = SUBNETS[wiring.albSubnets].map((SubnetId, index) => ({ SubnetId, ZoneName: `eu-west-1${'ab'[index]}` }));
    for (const network of networkOf(s)) {
      if (!network) continue;
      network.securityGroups = wiring.serviceGroups;
      network.subnets = SUBNETS[wiring.serviceSubnets];
    }
  });
}

// `npm test` runs a bounded number of labs; `npm run test:fuzz` runs FUZZ_RUNS (10,000).
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
vi.setConfig({ testTimeout: Math.max(20_000, RUNS * 100) });

describe('hints over any security group rules and wiring of the lab', () => {
  it('never open a resource group to the world, never send the service to public subnets, and name what to use', () => {
    const params = labParams();
    fc.assert(
      fc.property(lab, (wiring) => {
        const snapshot = build(wiring);
        const resolved = labOf(snapshot, { params });
        const results = runChecks(allChecks, resolved, params);
        expectSafeHints(snapshot, results);
        // A group whose rules make it a resource group is never taken for the load balancer's.
        expect(resourceGroupIds(snapshot, params.network.appPort)).not.toContain(resolved.albSecurityGroup?.GroupId);

        const publicIds = resolved.publicSubnets.map((subnet) => subnet.SubnetId ?? '');
        const network = results['ecs.service-network']!;
        for (const clause of clauses(network.hint ?? '').filter((words) => words.startsWith('Run the tasks'))) {
          const wanted = clause.split(', not in ')[0]!;
          expect({ wanted, public: publicIds.filter((id) => wanted.includes(id)) }).toEqual({ wanted, public: [] });
        }
        const albGroup = resolved.albSecurityGroup;
        if (albGroup && !wiring.albGroups.includes(albGroup.GroupId!)) {
          expect(results['elb.load-balancer']!.hint).toContain(`${albGroup.GroupName} (${albGroup.GroupId})`);
        }
        const resourceGroup = resolved.appSecurityGroup;
        if (resourceGroup && !wiring.serviceGroups.includes(resourceGroup.GroupId!)) {
          expect(network.hint).toContain(`${resourceGroup.GroupName} (${resourceGroup.GroupId})`);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
