// Which route table governs a subnet, and where its default route goes.
import type { Route, RouteTable } from '@aws-sdk/client-ec2';
import type { Json } from '../snapshot/types.js';

/**
 * The route table a subnet uses: the one explicitly associated with it, else the VPC's
 * main route table (subnets without an association follow the main table).
 */
export function routeTableOf(
  subnetId: string | undefined,
  vpcId: string | undefined,
  routeTables: readonly Json<RouteTable>[],
): { table?: Json<RouteTable>; explicit: boolean } {
  const explicit = routeTables.find((table) =>
    (table.Associations ?? []).some((association) => association.SubnetId !== undefined && association.SubnetId === subnetId),
  );
  if (explicit) return { table: explicit, explicit: true };
  const main = routeTables.find(
    (table) => table.VpcId === vpcId && (table.Associations ?? []).some((association) => association.Main === true),
  );
  return { table: main, explicit: false };
}

/** The route for `0.0.0.0/0` in a table, if any. */
export function defaultRoute(table: Json<RouteTable> | undefined): Json<Route> | undefined {
  return table?.Routes?.find((route) => route.DestinationCidrBlock === '0.0.0.0/0');
}

/** Routes in a table that send traffic to an internet gateway (IPv4 or IPv6). */
export function internetGatewayRoutes(table: Json<RouteTable> | undefined): Json<Route>[] {
  return (table?.Routes ?? []).filter((route) => route.GatewayId?.startsWith('igw-'));
}

/** Where a route sends traffic, in words for the evidence: `igw-0c4d...`, `nat-0e1f... (blackhole)`. */
export function routeTarget(route: Json<Route> | undefined): string {
  if (!route) return 'no route';
  const target =
    route.GatewayId ??
    route.NatGatewayId ??
    route.TransitGatewayId ??
    route.VpcPeeringConnectionId ??
    route.NetworkInterfaceId ??
    route.InstanceId ??
    route.EgressOnlyInternetGatewayId ??
    'an unknown target';
  return route.State === 'blackhole' ? `${target} (blackhole)` : target;
}

/** How the subnet's routing classifies it: `public` through an IGW, `private` through a NAT gateway. */
export function routingSide(
  subnetId: string | undefined,
  vpcId: string | undefined,
  routeTables: readonly Json<RouteTable>[],
): 'public' | 'private' | undefined {
  const route = defaultRoute(routeTableOf(subnetId, vpcId, routeTables).table);
  if (route?.GatewayId?.startsWith('igw-')) return 'public';
  if (route?.NatGatewayId) return 'private';
  return undefined;
}
