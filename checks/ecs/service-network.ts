import type { AwsVpcConfiguration } from '@aws-sdk/client-ecs';
import { attempt, defineCheck, fail } from '../../src/check/define.js';
import { byParts, judged } from '../../src/check/parts.js';
import { label } from '../../src/resolve/tags.js';
import type { Json } from '../../src/snapshot/types.js';

const SIDE_WORDS = {
  private: ['a private subnet of the lab', 'private subnets of the lab'],
  public: ['a public subnet of the lab', 'public subnets of the lab'],
  other: ['not a lab subnet', 'not lab subnets'],
} as const;

// This check grades how the service is wired: which subnets and security groups its tasks use,
// against what the resolver found those resources to be (the private subnets by their names and
// routes, the resource group by its rules), so a service placed on the wrong resource costs this
// check, not the checks of the resource.
export default defineCheck({
  id: 'ecs.service-network',
  title: 'The service runs in the private subnets, behind the app security group, without a public IP',
  run(lab, params) {
    const service = lab.service;
    if (!service) return fail('Create the ECS service first.', ['no ECS service found for the lab']);
    const primary = service.deployments?.find((deployment) => deployment.status === 'PRIMARY');
    const network: Json<AwsVpcConfiguration> | undefined =
      service.networkConfiguration?.awsvpcConfiguration ?? primary?.networkConfiguration?.awsvpcConfiguration;
    if (!network) {
      return fail(`Service ${service.serviceName} has no awsvpc network configuration: create it on Fargate with the lab VPC's private subnets.`, [
        `service ${service.serviceName} has no awsvpc network configuration`,
      ]);
    }
    const name = service.serviceName;
    const subnetIds = network.subnets ?? [];
    const groupIds = network.securityGroups ?? [];
    const assignPublicIp = network.assignPublicIp ?? 'DISABLED';
    // Names only word the evidence and hints: the parts are judged on ids and the resolver's roles.
    const subnets = attempt(() => lab.read('subnets'));
    const groups = attempt(() => lab.read('securityGroups'));
    const subnetName = (id: string) => {
      const subnet = subnets.ok ? subnets.value.find((candidate) => candidate.SubnetId === id) : undefined;
      return subnet ? label(subnet.SubnetId, subnet.Tags) : id;
    };
    const groupName = (id: string) => {
      const group = groups.ok ? groups.value.find((candidate) => candidate.GroupId === id) : undefined;
      return group ? `${group.GroupName} (${id})` : id;
    };
    const roles = attempt(() => ({ publicSubnets: lab.publicSubnets, privateSubnets: lab.privateSubnets }));
    const sideOf = (id: string): keyof typeof SIDE_WORDS | undefined => {
      if (!roles.ok) return undefined;
      if (roles.value.privateSubnets.some((subnet) => subnet.SubnetId === id)) return 'private';
      if (roles.value.publicSubnets.some((subnet) => subnet.SubnetId === id)) return 'public';
      return 'other';
    };
    /** `public-subnet-1 (subnet-…) and public-subnet-2 (subnet-…) (public subnets of the lab)`. */
    const describeSubnets = (ids: readonly string[]) => {
      const bySide = new Map<keyof typeof SIDE_WORDS | undefined, string[]>();
      for (const id of ids) bySide.set(sideOf(id), [...(bySide.get(sideOf(id)) ?? []), subnetName(id)]);
      return [...bySide]
        .map(([side, names]) => `${names.join(' and ')}${side ? ` (${SIDE_WORDS[side][names.length > 1 ? 1 : 0]})` : ''}`)
        .join(', ');
    };

    return byParts(
      [
        judged(() => {
          const privateSubnets = lab.privateSubnets;
          const privateIds = new Set(privateSubnets.map((subnet) => subnet.SubnetId));
          const outside = subnetIds.filter((id) => !privateIds.has(id));
          const wanted = privateSubnets.length
            ? `the private subnets ${privateSubnets.map((subnet) => label(subnet.SubnetId, subnet.Tags)).join(', ')}`
            : 'the private subnets of the lab VPC (create them first)';
          return {
            ok: subnetIds.length > 0 && outside.length === 0,
            fix: subnetIds.length
              ? `Run the tasks of service ${name} in ${wanted}, not in ${describeSubnets(outside)} (update the service's networking).`
              : `Run the tasks of service ${name} in ${wanted}: it has no subnets.`,
          };
        }),
        judged(() => {
          const resourceGroup = lab.appSecurityGroup;
          const albGroup = attempt(() => lab.albSecurityGroup);
          const withAlbGroup = albGroup.ok && albGroup.value !== undefined && groupIds.includes(albGroup.value.GroupId ?? '');
          const usesResourceGroup = resourceGroup !== undefined && groupIds.includes(resourceGroup.GroupId ?? '');
          const uses = groupIds.map(groupName).join(', ') || 'no security group';
          const resource = resourceGroup ? `the resource security group ${resourceGroup.GroupName} (${resourceGroup.GroupId})` : '';
          return {
            ok: usesResourceGroup && !withAlbGroup,
            fix: !resourceGroup
              ? `Give service ${name} a resource security group allowing TCP ${params.network.appPort} from the load balancer's group only (create it first): it uses ${uses}.`
              : usesResourceGroup && albGroup.ok && albGroup.value
                ? `Remove the load balancer's group ${groupName(albGroup.value.GroupId ?? '')} from service ${name}: its tasks take traffic through ${resource} only (update the service's networking).`
                : `Give service ${name} ${resource} instead of ${uses} (update the service's networking).`,
          };
        }),
        {
          ok: assignPublicIp === 'DISABLED',
          fix: `Turn the public IP off for service ${name}: tasks in private subnets are reached through the ALB.`,
        },
      ],
      [
        `subnets: ${describeSubnets(subnetIds) || 'none'}`,
        `security groups: ${groupIds.map(groupName).join(', ') || 'none'}`,
        `public IP ${assignPublicIp}`,
      ],
    );
  },
});
