// The VPC checks on fixtures: the complete lab passes every check, and each typical mistake
// changes only the checks that grade it, with a hint naming the resource and what to do.
import { describe, expect, it } from 'vitest';
import { elbChecks } from '../elb/index.js';
import { vpcChecks } from './index.js';
import { alb, APP_SG, find, IGW, LAB_VPC, NAT, nat, PRIVATE_1, PRIVATE_2, PRIVATE_RTB, PUBLIC_2, PUBLIC_RTB, routeTable, subnet } from '../../test/support/complete-lab.js';
import { completeLabWith, dataOf, denied, example } from '../../test/support/fixtures.js';
import { gradeChecks, type Mistake, testMistakes } from '../../test/support/mistakes.js';

const mistakes: Mistake[] = [
  {
    name: 'wrong VPC CIDR',
    mutate: (s) => {
      const vpc = find(dataOf(s.facts.vpcs), (v) => v.VpcId === LAB_VPC);
      vpc.CidrBlock = '10.0.0.0/20';
      vpc.CidrBlockAssociationSet![0]!.CidrBlock = '10.0.0.0/20';
    },
    expected: { 'vpc.lab-vpc': { status: 'partial', fraction: 0.5, says: ['has CIDR 10.0.0.0/20', 'the lab asks for 10.0.0.0/16'] } },
  },
  {
    name: 'both public subnets in one AZ',
    mutate: (s) => {
      subnet(s, PUBLIC_2).AvailabilityZone = 'eu-west-1a';
    },
    expected: {
      'vpc.public-subnets': { status: 'partial', fraction: 2 / 3, says: ['two different Availability Zones', 'all in eu-west-1a'] },
    },
  },
  {
    name: 'internet gateway detached',
    mutate: (s) => {
      find(dataOf(s.facts.internetGateways), (g) => g.InternetGatewayId === IGW).Attachments = [];
    },
    expected: { 'vpc.internet-gateway': { status: 'fail', says: [`Attach internet gateway sentiment-app-igw (${IGW})`, 'not attached to any VPC'] } },
  },
  {
    name: 'public route missing',
    mutate: (s) => {
      const table = routeTable(s, PUBLIC_RTB);
      table.Routes = table.Routes!.filter((route) => route.DestinationCidrBlock !== '0.0.0.0/0');
    },
    expected: {
      'vpc.route-tables': { status: 'partial', fraction: 0.5, says: [`Add the route 0.0.0.0/0 → ${IGW}`, '0.0.0.0/0 → no route'] },
    },
  },
  {
    name: 'private subnets associated with the public route table',
    mutate: (s) => {
      const publicTable = routeTable(s, PUBLIC_RTB);
      const privateTable = routeTable(s, PRIVATE_RTB);
      publicTable.Associations!.push(...privateTable.Associations!.map((a) => ({ ...a, RouteTableId: PUBLIC_RTB })));
      privateTable.Associations = [];
    },
    expected: {
      // The service still runs in the lab's private subnets: their routing is step 4.4's, and costs only 4.4.
      'vpc.route-tables': {
        status: 'partial',
        fraction: 0.5,
        says: ['must not route to the internet gateway', 'private-subnet-1', `with the private route table private-route-table (${PRIVATE_RTB})`],
      },
    },
  },
  {
    name: 'NAT gateway in a private subnet',
    mutate: (s) => {
      nat(s).SubnetId = PRIVATE_1;
    },
    expected: {
      'vpc.nat-gateway': { status: 'partial', fraction: 0.75, says: ['is in private subnet private-subnet-1', 'in a public subnet'] },
    },
  },
  {
    name: 'NAT gateway missing',
    mutate: (s) => {
      dataOf(s.facts.natGateways).length = 0;
    },
    expected: { 'vpc.nat-gateway': { status: 'fail', says: ['Create a NAT gateway in a public subnet', 'Elastic IP'] } },
  },
  {
    name: 'private route to the NAT gateway missing',
    mutate: (s) => {
      const table = routeTable(s, PRIVATE_RTB);
      table.Routes = table.Routes!.filter((route) => route.DestinationCidrBlock !== '0.0.0.0/0');
    },
    expected: { 'vpc.nat-gateway': { status: 'partial', fraction: 0.75, says: [`Add the route 0.0.0.0/0 → ${NAT}`] } },
  },
  {
    name: 'app port 8000 open to the world instead of the ALB group',
    mutate: (s) => {
      const rule = find(dataOf(s.facts.securityGroups), (g) => g.GroupId === APP_SG).IpPermissions![0]!;
      rule.UserIdGroupPairs = [];
      rule.IpRanges = [{ CidrIp: '0.0.0.0/0' }];
    },
    expected: {
      'vpc.security-groups': {
        status: 'partial',
        fraction: 0.5,
        says: ['tcp 8000 from 0.0.0.0/0', 'open to the world', 'source the load balancer group sentiment-app-alb-sg (sg-0a1a1a1a1a1a1a1a1)'],
      },
    },
  },
  {
    name: 'dedicated tenancy',
    mutate: (s) => {
      find(dataOf(s.facts.vpcs), (v) => v.VpcId === LAB_VPC).InstanceTenancy = 'dedicated';
    },
    expected: { 'vpc.lab-vpc': { status: 'partial', fraction: 0.5, says: ['dedicated tenancy', 'Default'] } },
  },
  {
    name: 'a private subnet overlapping a public one',
    mutate: (s) => {
      subnet(s, PRIVATE_2).CidrBlock = '10.0.2.128/25';
    },
    expected: {
      'vpc.public-subnets': { status: 'partial', fraction: 2 / 3, says: ['public-subnet-2 (subnet-0aa11bb22cc33dd02) 10.0.2.0/24 in eu-west-1b overlaps'] },
      'vpc.private-subnets': { status: 'partial', fraction: 2 / 3, says: ['10.0.2.128/25 in eu-west-1b overlaps another lab subnet'] },
    },
  },
  {
    name: 'a single private subnet',
    mutate: (s) => {
      s.facts.subnets = { ok: true, data: dataOf(s.facts.subnets).filter((x) => x.SubnetId !== PRIVATE_2) };
      const service = dataOf(Object.values(s.facts.services)[0]!)[0]!;
      service.networkConfiguration!.awsvpcConfiguration!.subnets = [PRIVATE_1];
    },
    expected: {
      'vpc.private-subnets': { status: 'partial', fraction: 1 / 3, says: ['Create two private subnets', 'found 1 (private-subnet-1', 'all in eu-west-1a'] },
    },
  },
  {
    name: 'a failed NAT gateway',
    mutate: (s) => {
      nat(s).State = 'failed';
    },
    expected: { 'vpc.nat-gateway': { status: 'partial', fraction: 0.75, says: ['is failed; it must be available'] } },
  },
  {
    name: 'the ALB using the default security group',
    mutate: (s) => {
      alb(s).SecurityGroups = ['sg-0c3c3c3c3c3c3c3c3'];
    },
    // Step 4.6 made the groups right: only 4.7, which wires the load balancer, pays.
    expected: {
      'elb.load-balancer': { status: 'partial', fraction: 6 / 7, says: ['uses sg-0c3c3c3c3c3c3c3c3; choose the load balancer security group sentiment-app-alb-sg (sg-0a1a1a1a1a1a1a1a1)'] },
    },
  },
];

describe('vpc checks', () => {
  it('has a check for every VPC id of the rubric', () => {
    expect(vpcChecks.map((check) => check.id)).toEqual([
      'vpc.lab-vpc',
      'vpc.public-subnets',
      'vpc.private-subnets',
      'vpc.internet-gateway',
      'vpc.route-tables',
      'vpc.nat-gateway',
      'vpc.security-groups',
    ]);
  });

  it('passes every check on the complete lab, with evidence naming the resources', () => {
    const results = gradeChecks(example('complete-lab'), { checks: vpcChecks });
    expect(Object.values(results).map((result) => result.status)).toEqual(vpcChecks.map(() => 'pass'));
    expect(results['vpc.lab-vpc']?.evidence.join()).toContain('sentiment-app-vpc (vpc-0a1b2c3d4e5f60718)');
    expect(results['vpc.route-tables']?.evidence.join()).toContain(`public-route-table (${PUBLIC_RTB}): 0.0.0.0/0 → ${IGW}`);
  });

  testMistakes(mistakes);

  it('passes another valid subnet plan with a note naming the lab\'s example', () => {
    const results = gradeChecks(
      completeLabWith((s) => {
        subnet(s, PRIVATE_1).CidrBlock = '10.0.128.0/20';
        subnet(s, PRIVATE_2).CidrBlock = '10.0.144.0/20';
      }),
    );
    expect(results['vpc.private-subnets']).toMatchObject({
      status: 'pass',
      notes: ['private subnets use 10.0.128.0/20, 10.0.144.0/20; the lab\'s example is 10.0.3.0/24, 10.0.4.0/24 (any plan inside the VPC without overlaps is fine)'],
    });
  });

  it('turns unreadable route tables into error for the checks that read them, and grades the rest', () => {
    const results = gradeChecks(
      completeLabWith((s) => {
        s.facts.routeTables = denied('ec2:DescribeRouteTables');
      }),
      { checks: [...vpcChecks, ...elbChecks] },
    );
    for (const id of ['vpc.route-tables', 'vpc.nat-gateway']) {
      expect(results[id]).toMatchObject({ status: 'error', cause: expect.stringContaining('ec2:DescribeRouteTables answered AccessDenied') });
    }
    const others = Object.entries(results).filter(([id]) => !['vpc.route-tables', 'vpc.nat-gateway'].includes(id));
    expect(others.map(([id, result]) => [id, result.status])).toEqual(others.map(([id]) => [id, 'pass']));
  });

  it('passes a dual-stack ALB with a note, and counts an all-traffic rule as opening port 8000 to the world', () => {
    const results = gradeChecks(
      completeLabWith((s) => {
        alb(s).IpAddressType = 'dualstack';
        find(dataOf(s.facts.securityGroups), (g) => g.GroupId === APP_SG).IpPermissions!.push({
          IpProtocol: '-1',
          IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        });
      }),
    );
    expect(results['elb.load-balancer']).toMatchObject({ status: 'pass', notes: [expect.stringContaining('dual-stack')] });
    expect(results['vpc.security-groups']).toMatchObject({ status: 'partial', hint: expect.stringContaining('all traffic from 0.0.0.0/0') });
  });
});
