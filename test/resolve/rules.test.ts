import { describe, expect, it } from 'vitest';
import type { IpPermission, RouteTable } from '@aws-sdk/client-ec2';
import { describePermission, fromAnywhere, fromGroup, permitsTcpPort } from '../../src/resolve/rules.js';
import { defaultRoute, routeTableOf, routeTarget, routingSide } from '../../src/resolve/routing.js';

describe('permitsTcpPort', () => {
  it.each<[string, IpPermission, number, boolean]>([
    ['exact port', { IpProtocol: 'tcp', FromPort: 8000, ToPort: 8000 }, 8000, true],
    ['other port', { IpProtocol: 'tcp', FromPort: 80, ToPort: 80 }, 8000, false],
    ['a range holding the port', { IpProtocol: 'tcp', FromPort: 0, ToPort: 65535 }, 8000, true],
    ['a range ending below', { IpProtocol: 'tcp', FromPort: 7000, ToPort: 7999 }, 8000, false],
    ['protocol number 6 is TCP', { IpProtocol: '6', FromPort: 8000, ToPort: 8000 }, 8000, true],
    ['all traffic opens every port', { IpProtocol: '-1' }, 8000, true],
    ['UDP is not TCP', { IpProtocol: 'udp', FromPort: 8000, ToPort: 8000 }, 8000, false],
    ['ICMP is not TCP', { IpProtocol: 'icmp', FromPort: -1, ToPort: -1 }, 80, false],
  ])('%s', (_name, permission, port, expected) => {
    expect(permitsTcpPort(permission, port)).toBe(expected);
  });
});

describe('permission sources', () => {
  const world: IpPermission = { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
  const world6: IpPermission = { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Ipv6Ranges: [{ CidrIpv6: '::/0' }] };
  const vpcOnly: IpPermission = { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '10.0.0.0/16' }] };
  const group: IpPermission = { IpProtocol: 'tcp', FromPort: 8000, ToPort: 8000, UserIdGroupPairs: [{ GroupId: 'sg-0a' }] };

  it('tells the whole internet from a narrower range', () => {
    expect([world, world6, vpcOnly, group].map(fromAnywhere)).toEqual([true, true, false, false]);
  });

  it('matches a source group by id', () => {
    expect([fromGroup(group, 'sg-0a'), fromGroup(group, 'sg-0b'), fromGroup(world, 'sg-0a'), fromGroup(group, undefined)]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  it('describes a permission for the evidence', () => {
    expect(describePermission(group)).toBe('tcp 8000 from sg-0a');
    expect(describePermission({ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] })).toBe('all traffic from 0.0.0.0/0');
    expect(describePermission({ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535 })).toBe('tcp 0-65535 from nowhere');
  });
});

describe('routing', () => {
  const tables: RouteTable[] = [
    {
      RouteTableId: 'rtb-main',
      VpcId: 'vpc-1',
      Associations: [{ Main: true }],
      Routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1', State: 'active' }],
    },
    {
      RouteTableId: 'rtb-public',
      VpcId: 'vpc-1',
      Associations: [{ Main: false, SubnetId: 'subnet-public' }],
      Routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'blackhole' }],
    },
    { RouteTableId: 'rtb-other-main', VpcId: 'vpc-2', Associations: [{ Main: true }], Routes: [] },
  ];

  it('uses the explicit association, else the main table of the subnet\'s own VPC', () => {
    expect(routeTableOf('subnet-public', 'vpc-1', tables)).toMatchObject({ table: { RouteTableId: 'rtb-public' }, explicit: true });
    expect(routeTableOf('subnet-private', 'vpc-1', tables)).toMatchObject({ table: { RouteTableId: 'rtb-main' }, explicit: false });
    expect(routeTableOf('subnet-x', 'vpc-2', tables).table?.RouteTableId).toBe('rtb-other-main');
    expect(routeTableOf('subnet-x', 'vpc-3', tables).table).toBeUndefined();
  });

  it('classifies subnets by where 0.0.0.0/0 goes, and says when a route is a blackhole', () => {
    expect(routingSide('subnet-public', 'vpc-1', tables)).toBe('public');
    expect(routingSide('subnet-private', 'vpc-1', tables)).toBe('private');
    expect(routingSide('subnet-x', 'vpc-2', tables)).toBeUndefined();
    expect(routeTarget(defaultRoute(tables[1]))).toBe('igw-1 (blackhole)');
    expect(routeTarget(undefined)).toBe('no route');
  });
});
