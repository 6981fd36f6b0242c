// Which of the lab VPC's route tables is the public one and which the private one, from their
// routes first (0.0.0.0/0 to an internet gateway, to a NAT gateway), then their names, and only
// then from which subnets use them: step 4.4 is graded on which subnets use which table, so the
// tables' roles must not come from that use.
import type { RouteTable, Subnet, Vpc } from '@aws-sdk/client-ec2';
import type { LabParams } from '../rubric/params.js';
import type { Json } from '../snapshot/types.js';
import { byRules } from './graph.js';
import type { Choice, Lab } from './lab.js';
import { defaultRoute, internetGatewayRoutes } from './routing.js';
import type { Step } from './stage.js';
import { hintedSide, type Side } from './subnets.js';
import { label, nameTag } from './tags.js';

/** True when the table's 0.0.0.0/0 goes to an internet gateway (an active route, not a blackhole). */
export function routesToInternetGateway(table: Json<RouteTable>): boolean {
  const route = defaultRoute(table);
  return route?.GatewayId?.startsWith('igw-') === true && route.State !== 'blackhole';
}

/** True when the table's 0.0.0.0/0 goes to a NAT gateway. */
export function routesToNatGateway(table: Json<RouteTable>): boolean {
  return defaultRoute(table)?.NatGatewayId !== undefined;
}

function isMain(table: Json<RouteTable>): boolean {
  return (table.Associations ?? []).some((association) => association.Main === true);
}

/** How many of `subnets` the table is explicitly associated with. */
function associatedWith(table: Json<RouteTable>, subnets: readonly Json<Subnet>[]): number {
  const ids = new Set(subnets.map((subnet) => subnet.SubnetId));
  return (table.Associations ?? []).filter((association) => association.SubnetId !== undefined && ids.has(association.SubnetId)).length;
}

function tableChoice(resource: 'publicRouteTable' | 'privateRouteTable', table: Json<RouteTable> | undefined, candidates: number, why: string): Choice {
  return { resource, chosen: table ? label(table.RouteTableId, table.Tags) : null, candidates, why };
}

export function chooseRouteTables(
  lab: Lab,
  params: LabParams,
  vpc: Json<Vpc> | undefined,
): { publicRouteTable?: Json<RouteTable>; privateRouteTable?: Json<RouteTable>; choices: Choice[] } {
  if (vpc === undefined) {
    const noVpc = 'no lab VPC to look in';
    return { choices: [tableChoice('publicRouteTable', undefined, 0, noVpc), tableChoice('privateRouteTable', undefined, 0, noVpc)] };
  }
  const tables = lab.read('routeTables').filter((table) => table.VpcId === vpc.VpcId);
  const named = (side: Side) => (table: Json<RouteTable>) => hintedSide(nameTag(table.Tags), params) === side;
  const used = (side: Side) => (table: Json<RouteTable>) => associatedWith(table, side === 'public' ? lab.publicSubnets : lab.privateSubnets);
  const hints = (side: Side) => (side === 'public' ? params.network.publicSubnetNameHints : params.network.privateSubnetNameHints).join('/');
  // Names, then use by the subnets of that side, break ties; the main table last, as it serves every subnet not associated.
  const keys = (side: Side) => [named(side), (table: Json<RouteTable>) => -used(side)(table), (table: Json<RouteTable>) => !isMain(table), (table: Json<RouteTable>) => table.RouteTableId ?? ''];

  const publicChosen = byRules(
    tables,
    [
      { fits: routesToInternetGateway, why: () => 'its 0.0.0.0/0 route goes to an internet gateway' },
      // Never the main table by name or use alone: a route to the internet added there would make every unassociated subnet public.
      { fits: (table) => !isMain(table) && !routesToNatGateway(table) && named('public')(table), why: () => `no table routes 0.0.0.0/0 to an internet gateway; named like ${hints('public')}` },
      {
        fits: (table) => !isMain(table) && !routesToNatGateway(table) && used('public')(table) > 0,
        why: () => 'no table routes 0.0.0.0/0 to an internet gateway or is named like one; the public subnets are associated with it',
      },
    ],
    keys('public'),
    'tables',
  );
  const publicRouteTable = publicChosen.chosen;
  const others = tables.filter((table) => table !== publicRouteTable);
  const privateChosen = byRules(
    others,
    [
      { fits: routesToNatGateway, why: () => 'its 0.0.0.0/0 route goes to a NAT gateway' },
      { fits: (table) => !internetGatewayRoutes(table).length && named('private')(table), why: () => `no table routes 0.0.0.0/0 to a NAT gateway; named like ${hints('private')}` },
      {
        fits: (table) => !internetGatewayRoutes(table).length && used('private')(table) > 0,
        why: () => 'no table routes 0.0.0.0/0 to a NAT gateway or is named like one; the private subnets are associated with it',
      },
    ],
    keys('private'),
    'tables',
  );
  return {
    publicRouteTable,
    privateRouteTable: privateChosen.chosen,
    choices: [
      tableChoice('publicRouteTable', publicRouteTable, tables.length, publicChosen.why ?? `no route table of ${vpc.VpcId} routes 0.0.0.0/0 to an internet gateway, is named like ${hints('public')} or is used by the public subnets`),
      tableChoice('privateRouteTable', privateChosen.chosen, tables.length, privateChosen.why ?? `no other route table of ${vpc.VpcId} routes 0.0.0.0/0 to a NAT gateway, is named like ${hints('private')} or is used by the private subnets`),
    ],
  };
}

export const routeTablesStep: Step<'publicRouteTable' | 'privateRouteTable'> = {
  resources: ['publicRouteTable', 'privateRouteTable'],
  choose({ lab, params }) {
    const { publicRouteTable, privateRouteTable, choices } = chooseRouteTables(lab, params, lab.vpc);
    return { resolved: { publicRouteTable, privateRouteTable }, choices };
  },
};
