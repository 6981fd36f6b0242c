// Which of the lab VPC's security groups is the load balancer's and which the resource group,
// from their rules: the load balancer group opens the ALB port to the world, the resource group
// admits the app port from another group. Names and the groups the load balancer and the service
// use only break ties, so a service run in the wrong group is judged in 5.3, and step 4.6 grades
// the groups the student made, wherever they are attached.
import type { SecurityGroup } from '@aws-sdk/client-ec2';
import type { Json } from '../snapshot/types.js';
import { byRules, lazy, serviceNetwork } from './graph.js';
import type { Choice, Lab } from './lab.js';
import { isDefaultGroup, openToGroup, openToWorld, permissionsFor } from './rules.js';
import type { Step } from './stage.js';

/** Names students give the load balancer's group and the resource group; hints only, never deciding alone. */
const ALB_GROUP_NAMES = /alb|elb|lb-|-lb|load/i;
const RESOURCE_GROUP_NAMES = /resource|app|ecs|service|task|backend|private/i;

/** True when the group admits the port from another security group: what makes it a resource group. */
export function admitsFromAnotherGroup(group: Json<SecurityGroup>, port: number): boolean {
  return permissionsFor(group, port).some((permission) =>
    (permission.UserIdGroupPairs ?? []).some((pair) => pair.GroupId !== undefined && pair.GroupId !== group.GroupId),
  );
}

/** The lab VPC's own groups (never its `default` group, which the lab does not ask for). */
function labVpcGroups(lab: Lab): Json<SecurityGroup>[] {
  const vpc = lab.vpc;
  return vpc === undefined ? [] : lab.read('securityGroups').filter((group) => group.VpcId === vpc.VpcId && !isDefaultGroup(group));
}

function groupChoice(resource: 'albSecurityGroup' | 'appSecurityGroup', group: Json<SecurityGroup> | undefined, candidates: number, why: string): Choice {
  return { resource, chosen: group ? `${group.GroupName} (${group.GroupId})` : null, candidates, why };
}

function chooseAlbSecurityGroup(lab: Lab, albPort: number, appPort: number): { albSecurityGroup?: Json<SecurityGroup>; choice: Choice } {
  const groups = labVpcGroups(lab);
  // A group that admits the app port from another group is the resource group, whatever the load balancer uses.
  const notResource = groups.filter((group) => !admitsFromAnotherGroup(group, appPort));
  const paired = (group: Json<SecurityGroup>) => groups.some((other) => other !== group && openToGroup(other, appPort, group.GroupId));
  const albUses = lazy(() => new Set(lab.loadBalancer?.SecurityGroups ?? []));
  const usedByAlb = (group: Json<SecurityGroup>) => albUses().has(group.GroupId ?? '');
  const named = (group: Json<SecurityGroup>) => ALB_GROUP_NAMES.test(group.GroupName ?? '');
  const none = `no group opens port ${albPort} to the world`;
  const { chosen: group, why } = byRules(
    notResource,
    [
      { fits: (g) => openToWorld(g, albPort), why: () => `it opens port ${albPort} to the world` },
      { fits: paired, why: () => `${none}; a group admits port ${appPort} from it` },
      { fits: named, why: () => `${none} or is admitted on port ${appPort}; named like a load balancer's group` },
      { fits: usedByAlb, why: () => `${none}, is admitted on port ${appPort} or is named like a load balancer's; load balancer ${lab.loadBalancer?.LoadBalancerName} uses it` },
    ],
    [paired, named, usedByAlb, (g) => g.GroupId ?? ''],
    'groups',
  );
  return {
    albSecurityGroup: group,
    choice: groupChoice(
      'albSecurityGroup',
      group,
      groups.length,
      why ?? (lab.vpc ? `no group of ${lab.vpc.VpcId} but a resource group opens port ${albPort} to the world, is admitted on port ${appPort}, is named like a load balancer's or is used by it` : 'no lab VPC to look in'),
    ),
  };
}

function chooseAppSecurityGroup(lab: Lab, appPort: number): { appSecurityGroup?: Json<SecurityGroup>; choice: Choice } {
  const albGroup = lab.albSecurityGroup;
  const groups = labVpcGroups(lab).filter((group) => group !== albGroup);
  const serviceUses = lazy(() => new Set(serviceNetwork(lab.service).securityGroups));
  const usedByService = (group: Json<SecurityGroup>) => serviceUses().has(group.GroupId ?? '');
  const named = (group: Json<SecurityGroup>) => RESOURCE_GROUP_NAMES.test(group.GroupName ?? '') && !ALB_GROUP_NAMES.test(group.GroupName ?? '');
  const fromAlbGroup = (group: Json<SecurityGroup>) => albGroup !== undefined && openToGroup(group, appPort, albGroup.GroupId);
  // An all-traffic rule opens every port, so it says nothing of which group is the app's.
  const opensAppPort = (group: Json<SecurityGroup>) => permissionsFor(group, appPort).some((permission) => permission.IpProtocol !== '-1');
  const none = `no group admits port ${appPort} from another group`;
  const { chosen: group, why } = byRules(
    groups,
    [
      { fits: (g) => admitsFromAnotherGroup(g, appPort), why: (g) => `it admits port ${appPort} from ${fromAlbGroup(g) ? "the load balancer's group" : 'another group'}` },
      { fits: opensAppPort, why: () => `${none}; it opens port ${appPort}` },
      { fits: named, why: () => `${none} or opens port ${appPort}; named like a resource group` },
      { fits: usedByService, why: () => `${none}, opens port ${appPort} or is named like a resource group; ECS service ${lab.service?.serviceName} uses it` },
    ],
    [fromAlbGroup, named, usedByService, (g) => g.GroupId ?? ''],
    'groups',
  );
  return {
    appSecurityGroup: group,
    choice: groupChoice(
      'appSecurityGroup',
      group,
      groups.length,
      why ?? (lab.vpc ? `no group of ${lab.vpc.VpcId} but the load balancer's opens port ${appPort}, is named like a resource group or is used by the service` : 'no lab VPC to look in'),
    ),
  };
}

export const albSecurityGroupStep: Step<'albSecurityGroup'> = {
  resources: ['albSecurityGroup'],
  choose({ lab, params }) {
    const { albSecurityGroup, choice } = chooseAlbSecurityGroup(lab, params.network.albPort, params.network.appPort);
    return { resolved: { albSecurityGroup }, choices: [choice] };
  },
};

export const appSecurityGroupStep: Step<'appSecurityGroup'> = {
  resources: ['appSecurityGroup'],
  choose({ lab, params }) {
    const { appSecurityGroup, choice } = chooseAppSecurityGroup(lab, params.network.appPort);
    return { resolved: { appSecurityGroup }, choices: [choice] };
  },
};
