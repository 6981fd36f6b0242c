import { defineCheck, fail } from '../../src/check/define.js';
import { byParts } from '../../src/check/parts.js';
import { defaultRoute, routeTableOf, routeTarget } from '../../src/resolve/routing.js';
import { label } from '../../src/resolve/tags.js';

export default defineCheck({
  id: 'vpc.nat-gateway',
  title: 'An available NAT gateway in a public subnet, with an Elastic IP, that the private route table uses',
  run(lab) {
    const routeTables = lab.read('routeTables');
    const nat = lab.natGateway;
    const privateRouteTable = lab.privateRouteTable;
    const privateTable = privateRouteTable
      ? `the private route table ${label(privateRouteTable.RouteTableId, privateRouteTable.Tags)}`
      : 'the private route table (e.g. private-route-table)';
    const publicExample = lab.publicSubnets[0] ? label(lab.publicSubnets[0].SubnetId, lab.publicSubnets[0].Tags) : 'public-subnet-1';
    const privateRoutes = lab.privateSubnets.map((subnet) => {
      const route = defaultRoute(routeTableOf(subnet.SubnetId, subnet.VpcId, routeTables).table);
      return `private subnet ${label(subnet.SubnetId, subnet.Tags)}: 0.0.0.0/0 → ${routeTarget(route)}`;
    });
    if (!nat) {
      return fail(
        `Create a NAT gateway in a public subnet (e.g. ${publicExample}) with an Elastic IP, then add 0.0.0.0/0 → nat-<id> to ${privateTable}.`,
        [`no NAT gateway in ${lab.vpc?.VpcId ?? 'the lab VPC'}`, ...privateRoutes],
      );
    }
    const name = label(nat.NatGatewayId, nat.Tags);
    const subnet = [...lab.publicSubnets, ...lab.privateSubnets].find((s) => s.SubnetId === nat.SubnetId);
    const inPublic = lab.publicSubnets.some((s) => s.SubnetId === nat.SubnetId);
    const where = subnet ? `${lab.privateSubnets.includes(subnet) ? 'private' : 'public'} subnet ${label(subnet.SubnetId, subnet.Tags)}` : `subnet ${nat.SubnetId}`;
    const addresses = (nat.NatGatewayAddresses ?? []).filter((address) => address.AllocationId);
    const elasticIp = nat.ConnectivityType !== 'private' && addresses.length > 0;
    // The lab adds the route to "the private route table"; which subnets use that table is the route-table check's concern.
    const tables = routeTables.filter((table) => {
      const route = defaultRoute(table);
      return table.VpcId === nat.VpcId && route?.NatGatewayId === nat.NatGatewayId && route?.State !== 'blackhole';
    });
    const evidence = [
      `NAT gateway ${name}: state ${nat.State}, in ${where}, ${nat.ConnectivityType ?? 'public'} connectivity, Elastic IP ${addresses.map((a) => `${a.PublicIp} (${a.AllocationId})`).join(', ') || 'none'}`,
      ...(tables.length ? tables.map((table) => `route table ${label(table.RouteTableId, table.Tags)}: 0.0.0.0/0 → ${nat.NatGatewayId}`) : [`no route table sends 0.0.0.0/0 to ${nat.NatGatewayId}`]),
      ...privateRoutes,
    ];
    const privateIds = new Set(lab.privateSubnets.map((s) => s.SubnetId));
    const usedByPrivate = tables.some((table) =>
      lab.privateSubnets.some((s) => routeTableOf(s.SubnetId, s.VpcId, routeTables).table === table),
    );
    const notes = tables.length && privateIds.size && !usedByPrivate ? [`no private subnet uses the route table that sends 0.0.0.0/0 to ${nat.NatGatewayId} (graded with the route tables)`] : [];
    return byParts(
      [
        { ok: nat.State === 'available', fix: `NAT gateway ${name} is ${nat.State}; it must be available (a failed or deleted one must be created again).` },
        { ok: inPublic, fix: `NAT gateway ${name} is in ${where}; the lab places it in a public subnet (e.g. ${publicExample}) so it reaches the internet gateway: create it there.` },
        { ok: elasticIp, fix: `NAT gateway ${name} has no Elastic IP: create it with public connectivity and allocate an Elastic IP.` },
        { ok: tables.length > 0, fix: `Add the route 0.0.0.0/0 → ${nat.NatGatewayId} to ${privateTable}.` },
      ],
      evidence,
      notes,
    );
  },
});
