// The network resolver on decoys and on students' own names: it finds the lab's resources by
// what they are, and the Choices say why.
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/snapshot/types.js';
import type { Lab } from '../../src/resolve/lab.js';
import { addHalfBuiltVpc, addSecondAlb, DECOY_VPC_ID } from '../fixtures/network/decoys.js';
import { elbChecks } from '../../checks/elb/index.js';
import { vpcChecks } from '../../checks/vpc/index.js';
import { completeLabWith, dataOf, denied, example, labOf, labParams, runChecks } from '../support/fixtures.js';
import { gradeChecks } from '../support/mistakes.js';

const LAB_VPC = 'vpc-0a1b2c3d4e5f60718';
const DEFAULT_VPC = 'vpc-0f9e8d7c6b5a40312';
const PUBLIC = ['subnet-0aa11bb22cc33dd01', 'subnet-0aa11bb22cc33dd02'];
const PRIVATE = ['subnet-0aa11bb22cc33dd03', 'subnet-0aa11bb22cc33dd04'];
const SECTION_4_1_TO_4_6 = [
  'vpc.lab-vpc',
  'vpc.public-subnets',
  'vpc.private-subnets',
  'vpc.internet-gateway',
  'vpc.route-tables',
  'vpc.nat-gateway',
  'vpc.security-groups',
];

const networkChecks = [...vpcChecks, ...elbChecks];
const gradeNetwork = (lab: Lab) => runChecks(networkChecks, lab, labParams());
const why = (lab: Lab, resource: string) => lab.choices.find((choice) => choice.resource === resource)?.why ?? '';
const ids = (subnets: { SubnetId?: string }[]) => subnets.map((subnet) => subnet.SubnetId);
const statuses = (results: Record<string, { status: string }>) =>
  Object.fromEntries(Object.entries(results).map(([id, result]) => [id, result.status]));

function rename(s: Snapshot, id: string, name: string): void {
  const item = [...dataOf(s.facts.vpcs), ...dataOf(s.facts.subnets)].find(
    (x) => ('SubnetId' in x ? x.SubnetId : x.VpcId) === id,
  );
  if (!item) throw new Error(`no ${id} in the fixture`);
  item.Tags = [{ Key: 'Name', Value: name }];
}

/** The student's own names: none of the lab's subnet suggestions, and private subnets named for what runs there. */
function ownNames(s: Snapshot): void {
  rename(s, LAB_VPC, 'my-vpc');
  rename(s, PUBLIC[0]!, 'pub-a');
  rename(s, PUBLIC[1]!, 'pub-b');
  rename(s, PRIVATE[0]!, 'app-a');
  rename(s, PRIVATE[1]!, 'app-b');
}

function withoutService(s: Snapshot): void {
  s.facts.services = {};
}

function withoutLoadBalancer(s: Snapshot): void {
  dataOf(s.facts.loadBalancers).length = 0;
  dataOf(s.facts.targetGroups).length = 0;
  s.facts.listeners = {};
  s.facts.services = {};
}

function expectLabNetwork(lab: Lab): void {
  expect(lab.vpc?.VpcId).toBe(LAB_VPC);
  expect(ids(lab.publicSubnets)).toEqual(PUBLIC);
  expect(ids(lab.privateSubnets)).toEqual(PRIVATE);
  expect(lab.internetGateway?.InternetGatewayId).toBe('igw-0c4d5e6f7a8b9c0d1');
  expect(lab.natGateway?.NatGatewayId).toBe('nat-0e1f2a3b4c5d6e7f8');
  expect(lab.albSecurityGroup?.GroupId).toBe('sg-0a1a1a1a1a1a1a1a1');
  expect(lab.appSecurityGroup?.GroupId).toBe('sg-0b2b2b2b2b2b2b2b2');
  expect(lab.publicRouteTable?.RouteTableId).toBe('rtb-0b0b0b0b0b0b0b0b1');
  expect(lab.privateRouteTable?.RouteTableId).toBe('rtb-0c0c0c0c0c0c0c0c1');
}

describe('resolveNetwork', () => {
  it('finds each resource of the complete lab by what it is: names, routes, rules', () => {
    const lab = labOf(example('complete-lab'));
    expectLabNetwork(lab);
    expect(why(lab, 'vpc')).toBe(
      'named sentiment-app-vpc; CIDR 10.0.0.0/16; load balancer sentiment-app-alb is in it; ECS service sentiment-app-service is in it; target group sentiment-app-target-group is in it',
    );
    expect(why(lab, 'publicSubnets')).toBe('named like public/pub');
    expect(why(lab, 'privateSubnets')).toBe('named like private/priv');
    expect(why(lab, 'publicRouteTable')).toBe('its 0.0.0.0/0 route goes to an internet gateway');
    expect(why(lab, 'privateRouteTable')).toBe('its 0.0.0.0/0 route goes to a NAT gateway');
    expect(why(lab, 'natGateway')).toBe('the private route table private-route-table (rtb-0c0c0c0c0c0c0c0c1) routes 0.0.0.0/0 to it');
    expect(why(lab, 'albSecurityGroup')).toBe('it opens port 80 to the world');
    expect(why(lab, 'appSecurityGroup')).toBe("it admits port 8000 from the load balancer's group");
  });

  it('chooses the subnets, route tables and security groups without asking where the load balancer and the service are attached', () => {
    const lab = labOf(example('complete-lab'));
    for (const resource of ['publicSubnets', 'privateSubnets', 'publicRouteTable', 'privateRouteTable', 'albSecurityGroup', 'appSecurityGroup'] as const) {
      expect({ resource, from: lab.resolved[resource].from }).toEqual({ resource, from: expect.not.arrayContaining(['loadBalancers', 'services', 'targetGroups']) });
    }
  });

  it('ignores the default VPC, a half-built VPC with the lab names and a second ALB', () => {
    const snapshot = completeLabWith((s) => {
      addHalfBuiltVpc(s);
      addSecondAlb(s);
    });
    const lab = labOf(snapshot);
    expectLabNetwork(lab);
    expect(lab.loadBalancer?.LoadBalancerName).toBe('sentiment-app-alb');
    expect(lab.choices.find((c) => c.resource === 'vpc')).toMatchObject({ candidates: 3 });
    expect(Object.values(statuses(gradeNetwork(lab)))).toEqual(networkChecks.map(() => 'pass'));
  });

  it('without an ALB or service, still finds the lab VPC over the half-built one and grades 4.1-4.6', () => {
    const lab = labOf(
      completeLabWith((s) => {
        addHalfBuiltVpc(s);
        withoutLoadBalancer(s);
      }),
    );
    expectLabNetwork(lab);
    expect(why(lab, 'vpc')).toContain('ranked above sentiment-app-vpc (vpc-0decoy0decoy0de01)');
    expect(why(lab, 'publicSubnets')).toBe('named like public/pub');
    expect(why(lab, 'appSecurityGroup')).toBe("it admits port 8000 from the load balancer's group");
    const results = gradeNetwork(lab);
    for (const id of SECTION_4_1_TO_4_6) expect({ id, status: results[id]?.status }).toEqual({ id, status: 'pass' });
    expect(results['elb.load-balancer']).toMatchObject({ status: 'fail', hint: expect.stringContaining('Create an application load balancer') });
    expect(results['elb.target-group']?.status).toBe('fail');
  });

  it.each<[string, (s: Snapshot) => void]>([
    ['with the service', ownNames],
    ['without a service (private subnets found by their NAT route)', (s) => { ownNames(s); withoutService(s); }],
    ['without an ALB or service', (s) => { ownNames(s); withoutLoadBalancer(s); }],
  ])('grades the student\'s own names (my-vpc, pub-a, app-a) %s', (_name, mutate) => {
    const lab = labOf(completeLabWith(mutate));
    expectLabNetwork(lab);
    const results = gradeNetwork(lab);
    for (const id of SECTION_4_1_TO_4_6) expect({ id, status: results[id]?.status }).toEqual({ id, status: 'pass' });
    expect(results['vpc.lab-vpc']?.notes).toEqual([`VPC ${LAB_VPC} is named my-vpc; the lab names it sentiment-app-vpc`]);
  });

  it('finds private subnets that use the main route table (no explicit association) by routing', () => {
    const lab = labOf(
      completeLabWith((s) => {
        ownNames(s);
        withoutService(s);
        const tables = dataOf(s.facts.routeTables);
        const main = tables.find((t) => t.VpcId === LAB_VPC && t.Associations?.some((a) => a.Main))!;
        const privateTable = tables.find((t) => t.RouteTableId === 'rtb-0c0c0c0c0c0c0c0c1')!;
        // The private table becomes the VPC's main table; the private subnets lose their explicit association.
        main.Associations = [];
        privateTable.Associations = [{ Main: true, RouteTableId: privateTable.RouteTableId, RouteTableAssociationId: 'rtbassoc-0main' }];
      }),
    );
    expect(ids(lab.privateSubnets)).toEqual(PRIVATE);
    expect(why(lab, 'privateSubnets')).toContain('NAT gateway');
    expect(gradeNetwork(lab)['vpc.route-tables']).toMatchObject({
      status: 'pass',
      evidence: expect.arrayContaining([expect.stringContaining('private-route-table (rtb-0c0c0c0c0c0c0c0c1), the main table')]),
    });
  });

  it('keeps the public subnets when the service runs in them, and takes the private ones by name', () => {
    const lab = labOf(
      completeLabWith((s) => {
        const service = dataOf(Object.values(s.facts.services)[0]!)[0]!;
        service.networkConfiguration!.awsvpcConfiguration!.subnets = [...PUBLIC];
      }),
    );
    expect(ids(lab.publicSubnets)).toEqual(PUBLIC);
    expect(ids(lab.privateSubnets)).toEqual(PRIVATE);
  });

  it('takes the public subnets by name when the ALB sits in the private ones', () => {
    const lab = labOf(
      completeLabWith((s) => {
        dataOf(s.facts.loadBalancers)[0]!.AvailabilityZones = PRIVATE.map((SubnetId, i) => ({ SubnetId, ZoneName: `eu-west-1${'ab'[i]}` }));
        withoutService(s);
      }),
    );
    expect(ids(lab.publicSubnets)).toEqual(PUBLIC);
    expect(ids(lab.privateSubnets)).toEqual(PRIVATE);
    expect(why(lab, 'publicSubnets')).toBe('named like public/pub');
  });

  it("prefers the student's VPC to the default VPC the ALB was put in, and 4.7 says so", () => {
    const snapshot = completeLabWith((s) => {
      const lb = dataOf(s.facts.loadBalancers)[0]!;
      lb.VpcId = DEFAULT_VPC;
      lb.AvailabilityZones = [
        { ZoneName: 'eu-west-1a', SubnetId: 'subnet-0dd00dd00dd00dd01' },
        { ZoneName: 'eu-west-1b', SubnetId: 'subnet-0dd00dd00dd00dd02' },
      ];
      withoutService(s);
    });
    const lab = labOf(snapshot);
    expect(lab.vpc?.VpcId).toBe(LAB_VPC);
    expect(why(lab, 'vpc')).toBe(
      `named sentiment-app-vpc; CIDR 10.0.0.0/16; target group sentiment-app-target-group is in it; but load balancer sentiment-app-alb is in ${DEFAULT_VPC} (the default VPC)`,
    );
    const results = gradeNetwork(lab);
    expect(results['vpc.lab-vpc']?.status).toBe('pass');
    expect(results['elb.load-balancer']?.hint).toContain(`sentiment-app-alb is in ${DEFAULT_VPC}; the lab puts it in the VPC you created`);
  });

  it('takes the VPC named like the lab when everything the graph points to sits in the default VPC', () => {
    const lab = labOf(
      completeLabWith((s) => {
        dataOf(s.facts.loadBalancers)[0]!.VpcId = DEFAULT_VPC;
        dataOf(s.facts.targetGroups)[0]!.VpcId = DEFAULT_VPC;
        withoutService(s);
      }),
    );
    expect(lab.vpc?.VpcId).toBe(LAB_VPC);
    expect(why(lab, 'vpc')).toBe(
      `named sentiment-app-vpc; CIDR 10.0.0.0/16; but load balancer sentiment-app-alb is in ${DEFAULT_VPC} (the default VPC); ` +
        `but target group sentiment-app-target-group is in ${DEFAULT_VPC} (the default VPC)`,
    );
  });

  it('chooses the default VPC only when the graph points there and nothing else is the lab, and 4.1 says why', () => {
    const snapshot = completeLabWith((s) => {
      s.facts.vpcs = { ok: true, data: dataOf(s.facts.vpcs).filter((v) => v.IsDefault) };
      const lb = dataOf(s.facts.loadBalancers)[0]!;
      lb.VpcId = DEFAULT_VPC;
    });
    const lab = labOf(snapshot);
    expect(lab.vpc?.VpcId).toBe(DEFAULT_VPC);
    expect(why(lab, 'vpc')).toContain('only the default VPC is pointed to');
    expect(gradeNetwork(lab)['vpc.lab-vpc']).toMatchObject({ status: 'fail', hint: expect.stringContaining('is the default VPC') });
  });

  it('finds no VPC when only the default VPC exists and nothing points to it', () => {
    const results = gradeChecks(
      completeLabWith((s) => {
        s.facts.vpcs = { ok: true, data: dataOf(s.facts.vpcs).filter((v) => v.IsDefault) };
        withoutLoadBalancer(s);
      }),
      { checks: networkChecks },
    );
    expect(results['vpc.lab-vpc']).toMatchObject({ status: 'fail', evidence: [`only the default VPC: ${DEFAULT_VPC}`] });
  });

  it('resolves a detached internet gateway through the public route table that still names it', () => {
    const lab = labOf(
      completeLabWith((s) => {
        const igw = dataOf(s.facts.internetGateways).find((g) => g.InternetGatewayId === 'igw-0c4d5e6f7a8b9c0d1')!;
        igw.Attachments = [];
        igw.Tags = [];
      }),
    );
    expect(lab.internetGateway?.InternetGatewayId).toBe('igw-0c4d5e6f7a8b9c0d1');
    expect(why(lab, 'internetGateway')).toBe('not attached to any VPC, but the public route table routes 0.0.0.0/0 to it');
  });

  it('takes the available NAT gateway of the VPC when no private route points to one', () => {
    const lab = labOf(
      completeLabWith((s) => {
        const table = dataOf(s.facts.routeTables).find((t) => t.RouteTableId === 'rtb-0c0c0c0c0c0c0c0c1')!;
        table.Routes = table.Routes!.filter((r) => !r.NatGatewayId);
        dataOf(s.facts.natGateways).push({ ...structuredClone(dataOf(s.facts.natGateways)[0]!), NatGatewayId: 'nat-0deleted0000000001', State: 'deleted' });
      }),
    );
    expect(lab.natGateway?.NatGatewayId).toBe('nat-0e1f2a3b4c5d6e7f8');
    expect(why(lab, 'natGateway')).toContain('no private route points to a NAT gateway; available in the lab VPC, ranked above nat-0deleted0000000001');
  });

  it('makes what rests on an unreadable fact unreadable, and resolves what does not', () => {
    const lab = labOf(
      completeLabWith((s) => {
        s.facts.vpcs = denied('ec2:DescribeVpcs');
      }),
    );
    const network = ['vpc', 'publicSubnets', 'privateSubnets', 'publicRouteTable', 'privateRouteTable', 'internetGateway', 'natGateway', 'albSecurityGroup', 'appSecurityGroup'] as const;
    for (const resource of network) {
      expect(lab.resolved[resource]).toMatchObject({ state: 'unreadable', unread: { call: 'ec2:DescribeVpcs', finding: "the lab's VPC" } });
    }
    expect(why(lab, 'vpc')).toBe('ec2:DescribeVpcs could not be read (AccessDenied), so nothing was chosen');
    // The entry point and the compute resources need no VPC.
    expect(lab.loadBalancer?.LoadBalancerName).toBe('sentiment-app-alb');
    expect(lab.targetGroup?.TargetGroupName).toBe('sentiment-app-target-group');
    expect(lab.service?.serviceName).toBe('sentiment-app-service');
    expect(lab.resolved.service.from).not.toContain('vpcs');
  });

  it('finds the VPC by what it is when the subnets that tie the service to it could not be read', () => {
    const lab = labOf(completeLabWith((s) => void (s.facts.subnets = denied('ec2:DescribeSubnets'))));
    expect(lab.vpc?.VpcId).toBe(LAB_VPC);
    expect(why(lab, 'vpc')).toBe('named sentiment-app-vpc; CIDR 10.0.0.0/16; load balancer sentiment-app-alb is in it; target group sentiment-app-target-group is in it');
    expect(lab.resolved.publicSubnets.state).toBe('unreadable');
  });

  it('does not mistake the decoy VPC for the lab even by name and CIDR', () => {
    const lab = labOf(completeLabWith(addHalfBuiltVpc));
    expect(lab.vpc?.VpcId).not.toBe(DECOY_VPC_ID);
    expect(lab.publicSubnets.every((subnet) => subnet.VpcId === LAB_VPC)).toBe(true);
  });
});
