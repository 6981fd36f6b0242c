import type { RouteTable, Subnet } from '@aws-sdk/client-ec2';
import { attempt, defineCheck, fail } from '../../src/check/define.js';
import { byParts } from '../../src/check/parts.js';
import { defaultRoute, internetGatewayRoutes, routeTableOf, routeTarget } from '../../src/resolve/routing.js';
import { label } from '../../src/resolve/tags.js';
import { routesToInternetGateway } from '../../src/resolve/route-tables.js';
import type { Json } from '../../src/snapshot/types.js';

function tableOf(subnet: Json<Subnet>, routeTables: Json<RouteTable>[]) {
  const { table, explicit } = routeTableOf(subnet.SubnetId, subnet.VpcId, routeTables);
  const name = table ? `${label(table.RouteTableId, table.Tags)}${explicit ? '' : ', the main table'}` : 'no route table';
  return { table, name };
}

export default defineCheck({
  id: 'vpc.route-tables',
  title: 'Public subnets route 0.0.0.0/0 to the internet gateway; private subnets do not',
  run(lab) {
    const routeTables = lab.read('routeTables');
    const { publicSubnets, privateSubnets } = lab;
    if (!publicSubnets.length && !privateSubnets.length) {
      return fail('Create the public and private subnets first, then their route tables.', [
        'no lab subnets to route',
      ]);
    }
    // The gateway only names the route to add in the hint; the routes are judged on their own.
    const gateway = attempt(() => lab.internetGateway?.InternetGatewayId);
    const igw = (gateway.ok ? gateway.value : undefined) ?? 'igw-<id>';
    const evidence: string[] = [];
    const publicMisses: string[] = [];
    for (const subnet of publicSubnets) {
      const { table, name } = tableOf(subnet, routeTables);
      const route = defaultRoute(table);
      evidence.push(`public subnet ${label(subnet.SubnetId, subnet.Tags)} uses ${name}: 0.0.0.0/0 → ${routeTarget(route)}`);
      if (!route?.GatewayId?.startsWith('igw-') || route.State === 'blackhole') {
        publicMisses.push(`${label(subnet.SubnetId, subnet.Tags)} (${name}: 0.0.0.0/0 → ${routeTarget(route)})`);
      }
    }
    const privateMisses: string[] = [];
    for (const subnet of privateSubnets) {
      const { table, name } = tableOf(subnet, routeTables);
      const toIgw = internetGatewayRoutes(table);
      evidence.push(
        `private subnet ${label(subnet.SubnetId, subnet.Tags)} uses ${name}: 0.0.0.0/0 → ${routeTarget(defaultRoute(table))}`,
      );
      if (toIgw.length) privateMisses.push(`${label(subnet.SubnetId, subnet.Tags)} (${name} routes ${toIgw.map((r) => r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock).join(', ')} → ${toIgw[0]?.GatewayId})`);
    }
    // Which table to name in a hint: the public and private route tables as the resolver found them by their routes and names.
    const { publicRouteTable, privateRouteTable } = lab;
    const publicTable = publicRouteTable ? label(publicRouteTable.RouteTableId, publicRouteTable.Tags) : undefined;
    const publicFix = (): string => {
      if (!publicSubnets.length) return 'No public subnets to route: create them and a public route table with 0.0.0.0/0 → the internet gateway.';
      const misses = publicMisses.join('; ');
      if (!publicRouteTable) return `Create a public route table (e.g. public-route-table) with the route 0.0.0.0/0 → ${igw} and associate the public subnets with it: ${misses}.`;
      if (!routesToInternetGateway(publicRouteTable)) return `Add the route 0.0.0.0/0 → ${igw} to the public route table ${publicTable} and associate the public subnets with it: ${misses}.`;
      return `Associate the public subnets with the public route table ${publicTable} (0.0.0.0/0 → ${routeTarget(defaultRoute(publicRouteTable))}): ${misses}.`;
    };
    const privateFix = (): string => {
      if (!privateSubnets.length) return 'No private subnets to route: create them and a private route table associated with them.';
      const table = privateRouteTable
        ? `the private route table ${label(privateRouteTable.RouteTableId, privateRouteTable.Tags)}`
        : 'a private route table (e.g. private-route-table) whose 0.0.0.0/0 goes to the NAT gateway';
      return `A private subnet must not route to the internet gateway: associate ${privateMisses.join('; ')} with ${table}.`;
    };
    return byParts(
      [
        { ok: publicSubnets.length > 0 && !publicMisses.length, fix: publicFix() },
        { ok: privateSubnets.length > 0 && !privateMisses.length, fix: privateFix() },
      ],
      evidence,
    );
  },
});
