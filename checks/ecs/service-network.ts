import type { AwsVpcConfiguration } from '@aws-sdk/client-ecs';
import { defaultRoute, routeTableOf } from '../../src/resolve/routing.js';
import { openToGroup } from '../../src/resolve/rules.js';
import { nameTag } from '../../src/resolve/tags.js';
import { defineCheck, fail, partial, pass } from '../../src/check/define.js';
import type { Json } from '../../src/snapshot/types.js';

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
    const subnets = lab.read('subnets');
    const routeTables = lab.read('routeTables');
    const securityGroups = lab.read('securityGroups');
    const evidence: string[] = [];
    const misses: string[] = [];

    // Private means no route to an internet gateway, whatever the subnet is called.
    const publicOnes: string[] = [];
    for (const subnetId of network.subnets ?? []) {
      const subnet = subnets.find((candidate) => candidate.SubnetId === subnetId);
      const name = nameTag(subnet?.Tags) ?? subnetId;
      const route = subnet ? defaultRoute(routeTableOf(subnet.SubnetId, subnet.VpcId, routeTables).table) : undefined;
      const igwRoute = route?.GatewayId?.startsWith('igw-') ? route : undefined;
      evidence.push(`subnet ${name} (${subnet?.CidrBlock ?? 'unknown'}) routes 0.0.0.0/0 to ${igwRoute?.GatewayId ?? route?.NatGatewayId ?? 'nothing'}`);
      if (igwRoute || !subnet) publicOnes.push(name);
    }
    if ((network.subnets ?? []).length === 0 || publicOnes.length > 0) {
      misses.push(`private subnets only (${publicOnes.length > 0 ? `${publicOnes.join(', ')} route to an internet gateway or were not found` : 'no subnets set'})`);
    }

    const groupIds = network.securityGroups ?? [];
    const groups = securityGroups.filter((group) => group.GroupId !== undefined && groupIds.includes(group.GroupId));
    const albGroupIds = lab.loadBalancer?.SecurityGroups ?? (lab.albSecurityGroup?.GroupId ? [lab.albSecurityGroup.GroupId] : []);
    const appGroup =
      groups.find((group) => albGroupIds.some((albGroupId) => openToGroup(group, params.network.appPort, albGroupId))) ??
      groups.find((group) => group.GroupId === lab.appSecurityGroup?.GroupId);
    evidence.push(`security groups [${groups.map((group) => group.GroupName ?? group.GroupId).join(', ') || groupIds.join(', ')}]`);
    if (!appGroup) misses.push(`the app security group (port ${params.network.appPort} open to the ALB's security group)`);

    const assignPublicIp = network.assignPublicIp ?? 'DISABLED';
    evidence.push(`public IP ${assignPublicIp}`);
    if (assignPublicIp !== 'DISABLED') misses.push('public IP turned off (tasks in private subnets are reached through the ALB)');

    if (misses.length === 0) return pass(evidence);
    const hint = `Service ${service.serviceName} should use ${misses.join('; ')}. Update the service's networking.`;
    return misses.length === 3 ? fail(hint, evidence) : partial((3 - misses.length) / 3, hint, evidence);
  },
});
