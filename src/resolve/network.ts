// The lab's network: the VPC, its gateways, and the stage that finds the rest (subnets, route
// tables, security groups). Each resource is the lab's for what it is (a VPC named and numbered
// as the lab asks, a gateway attached to it); where the load balancer and the service are
// attached only breaks ties, so a wrong attachment is graded in the step that makes it.
import type { InternetGateway, NatGateway, RouteTable, Subnet, Vpc } from '@aws-sdk/client-ec2';
import type { LabParams } from '../rubric/params.js';
import type { Json } from '../snapshot/types.js';
import { vpcCidrBlocks } from './cidr.js';
import { bestBy, lazy, rankBy, serviceNetwork } from './graph.js';
import type { Choice, Lab } from './lab.js';
import { routeTablesStep } from './route-tables.js';
import { defaultRoute } from './routing.js';
import { albSecurityGroupStep, appSecurityGroupStep } from './security-groups.js';
import { unlessUnreadable, type Step, type StepInput } from './stage.js';
import { subnetsStep } from './subnets.js';
import { label, nameTag } from './tags.js';

/** The network facts, each read when a decision first needs it. */
interface Inputs {
  params: LabParams;
  lab: Lab;
  /** The lab, for the words of a choice only (`StepInput.words`). */
  words: Lab;
  vpcs: () => Json<Vpc>[];
  subnets: () => Json<Subnet>[];
  routeTables: () => Json<RouteTable>[];
  internetGateways: () => Json<InternetGateway>[];
  natGateways: () => Json<NatGateway>[];
}

function inputsOf({ lab, params, words }: StepInput): Inputs {
  return {
    params,
    lab,
    words,
    vpcs: () => lab.read('vpcs'),
    subnets: () => lab.read('subnets'),
    routeTables: () => lab.read('routeTables'),
    internetGateways: () => lab.read('internetGateways'),
    natGateways: () => lab.read('natGateways'),
  };
}

interface Pointer {
  vpc: Json<Vpc>;
  what: string;
}

function vpcHasCidr(vpc: Json<Vpc>, cidr: string): boolean {
  return vpcCidrBlocks(vpc).includes(cidr);
}

function chooseVpc(input: Inputs): { vpc?: Json<Vpc>; choice: Choice } {
  const { lab, params } = input;
  const vpcs = input.vpcs();
  const byId = (id: string | undefined) => (id === undefined ? undefined : vpcs.find((vpc) => vpc.VpcId === id));
  const pointer = (vpc: Json<Vpc> | undefined, what: string): Pointer | undefined => (vpc ? { vpc, what } : undefined);
  // What the lab's load balancer, service and target group point to, in that order, each asked once and only when needed.
  const pointersOf = (view: Lab): (() => Pointer | undefined)[] => [
    lazy(() => pointer(byId(view.loadBalancer?.VpcId), `load balancer ${view.loadBalancer?.LoadBalancerName}`)),
    lazy(() => {
      const serviceSubnetIds = serviceNetwork(view.service).subnets;
      if (serviceSubnetIds.length === 0) return undefined;
      return pointer(byId(view.read('subnets').find((subnet) => serviceSubnetIds.includes(subnet.SubnetId ?? ''))?.VpcId), `ECS service ${view.service?.serviceName}`);
    }),
    lazy(() => pointer(byId(view.targetGroup?.VpcId), `target group ${view.targetGroup?.TargetGroupName}`)),
  ];
  const pointsTo = pointersOf(lab);
  /** Which pointer first names the VPC (0 for the load balancer), or how many there are when none does. */
  const pointedBy = (vpc: Json<Vpc>) => {
    const index = pointsTo.findIndex((ask) => ask()?.vpc === vpc);
    return index === -1 ? pointsTo.length : index;
  };
  const built = (vpc: Json<Vpc>) =>
    input.subnets().filter((subnet) => subnet.VpcId === vpc.VpcId).length +
    input.internetGateways().filter((igw) => (igw.Attachments ?? []).some((a) => a.VpcId === vpc.VpcId)).length +
    input.natGateways().filter((nat) => nat.VpcId === vpc.VpcId).length;
  const named = (vpc: Json<Vpc>) => (nameTag(vpc.Tags) ?? '').toLowerCase() === params.network.vpcName.toLowerCase();
  const labCidr = (vpc: Json<Vpc>) => vpcHasCidr(vpc, params.network.vpcCidr);
  const nonDefault = vpcs.filter((vpc) => !vpc.IsDefault);
  const choice = (vpc: Json<Vpc> | undefined, why: string[]): { vpc?: Json<Vpc>; choice: Choice } => ({
    vpc,
    choice: { resource: 'vpc', chosen: vpc ? label(vpc.VpcId, vpc.Tags) : null, candidates: vpcs.length, why: why.join('; ') },
  });
  // Where the graph points, for the words only: a pointer that could not be read is left out.
  const pointerWords = (vpc: Json<Vpc>) => {
    const found = pointersOf(input.words)
      .map((ask) => unlessUnreadable(ask, undefined))
      .filter((pointed) => pointed !== undefined);
    return [
      ...found.filter((pointed) => pointed.vpc === vpc).map((pointed) => `${pointed.what} is in it`),
      ...found
        .filter((pointed) => pointed.vpc !== vpc)
        .map((pointed) => `but ${pointed.what} is in ${pointed.vpc.VpcId}${pointed.vpc.IsDefault ? ' (the default VPC)' : ''}`),
    ];
  };
  const others = (vpc: Json<Vpc>, among: Json<Vpc>[]) => {
    const rest = among.filter((other) => other !== vpc);
    return rest.length ? [`ranked above ${rest.map((other) => label(other.VpcId, other.Tags)).join(', ')}`] : [];
  };

  // What the VPC is decides first: the lab's name, then its CIDR; the graph breaks ties, then how much of the lab is built in it.
  const best = bestBy(nonDefault, [named, labCidr, pointedBy, (vpc) => -built(vpc), (vpc) => vpc.VpcId ?? '']);
  if (best && (named(best) || labCidr(best))) {
    const labLike = nonDefault.filter((vpc) => named(vpc) || labCidr(vpc));
    return choice(best, [
      ...(named(best) ? [`named ${params.network.vpcName}`] : []),
      ...(labCidr(best) ? [`CIDR ${params.network.vpcCidr}`] : []),
      ...pointerWords(best),
      ...others(best, labLike),
    ]);
  }
  // No VPC looks like the lab's: the one the graph points to, and the default VPC only when the graph points nowhere else.
  if (best && pointedBy(best) < pointsTo.length) return choice(best, [...pointerWords(best), ...others(best, nonDefault)]);
  const pointers = pointsTo.map((ask) => ask()).filter((found) => found !== undefined);
  const inDefault = pointers.filter((found) => found.vpc.IsDefault);
  if (best && !inDefault.length) {
    return choice(best, [`the most built of ${nonDefault.length} non-default VPCs`, 'no load balancer or service points to a VPC', ...others(best, nonDefault)]);
  }
  if (inDefault[0]) {
    return choice(inDefault[0].vpc, [`only the default VPC is pointed to: ${inDefault.map((found) => `${found.what} is in the default VPC ${found.vpc.VpcId}`).join('; ')}`]);
  }
  return choice(undefined, [vpcs.length ? 'only the default VPC exists, and nothing of the lab points to it' : 'the region has no VPC']);
}

function chooseInternetGateway(input: Inputs, vpc: Json<Vpc> | undefined, publicRouteTable: () => Json<RouteTable> | undefined): {
  internetGateway?: Json<InternetGateway>;
  choice: Choice;
} {
  const { params } = input;
  const internetGateways = input.internetGateways();
  const attached = internetGateways.find((igw) => (igw.Attachments ?? []).some((a) => vpc && a.VpcId === vpc.VpcId));
  const detached = internetGateways.filter((igw) => !(igw.Attachments ?? []).length);
  const [gateway, why] = attached
    ? [attached, `attached to ${vpc?.VpcId}`]
    : (() => {
        // The public route table matters only for a gateway that is not attached.
        const routedId = detached.length === 0 ? undefined : defaultRoute(publicRouteTable())?.GatewayId;
        const routed = detached.find((igw) => igw.InternetGatewayId === routedId);
        if (routed) return [routed, 'not attached to any VPC, but the public route table routes 0.0.0.0/0 to it'] as const;
        const named = detached.find((igw) => nameTag(igw.Tags) === params.network.internetGatewayName);
        if (named) return [named, `not attached to any VPC; named ${params.network.internetGatewayName}`] as const;
        return [undefined, vpc ? `no internet gateway is attached to ${vpc.VpcId}` : 'no lab VPC to look in'] as const;
      })();
  return {
    internetGateway: gateway,
    choice: {
      resource: 'internetGateway',
      chosen: gateway ? label(gateway.InternetGatewayId, gateway.Tags) : null,
      candidates: internetGateways.length,
      why,
    },
  };
}

const NAT_STATE_ORDER = ['available', 'pending', 'failed', 'deleting', 'deleted'];

function chooseNatGateway(
  input: Inputs,
  vpc: Json<Vpc> | undefined,
  privateRouteTable: Json<RouteTable> | undefined,
  publicSubnets: () => Json<Subnet>[],
): { natGateway?: Json<NatGateway>; choice: Choice } {
  const natGateways = input.natGateways();
  const routedId = defaultRoute(privateRouteTable)?.NatGatewayId;
  const routed = natGateways.find((nat) => nat.NatGatewayId === routedId);
  const inVpc = natGateways.filter((nat) => vpc !== undefined && nat.VpcId === vpc.VpcId);
  const publicIds = lazy(() => new Set(publicSubnets().map((subnet) => subnet.SubnetId)));
  const [ranked, ...others] = routed
    ? []
    : rankBy(inVpc, [
        // Unknown states (-1) sort last as the largest unsigned value.
        (nat) => NAT_STATE_ORDER.indexOf(nat.State ?? '') >>> 0,
        (nat) => publicIds().has(nat.SubnetId),
        (nat) => -(nat.CreateTime ? Date.parse(nat.CreateTime) : 0),
        (nat) => nat.NatGatewayId ?? '',
      ]);
  const natGateway = routed ?? ranked;
  const why = routed
    ? `the private route table ${label(privateRouteTable?.RouteTableId, privateRouteTable?.Tags)} routes 0.0.0.0/0 to it`
    : ranked
      ? `no private route points to a NAT gateway; ${ranked.State} in the lab VPC${others.length ? `, ranked above ${others.map((nat) => nat.NatGatewayId).join(', ')}` : ''}`
      : vpc
        ? `no NAT gateway in ${vpc.VpcId}`
        : 'no lab VPC to look in';
  return {
    natGateway,
    choice: {
      resource: 'natGateway',
      chosen: natGateway ? label(natGateway.NatGatewayId, natGateway.Tags) : null,
      candidates: natGateways.length,
      why,
    },
  };
}

const vpcStep: Step<'vpc'> = {
  resources: ['vpc'],
  choose(input) {
    const { vpc, choice } = chooseVpc(inputsOf(input));
    return { resolved: { vpc }, choices: [choice] };
  },
};

const internetGatewayStep: Step<'internetGateway'> = {
  resources: ['internetGateway'],
  choose(input) {
    const { lab } = input;
    const { internetGateway, choice } = chooseInternetGateway(inputsOf(input), lab.vpc, () => lab.publicRouteTable);
    return { resolved: { internetGateway }, choices: [choice] };
  },
};

const natGatewayStep: Step<'natGateway'> = {
  resources: ['natGateway'],
  choose(input) {
    const { lab } = input;
    const { natGateway, choice } = chooseNatGateway(inputsOf(input), lab.vpc, lab.privateRouteTable, () => lab.publicSubnets);
    return { resolved: { natGateway }, choices: [choice] };
  },
};

/** The network stage, in the order of its choices. */
export const networkSteps = [
  vpcStep,
  subnetsStep,
  routeTablesStep,
  internetGatewayStep,
  natGatewayStep,
  albSecurityGroupStep,
  appSecurityGroupStep,
] as const;
