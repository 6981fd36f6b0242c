// The lab's network: the VPC the load balancer and service live in, its public and
// private subnets, gateways and security groups. The dependency graph decides first;
// name hints and routing only fill in what the graph does not say.
import type { InternetGateway, NatGateway, RouteTable, SecurityGroup, Subnet, Vpc } from '@aws-sdk/client-ec2';
import type { LabParams } from '../rubric/params.js';
import type { Json } from '../snapshot/types.js';
import { vpcCidrBlocks } from './cidr.js';
import { lazy, rankBy, serviceNetwork } from './graph.js';
import type { Choice, Lab } from './lab.js';
import { defaultRoute, routeTableOf, routingSide } from './routing.js';
import { isDefaultGroup, openToGroup, openToWorld, permissionsFor } from './rules.js';
import { unlessUnreadable, type Step } from './stage.js';
import { matchesHint } from '../facts/names.js';
import { label, nameTag } from './tags.js';

type Side = 'public' | 'private';

/** The network facts, each read when a decision first needs it. */
interface Inputs {
  params: LabParams;
  lab: Lab;
  vpcs: () => Json<Vpc>[];
  subnets: () => Json<Subnet>[];
  routeTables: () => Json<RouteTable>[];
  internetGateways: () => Json<InternetGateway>[];
  natGateways: () => Json<NatGateway>[];
  securityGroups: () => Json<SecurityGroup>[];
}

function inputsOf(lab: Lab, params: LabParams): Inputs {
  return {
    params,
    lab,
    vpcs: () => lab.read('vpcs'),
    subnets: () => lab.read('subnets'),
    routeTables: () => lab.read('routeTables'),
    internetGateways: () => lab.read('internetGateways'),
    natGateways: () => lab.read('natGateways'),
    securityGroups: () => lab.read('securityGroups'),
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
  const byId = (id: string | undefined) => (id === undefined ? undefined : input.vpcs().find((vpc) => vpc.VpcId === id));
  const pointer = (vpc: Json<Vpc> | undefined, what: string): Pointer | undefined => (vpc ? { vpc, what } : undefined);
  // What the lab's load balancer, service and target group point to, asked in that order.
  const pointsTo: (() => Pointer | undefined)[] = [
    () => pointer(byId(lab.loadBalancer?.VpcId), `load balancer ${lab.loadBalancer?.LoadBalancerName}`),
    () => {
      const serviceSubnetIds = serviceNetwork(lab.service).subnets;
      if (serviceSubnetIds.length === 0) return undefined;
      return pointer(byId(input.subnets().find((subnet) => serviceSubnetIds.includes(subnet.SubnetId ?? ''))?.VpcId), `ECS service ${lab.service?.serviceName}`);
    },
    () => pointer(byId(lab.targetGroup?.VpcId), `target group ${lab.targetGroup?.TargetGroupName}`),
  ];
  const choice = (vpc: Json<Vpc> | undefined, why: string[]): { vpc?: Json<Vpc>; choice: Choice } => ({
    vpc,
    choice: { resource: 'vpc', chosen: vpc ? label(vpc.VpcId, vpc.Tags) : null, candidates: input.vpcs().length, why: why.join('; ') },
  });

  // The first pointer to a non-default VPC decides; the later ones only add words.
  let graphVpc: Json<Vpc> | undefined;
  for (const ask of pointsTo) {
    const found = ask();
    if (found && !found.vpc.IsDefault) {
      graphVpc = found.vpc;
      break;
    }
  }
  if (graphVpc) {
    const pointers = pointsTo.map((ask) => unlessUnreadable(ask, undefined)).filter((found) => found !== undefined);
    return choice(
      graphVpc,
      [
        ...pointers.filter((found) => found.vpc === graphVpc).map((found) => `${found.what} is in it`),
        ...pointers
          .filter((found) => found.vpc !== graphVpc)
          .map((found) => `but ${found.what} is in ${found.vpc.VpcId}${found.vpc.IsDefault ? ' (the default VPC)' : ''}`),
      ],
    );
  }
  const pointers = pointsTo.map((ask) => ask()).filter((found) => found !== undefined);

  // Without the graph, the VPC that looks most like the lab's: its name, its CIDR, how much of it is built.
  const built = (vpc: Json<Vpc>) =>
    input.subnets().filter((subnet) => subnet.VpcId === vpc.VpcId).length +
    input.internetGateways().filter((igw) => (igw.Attachments ?? []).some((a) => a.VpcId === vpc.VpcId)).length +
    input.natGateways().filter((nat) => nat.VpcId === vpc.VpcId).length;
  const named = (vpc: Json<Vpc>) => (nameTag(vpc.Tags) ?? '').toLowerCase() === params.network.vpcName.toLowerCase();
  const labCidr = (vpc: Json<Vpc>) => vpcHasCidr(vpc, params.network.vpcCidr);
  const vpcs = input.vpcs();
  const nonDefault = vpcs.filter((vpc) => !vpc.IsDefault);
  const [best, ...others] = rankBy(nonDefault, [named, labCidr, (vpc) => -built(vpc), (vpc) => vpc.VpcId ?? '']);
  const inDefault = pointers.map((found) => `${found.what} is in the default VPC ${found.vpc.VpcId}`);
  // A lab-like VPC outranks a default VPC the graph points to: then 4.1-4.6 grade the student's VPC and 4.7 says the ALB is elsewhere.
  if (best && (named(best) || labCidr(best) || !inDefault.length)) {
    return choice(best, [
      ...(named(best) ? [`named ${params.network.vpcName}`] : []),
      ...(labCidr(best) ? [`CIDR ${params.network.vpcCidr}`] : []),
      ...(named(best) || labCidr(best) ? [] : [`the most built of ${nonDefault.length} non-default VPCs`]),
      ...(inDefault.length ? inDefault : ['no load balancer or service points to a VPC']),
      ...(others.length ? [`ranked above ${others.map((vpc) => label(vpc.VpcId, vpc.Tags)).join(', ')}`] : []),
    ]);
  }
  if (pointers[0]) return choice(pointers[0].vpc, [`only the default VPC is pointed to: ${inDefault.join('; ')}`]);
  return choice(undefined, [vpcs.length ? 'only the default VPC exists, and nothing of the lab points to it' : 'the region has no VPC']);
}

function nameSide(subnet: Json<Subnet>, params: LabParams): Side | undefined {
  const name = nameTag(subnet.Tags);
  if (matchesHint(name, params.network.privateSubnetNameHints)) return 'private';
  if (matchesHint(name, params.network.publicSubnetNameHints)) return 'public';
  return undefined;
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

function chooseSubnets(input: Inputs, vpc: Json<Vpc> | undefined): {
  publicSubnets: Json<Subnet>[];
  privateSubnets: Json<Subnet>[];
  choices: Choice[];
} {
  const { lab, params } = input;
  const inVpc = vpc === undefined ? [] : input.subnets().filter((subnet) => subnet.VpcId === vpc.VpcId);
  // Routing is read only where the graph and the names leave a subnet's side open.
  const routing = (subnet: Json<Subnet>) => routingSide(subnet.SubnetId, subnet.VpcId, input.routeTables());
  const albIds = new Set((lab.loadBalancer?.AvailabilityZones ?? []).map((zone) => zone.SubnetId));
  const serviceIds = new Set(serviceNetwork(lab.service).subnets);
  const albName = lab.loadBalancer?.LoadBalancerName;
  const serviceName = lab.service?.serviceName;

  // A subnet both the load balancer and the service use goes by its name, then its routing.
  const graphSide = (subnet: Json<Subnet>): Side | undefined => {
    const byAlb = albIds.has(subnet.SubnetId);
    const byService = serviceIds.has(subnet.SubnetId ?? '');
    if (byAlb && byService) return (nameSide(subnet, params) ?? routing(subnet)) === 'public' ? 'public' : 'private';
    // A load balancer placed in private-named subnets does not make them public (and vice versa for the service).
    if (byAlb) return nameSide(subnet, params) === 'private' ? undefined : 'public';
    if (byService) return nameSide(subnet, params) === 'public' ? undefined : 'private';
    return undefined;
  };

  let privateSubnets = inVpc.filter((subnet) => graphSide(subnet) === 'private');
  let privateWhy = `ECS service ${serviceName} runs its tasks in them`;
  let publicSubnets = inVpc.filter((subnet) => graphSide(subnet) === 'public');
  let publicWhy = `load balancer ${albName} is in them`;
  const notPublic = (subnet: Json<Subnet>) => !publicSubnets.includes(subnet);
  const notPrivate = (subnet: Json<Subnet>) => !privateSubnets.includes(subnet);

  if (!privateSubnets.length) {
    const hinted = inVpc.filter((subnet) => notPublic(subnet) && nameSide(subnet, params) === 'private');
    [privateSubnets, privateWhy] = hinted.length
      ? [hinted, `no service subnets to start from; named like ${params.network.privateSubnetNameHints.join('/')}`]
      : [
          inVpc.filter((subnet) => notPublic(subnet) && routing(subnet) === 'private'),
          'no service subnets or private-named subnets; their 0.0.0.0/0 route goes to a NAT gateway',
        ];
  }
  if (!publicSubnets.length) {
    const hinted = inVpc.filter((subnet) => notPrivate(subnet) && nameSide(subnet, params) === 'public');
    [publicSubnets, publicWhy] = hinted.length
      ? [hinted, `${albName ? `load balancer ${albName} is not in the lab's public subnets` : 'no load balancer subnets to start from'}; named like ${params.network.publicSubnetNameHints.join('/')}`]
      : [
          inVpc.filter((subnet) => notPrivate(subnet) && routing(subnet) === 'public'),
          'no load balancer subnets or public-named subnets; their 0.0.0.0/0 route goes to an internet gateway',
        ];
  }
  if (!privateSubnets.length && publicSubnets.length) {
    privateSubnets = inVpc.filter((subnet) => notPublic(subnet) && routing(subnet) !== 'public');
    privateWhy = 'the VPC\'s other subnets without a route to an internet gateway';
  }
  const noVpc = 'no lab VPC to look in';
  publicSubnets = subnetOrder(publicSubnets);
  privateSubnets = subnetOrder(privateSubnets);
  return {
    publicSubnets,
    privateSubnets,
    choices: [
      subnetChoice('publicSubnets', publicSubnets, inVpc.length, vpc ? (publicSubnets.length ? publicWhy : 'nothing in the lab VPC looks public') : noVpc),
      subnetChoice('privateSubnets', privateSubnets, inVpc.length, vpc ? (privateSubnets.length ? privateWhy : 'nothing in the lab VPC looks private') : noVpc),
    ],
  };
}

function chooseInternetGateway(input: Inputs, vpc: Json<Vpc> | undefined, publicSubnets: () => Json<Subnet>[]): {
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
        // The public subnets' routes matter only for a gateway that is not attached.
        const routedIds = new Set(
          detached.length === 0
            ? []
            : publicSubnets().map((subnet) => defaultRoute(routeTableOf(subnet.SubnetId, subnet.VpcId, input.routeTables()).table)?.GatewayId),
        );
        const routed = detached.find((igw) => routedIds.has(igw.InternetGatewayId));
        if (routed) return [routed, 'not attached to any VPC, but the public subnets route 0.0.0.0/0 to it'] as const;
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
  publicSubnets: Json<Subnet>[],
  privateSubnets: Json<Subnet>[],
): { natGateway?: Json<NatGateway>; choice: Choice } {
  const natGateways = input.natGateways();
  const routedIds = privateSubnets.map(
    (subnet) => defaultRoute(routeTableOf(subnet.SubnetId, subnet.VpcId, input.routeTables()).table)?.NatGatewayId,
  );
  const routed = natGateways.find((nat) => routedIds.includes(nat.NatGatewayId));
  const inVpc = natGateways.filter((nat) => vpc !== undefined && nat.VpcId === vpc.VpcId);
  const publicIds = new Set(publicSubnets.map((subnet) => subnet.SubnetId));
  const [ranked, ...others] = rankBy(inVpc, [
    // Unknown states (-1) sort last as the largest unsigned value.
    (nat) => NAT_STATE_ORDER.indexOf(nat.State ?? '') >>> 0,
    (nat) => publicIds.has(nat.SubnetId),
    (nat) => -(nat.CreateTime ? Date.parse(nat.CreateTime) : 0),
    (nat) => nat.NatGatewayId ?? '',
  ]);
  const natGateway = routed ?? ranked;
  const why = routed
    ? 'the private subnets route 0.0.0.0/0 to it'
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

function groupChoice(resource: 'albSecurityGroup' | 'appSecurityGroup', group: Json<SecurityGroup> | undefined, candidates: number, why: string): Choice {
  return { resource, chosen: group ? `${group.GroupName} (${group.GroupId})` : null, candidates, why };
}

/** The VPC's own groups (not its default group), for when the load balancer or the service does not say. */
function labVpcGroups(input: Inputs): Json<SecurityGroup>[] {
  const vpc = input.lab.vpc;
  return vpc === undefined ? [] : input.securityGroups().filter((group) => group.VpcId === vpc.VpcId && !isDefaultGroup(group));
}

function byIds(input: Inputs, ids: readonly string[]): Json<SecurityGroup>[] {
  return ids.length === 0 ? [] : input.securityGroups().filter((group) => ids.includes(group.GroupId ?? ''));
}

function chooseAlbSecurityGroup(input: Inputs): { albSecurityGroup?: Json<SecurityGroup>; choice: Choice } {
  const { lab, params } = input;
  const { albPort } = params.network;
  const albName = lab.loadBalancer?.LoadBalancerName;
  // The ALB's own group, unless it only has the VPC's default group and the student's ALB group sits unattached.
  const albGroups = byIds(input, lab.loadBalancer?.SecurityGroups ?? []);
  const albOwn = rankBy(albGroups, [(g) => !isDefaultGroup(g), (g) => openToWorld(g, albPort), (g) => g.GroupId ?? ''])[0];
  // Groups of the lab VPC open to the world, read only when the load balancer's own group does not decide.
  const albLooseCandidates = lazy(() =>
    rankBy(
      labVpcGroups(input).filter((group) => openToWorld(group, albPort)),
      [(g) => /alb|lb|load/i.test(g.GroupName ?? ''), (g) => g.GroupId ?? ''],
    ),
  );
  let albSecurityGroup: Json<SecurityGroup> | undefined;
  let albWhy: string;
  if (albOwn && !isDefaultGroup(albOwn)) {
    [albSecurityGroup, albWhy] = [albOwn, `load balancer ${albName} uses it`];
  } else if (albLooseCandidates()[0]) {
    albSecurityGroup = albLooseCandidates()[0];
    albWhy = `${albOwn ? `load balancer ${albName} uses only the default group; ` : ''}it opens port ${albPort} to the world in the lab VPC`;
  } else {
    [albSecurityGroup, albWhy] = [albOwn, albOwn ? `load balancer ${albName} uses it (the VPC's default group)` : 'no load balancer group and no group opening port ' + albPort + ' to the world'];
  }
  return { albSecurityGroup, choice: groupChoice('albSecurityGroup', albSecurityGroup, input.securityGroups().length, albWhy) };
}

function chooseAppSecurityGroup(input: Inputs): { appSecurityGroup?: Json<SecurityGroup>; choice: Choice } {
  const { lab, params } = input;
  const { appPort } = params.network;
  const service = lab.service;
  const serviceName = service?.serviceName;
  const serviceGroups = byIds(input, serviceNetwork(service).securityGroups);
  // Which group the app's must admit decides only between groups the service does not settle.
  const albSecurityGroup = lazy(() => lab.albSecurityGroup);
  const albId = () => albSecurityGroup()?.GroupId;
  const serviceOwn = rankBy(serviceGroups, [
    (g) => !isDefaultGroup(g),
    (g) => openToGroup(g, appPort, albId()),
    (g) => openToWorld(g, appPort),
    (g) => g.GroupId ?? '',
  ])[0];
  let appSecurityGroup: Json<SecurityGroup> | undefined;
  let appWhy: string;
  if (serviceOwn && !isDefaultGroup(serviceOwn)) {
    [appSecurityGroup, appWhy] = [serviceOwn, `ECS service ${serviceName} uses it`];
  } else {
    const others = labVpcGroups(input).filter((group) => group !== albSecurityGroup());
    const fromAlb = rankBy(others.filter((g) => openToGroup(g, appPort, albId())), [(g) => g.GroupId ?? '']);
    const openAppPort = rankBy(
      others.filter((g) => permissionsFor(g, appPort).some((permission) => permission.IpProtocol !== '-1')),
      [(g) => g.GroupId ?? ''],
    );
    const prefix = serviceOwn ? `ECS service ${serviceName} uses only the default group; ` : service ? '' : 'no service to start from; ';
    if (fromAlb[0]) [appSecurityGroup, appWhy] = [fromAlb[0], `${prefix}it opens port ${appPort} to the load balancer's group`];
    else if (openAppPort[0]) [appSecurityGroup, appWhy] = [openAppPort[0], `${prefix}it opens port ${appPort}`];
    else [appSecurityGroup, appWhy] = [serviceOwn, serviceOwn ? `ECS service ${serviceName} uses it (the VPC's default group)` : `${prefix}no group opens port ${appPort}`];
  }
  return { appSecurityGroup, choice: groupChoice('appSecurityGroup', appSecurityGroup, input.securityGroups().length, appWhy) };
}

const vpcStep: Step<'vpc'> = {
  resources: ['vpc'],
  choose({ lab, params }) {
    const { vpc, choice } = chooseVpc(inputsOf(lab, params));
    return { resolved: { vpc }, choices: [choice] };
  },
};

const subnetsStep: Step<'publicSubnets' | 'privateSubnets'> = {
  resources: ['publicSubnets', 'privateSubnets'],
  choose({ lab, params }) {
    const { publicSubnets, privateSubnets, choices } = chooseSubnets(inputsOf(lab, params), lab.vpc);
    return { resolved: { publicSubnets, privateSubnets }, choices };
  },
};

const internetGatewayStep: Step<'internetGateway'> = {
  resources: ['internetGateway'],
  choose({ lab, params }) {
    const { internetGateway, choice } = chooseInternetGateway(inputsOf(lab, params), lab.vpc, () => lab.publicSubnets);
    return { resolved: { internetGateway }, choices: [choice] };
  },
};

const natGatewayStep: Step<'natGateway'> = {
  resources: ['natGateway'],
  choose({ lab, params }) {
    const { natGateway, choice } = chooseNatGateway(inputsOf(lab, params), lab.vpc, lab.publicSubnets, lab.privateSubnets);
    return { resolved: { natGateway }, choices: [choice] };
  },
};

const albSecurityGroupStep: Step<'albSecurityGroup'> = {
  resources: ['albSecurityGroup'],
  choose({ lab, params }) {
    const { albSecurityGroup, choice } = chooseAlbSecurityGroup(inputsOf(lab, params));
    return { resolved: { albSecurityGroup }, choices: [choice] };
  },
};

const appSecurityGroupStep: Step<'appSecurityGroup'> = {
  resources: ['appSecurityGroup'],
  choose({ lab, params }) {
    const { appSecurityGroup, choice } = chooseAppSecurityGroup(inputsOf(lab, params));
    return { resolved: { appSecurityGroup }, choices: [choice] };
  },
};

/** The network stage, in the order of its choices. */
export const networkSteps = [vpcStep, subnetsStep, internetGatewayStep, natGatewayStep, albSecurityGroupStep, appSecurityGroupStep] as const;
