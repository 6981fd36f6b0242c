// Which of the lab VPC's subnets are public and which private. A subnet is what step 4.2 made
// it: its name says its side; its routing (step 4.4 associates it with a route table) decides
// only for a subnet whose name does not; where the load balancer and the service run decides
// only what neither says, so an ALB or a service placed in the wrong subnets is judged where
// it is placed (4.7, 5.3), not in the step that made the subnets.
import type { Subnet, Vpc } from '@aws-sdk/client-ec2';
import type { LabParams } from '../rubric/params.js';
import type { Json } from '../snapshot/types.js';
import { matchesHint } from '../facts/names.js';
import { lazy, rankBy, serviceNetwork } from './graph.js';
import type { Choice, Lab } from './lab.js';
import { routingSide } from './routing.js';
import type { Step } from './stage.js';
import { label, nameTag } from './tags.js';

export type Side = 'public' | 'private';

/** The side a subnet's or route table's name gives it, by the rubric's hints (`private` is asked first: `public-private-1` is private). */
export function hintedSide(name: string | undefined, params: LabParams): Side | undefined {
  if (matchesHint(name, params.network.privateSubnetNameHints)) return 'private';
  if (matchesHint(name, params.network.publicSubnetNameHints)) return 'public';
  return undefined;
}

interface Placed {
  subnet: Json<Subnet>;
  side: Side;
  why: string;
}

/** One subnet's side and why, each rule asked only when the earlier ones leave it open. */
function placeSubnet(subnet: Json<Subnet>, lab: Lab, params: LabParams, wiring: () => { alb: Set<string>; service: Set<string> }): Placed | undefined {
  const named = hintedSide(nameTag(subnet.Tags), params);
  if (named) {
    const hints = named === 'public' ? params.network.publicSubnetNameHints : params.network.privateSubnetNameHints;
    return { subnet, side: named, why: `named like ${hints.join('/')}` };
  }
  const routed = routingSide(subnet.SubnetId, subnet.VpcId, lab.read('routeTables'));
  if (routed === 'public') return { subnet, side: 'public', why: 'their 0.0.0.0/0 route goes to an internet gateway' };
  if (routed === 'private') return { subnet, side: 'private', why: 'their 0.0.0.0/0 route goes to a NAT gateway' };
  const id = subnet.SubnetId ?? '';
  const { alb, service } = wiring();
  // A subnet both use, or neither, stays open: the wiring only breaks what nothing else decides.
  if (alb.has(id) && !service.has(id)) return { subnet, side: 'public', why: `unnamed and unrouted; load balancer ${lab.loadBalancer?.LoadBalancerName} is in them` };
  if (service.has(id) && !alb.has(id)) return { subnet, side: 'private', why: `unnamed and unrouted; ECS service ${lab.service?.serviceName} runs its tasks in them` };
  return undefined;
}

/** Why a side's subnets were chosen: one reason, or each reason with the subnets it chose. */
function reasons(placed: Placed[]): string {
  const byWhy = new Map<string, Json<Subnet>[]>();
  for (const { subnet, why } of placed) byWhy.set(why, [...(byWhy.get(why) ?? []), subnet]);
  if (byWhy.size === 1) return [...byWhy.keys()][0]!;
  return [...byWhy].map(([why, subnets]) => `${subnets.map((subnet) => label(subnet.SubnetId, subnet.Tags)).join(', ')}: ${why}`).join('; ');
}

function subnetOrder(subnets: Json<Subnet>[]): Json<Subnet>[] {
  return rankBy(subnets, [(subnet) => nameTag(subnet.Tags) ?? '~', (subnet) => subnet.SubnetId ?? '']);
}

function subnetChoice(resource: 'publicSubnets' | 'privateSubnets', chosen: Json<Subnet>[], candidates: number, why: string): Choice {
  return {
    resource,
    chosen: chosen.length ? chosen.map((subnet) => label(subnet.SubnetId, subnet.Tags)).join(', ') : null,
    candidates,
    why,
  };
}

export function chooseSubnets(lab: Lab, params: LabParams, vpc: Json<Vpc> | undefined): {
  publicSubnets: Json<Subnet>[];
  privateSubnets: Json<Subnet>[];
  choices: Choice[];
} {
  if (vpc === undefined) {
    const noVpc = 'no lab VPC to look in';
    return { publicSubnets: [], privateSubnets: [], choices: [subnetChoice('publicSubnets', [], 0, noVpc), subnetChoice('privateSubnets', [], 0, noVpc)] };
  }
  const inVpc = lab.read('subnets').filter((subnet) => subnet.VpcId === vpc.VpcId);
  const wiring = lazy(() => ({
    alb: new Set((lab.loadBalancer?.AvailabilityZones ?? []).map((zone) => zone.SubnetId ?? '')),
    service: new Set(serviceNetwork(lab.service).subnets),
  }));
  const placed = inVpc.map((subnet) => placeSubnet(subnet, lab, params, wiring)).filter((place) => place !== undefined);
  const publicPlaced = placed.filter((place) => place.side === 'public');
  let privatePlaced = placed.filter((place) => place.side === 'private');
  if (!privatePlaced.length && publicPlaced.length) {
    // Nothing says private, but some subnets are public: the others are what the lab made private.
    const undecided = inVpc.filter((subnet) => !placed.some((place) => place.subnet === subnet));
    privatePlaced = undecided.map((subnet) => ({ subnet, side: 'private', why: "the VPC's other subnets, without a route to an internet gateway" }));
  }
  const publicSubnets = subnetOrder(publicPlaced.map((place) => place.subnet));
  const privateSubnets = subnetOrder(privatePlaced.map((place) => place.subnet));
  return {
    publicSubnets,
    privateSubnets,
    choices: [
      subnetChoice('publicSubnets', publicSubnets, inVpc.length, publicSubnets.length ? reasons(publicPlaced) : 'nothing in the lab VPC looks public'),
      subnetChoice('privateSubnets', privateSubnets, inVpc.length, privateSubnets.length ? reasons(privatePlaced) : 'nothing in the lab VPC looks private'),
    ],
  };
}

export const subnetsStep: Step<'publicSubnets' | 'privateSubnets'> = {
  resources: ['publicSubnets', 'privateSubnets'],
  choose({ lab, params }) {
    const { publicSubnets, privateSubnets, choices } = chooseSubnets(lab, params, lab.vpc);
    return { resolved: { publicSubnets, privateSubnets }, choices };
  },
};
