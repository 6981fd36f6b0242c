import { attempt, defineCheck, fail } from '../../src/check/define.js';
import { byParts, judged } from '../../src/check/parts.js';
import { label } from '../../src/resolve/tags.js';

// This check grades how the load balancer is wired: which subnets, security group and VPC it
// uses, against what the resolver found those resources to be (their names, routes and rules),
// so a load balancer placed on the wrong resource costs this check, not the checks of the resource.
export default defineCheck({
  id: 'elb.load-balancer',
  title: 'An internet-facing IPv4 application load balancer in two public subnets, with the ALB security group',
  run(lab, params) {
    const alb = lab.loadBalancer;
    if (!alb) {
      return fail(
        `Create an application load balancer (e.g. sentiment-app-alb): internet-facing, in the lab VPC's two public subnets, with the load balancer security group.`,
        [`no load balancer in ${lab.snapshot.region}`],
      );
    }
    const name = alb.LoadBalancerName ?? alb.LoadBalancerArn;
    const zones = alb.AvailabilityZones ?? [];
    const zoneNames = [...new Set(zones.map((zone) => zone.ZoneName))];
    const groups = alb.SecurityGroups ?? [];
    // Which lab subnet each zone is in only words the evidence; the part below is judged on the public subnets.
    const subnets = attempt(() => ({ publicSubnets: lab.publicSubnets, privateSubnets: lab.privateSubnets }));
    const describeZone = (zone: (typeof zones)[number]) => {
      if (!subnets.ok) return `${zone.SubnetId} (${zone.ZoneName})`;
      const { publicSubnets, privateSubnets } = subnets.value;
      const subnet = [...publicSubnets, ...privateSubnets].find((s) => s.SubnetId === zone.SubnetId);
      const side = subnet ? (publicSubnets.includes(subnet) ? 'public' : 'private') : 'not a lab';
      return `${subnet ? label(subnet.SubnetId, subnet.Tags) : zone.SubnetId} (${side} subnet, ${zone.ZoneName})`;
    };
    const notes = alb.IpAddressType === 'dualstack' ? [`${name} is dual-stack (IPv4 and IPv6); the lab asks for IPv4`] : [];
    return byParts(
      [
        { ok: alb.Type === 'application', fix: `${name} is a ${alb.Type} load balancer; the lab asks for an Application Load Balancer.` },
        {
          ok: alb.Scheme === 'internet-facing',
          fix: `${name} is ${alb.Scheme}; the lab chooses internet-facing so it can be called from outside the VPC (the scheme cannot be changed: create the load balancer again).`,
        },
        {
          ok: alb.IpAddressType === 'ipv4' || alb.IpAddressType === 'dualstack',
          fix: `${name} has IP address type ${alb.IpAddressType}; the lab asks for IPv4.`,
        },
        {
          ok: zoneNames.length >= 2,
          fix: `${name} is in ${zoneNames.length} Availability Zone(s) (${zoneNames.join(', ')}); choose at least two public subnets in different AZs.`,
        },
        judged(() => {
          const publicSubnets = lab.publicSubnets;
          const notInPublic = zones.filter((zone) => !publicSubnets.some((subnet) => subnet.SubnetId === zone.SubnetId));
          return {
            ok: zones.length > 0 && !notInPublic.length,
            fix: `${name} is in ${notInPublic.map(describeZone).join(', ')}; place it in the public subnets ${publicSubnets.map((s) => label(s.SubnetId, s.Tags)).join(', ') || '(create two public subnets first)'}.`,
          };
        }),
        judged(() => {
          const albGroup = lab.albSecurityGroup;
          return {
            ok: albGroup !== undefined && groups.includes(albGroup.GroupId ?? ''),
            fix: albGroup
              ? `${name} uses ${groups.join(', ') || 'no security group'}; choose the load balancer security group ${albGroup.GroupName} (${albGroup.GroupId}) instead.`
              : `${name} uses ${groups.join(', ') || 'no security group'}; create a load balancer security group allowing TCP ${params.network.albPort} from 0.0.0.0/0 and choose it.`,
          };
        }),
        judged(() => {
          const vpc = lab.vpc;
          return {
            ok: vpc !== undefined && alb.VpcId === vpc.VpcId,
            fix: `${name} is in ${alb.VpcId}; the lab puts it in the VPC you created${vpc ? `, ${label(vpc.VpcId, vpc.Tags)}` : ''}.`,
          };
        }),
      ],
      [
        `load balancer ${name}: ${alb.Type}, ${alb.Scheme}, ${alb.IpAddressType}, state ${alb.State?.Code ?? 'unknown'}, in ${alb.VpcId}`,
        `subnets: ${zones.map(describeZone).join(', ') || 'none'}`,
        `security groups: ${groups.join(', ') || 'none'}`,
      ],
      notes,
    );
  },
});
