// The lab's subnet plan for one side (public or private): two subnets, two AZs, CIDRs inside
// the VPC and clear of every other lab subnet. Both subnet checks read it the same way.
import type { Subnet } from '@aws-sdk/client-ec2';
import type { Part } from './parts.js';
import type { LabParams } from '../rubric/params.js';
import type { Json } from '../snapshot/types.js';
import { cidrContains, cidrsOverlap, parseCidr, vpcCidrBlocks } from '../resolve/cidr.js';
import type { Lab } from '../resolve/lab.js';
import { label } from '../resolve/tags.js';

export function subnetPlan(
  lab: Lab,
  params: LabParams,
  side: 'public' | 'private',
): { parts: Part[]; evidence: string[]; notes: string[] } {
  const subnets = side === 'public' ? lab.publicSubnets : lab.privateSubnets;
  const others = side === 'public' ? lab.privateSubnets : lab.publicSubnets;
  const labCidrs = side === 'public' ? params.network.publicSubnetCidrs : params.network.privateSubnetCidrs;
  const vpcBlocks = lab.vpc ? vpcCidrBlocks(lab.vpc).map(parseCidr).filter((block) => block !== undefined) : [];
  const describe = (subnet: Json<Subnet>) => `${label(subnet.SubnetId, subnet.Tags)} ${subnet.CidrBlock} in ${subnet.AvailabilityZone}`;
  const names = subnets.map((subnet) => label(subnet.SubnetId, subnet.Tags)).join(', ');
  const zones = [...new Set(subnets.map((subnet) => subnet.AvailabilityZone))];

  const outside = subnets.filter((subnet) => {
    const block = parseCidr(subnet.CidrBlock ?? '');
    return !block || !vpcBlocks.some((vpcBlock) => cidrContains(vpcBlock, block));
  });
  const overlapping = subnets.filter((subnet) =>
    [...subnets, ...others].some((other) => {
      if (other === subnet) return false;
      const [a, b] = [parseCidr(subnet.CidrBlock ?? ''), parseCidr(other.CidrBlock ?? '')];
      return a !== undefined && b !== undefined && cidrsOverlap(a, b);
    }),
  );

  const evidence = subnets.length
    ? subnets.map((subnet) => `${side} subnet ${describe(subnet)}`)
    : [`no ${side} subnet found in ${lab.vpc ? label(lab.vpc.VpcId, lab.vpc.Tags) : 'any lab VPC'}`];
  const notes: string[] = [];
  const cidrs = subnets.map((subnet) => subnet.CidrBlock ?? '');
  if (subnets.length >= 2 && !labCidrs.every((cidr) => cidrs.includes(cidr))) {
    notes.push(`${side} subnets use ${cidrs.join(', ')}; the lab's example is ${labCidrs.join(', ')} (any plan inside the VPC without overlaps is fine)`);
  }
  if (subnets.length > 2) notes.push(`${subnets.length} ${side} subnets; the lab asks for two`);

  const example = side === 'public' ? 'public-subnet-1 and public-subnet-2' : 'private-subnet-1 and private-subnet-2';
  return {
    evidence,
    notes,
    parts: [
      {
        ok: subnets.length >= 2,
        fix: `Create two ${side} subnets (e.g. ${example}, ${labCidrs.join(' and ')}) in ${lab.vpc?.VpcId ?? 'the lab VPC'}: found ${subnets.length}${names ? ` (${names})` : ''}.`,
      },
      {
        ok: zones.length >= 2,
        fix: `Put the ${side} subnets in two different Availability Zones (e.g. ${lab.snapshot.region}a and ${lab.snapshot.region}b): ${subnets.length ? `${names} ${zones.length === 1 ? `are all in ${zones[0]}` : 'have no zone'}` : 'there are none'}.`,
      },
      {
        ok: subnets.length > 0 && !outside.length && !overlapping.length,
        fix: subnets.length
          ? `Give each ${side} subnet its own CIDR inside the VPC's ${lab.vpc?.CidrBlock}: ${[
              ...outside.map((subnet) => `${describe(subnet)} is outside it`),
              ...overlapping.map((subnet) => `${describe(subnet)} overlaps another lab subnet`),
            ].join('; ')}.`
          : `Plan the ${side} subnets' CIDRs inside the VPC (e.g. ${labCidrs.join(', ')}).`,
      },
    ],
  };
}
