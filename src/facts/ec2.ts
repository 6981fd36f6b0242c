// EC2 networking: the VPCs, subnets, gateways, route tables, elastic IPs and security groups.
import { call, collectPages, listOf, lookup, single } from './define.js';

export const vpcs = single({
  key: 'vpcs',
  description: 'VPCs (the lab VPC, the default VPC, any others).',
  calls: [call('ec2', 'DescribeVpcsCommand', 'ec2:DescribeVpcs')],
  schema: listOf('VpcId'),
  read: ({ sdk, aws }) => collectPages(sdk.ec2.paginateDescribeVpcs({ client: aws.ec2 }, {}), (p) => p.Vpcs),
});

export const subnets = single({
  key: 'subnets',
  description: 'Subnets of every VPC.',
  calls: [call('ec2', 'DescribeSubnetsCommand', 'ec2:DescribeSubnets')],
  schema: listOf('SubnetId'),
  read: ({ sdk, aws }) => collectPages(sdk.ec2.paginateDescribeSubnets({ client: aws.ec2 }, {}), (p) => p.Subnets),
});

export const internetGateways = single({
  key: 'internetGateways',
  description: 'Internet gateways and the VPCs they are attached to.',
  calls: [call('ec2', 'DescribeInternetGatewaysCommand', 'ec2:DescribeInternetGateways')],
  schema: listOf('InternetGatewayId'),
  read: ({ sdk, aws }) => collectPages(sdk.ec2.paginateDescribeInternetGateways({ client: aws.ec2 }, {}), (p) => p.InternetGateways),
});

export const routeTables = single({
  key: 'routeTables',
  description: 'Route tables, their routes and subnet associations.',
  calls: [call('ec2', 'DescribeRouteTablesCommand', 'ec2:DescribeRouteTables')],
  schema: listOf('RouteTableId'),
  read: ({ sdk, aws }) => collectPages(sdk.ec2.paginateDescribeRouteTables({ client: aws.ec2 }, {}), (p) => p.RouteTables),
});

export const natGateways = single({
  key: 'natGateways',
  description: 'NAT gateways, with their subnet, state and addresses.',
  calls: [call('ec2', 'DescribeNatGatewaysCommand', 'ec2:DescribeNatGateways')],
  schema: listOf('NatGatewayId'),
  read: ({ sdk, aws }) => collectPages(sdk.ec2.paginateDescribeNatGateways({ client: aws.ec2 }, {}), (p) => p.NatGateways),
});

export const addresses = single({
  key: 'addresses',
  description: 'Elastic IP addresses.',
  calls: [call('ec2', 'DescribeAddressesCommand', 'ec2:DescribeAddresses')],
  schema: listOf('PublicIp'),
  // DescribeAddresses has no pages: it answers every elastic IP at once.
  read: async ({ sdk, aws }) => (await aws.ec2.send(new sdk.ec2.DescribeAddressesCommand({}))).Addresses ?? [],
});

export const securityGroups = single({
  key: 'securityGroups',
  description: 'Security groups and their rules.',
  calls: [call('ec2', 'DescribeSecurityGroupsCommand', 'ec2:DescribeSecurityGroups')],
  schema: listOf('GroupId'),
  read: ({ sdk, aws }) => collectPages(sdk.ec2.paginateDescribeSecurityGroups({ client: aws.ec2 }, {}), (p) => p.SecurityGroups),
});

/**
 * The account's enabled regions. It serves no fact, so the scheduler never reads it: the region
 * search (src/collect/region.ts) sends it only when the graded region holds none of the lab,
 * and declaring it here puts ec2:DescribeRegions on the allow-list and in the policy.
 */
export const enabledRegions = lookup({
  key: 'enabledRegions',
  calls: [call('ec2', 'DescribeRegionsCommand', 'ec2:DescribeRegions')],
  serves: [],
  read: async ({ sdk, aws }) =>
    ((await aws.ec2.send(new sdk.ec2.DescribeRegionsCommand({}))).Regions ?? []).flatMap((region) => (region.RegionName ? [region.RegionName] : [])),
});

export const definitions = [vpcs, subnets, internetGateways, routeTables, natGateways, addresses, securityGroups, enabledRegions] as const;
