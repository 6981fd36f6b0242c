import type { SecurityGroup } from '@aws-sdk/client-ec2';
import { defineCheck, fail } from '../../src/check/define.js';
import { byParts } from '../../src/check/parts.js';
import { serviceNetwork } from '../../src/resolve/graph.js';
import { describePermission, fromAnywhere, isDefaultGroup, openToGroup, openToWorld, permissionsFor } from '../../src/resolve/rules.js';
import type { Json } from '../../src/snapshot/types.js';

function groupName(group: Json<SecurityGroup>): string {
  return `${group.GroupName} (${group.GroupId})`;
}

function inbound(group: Json<SecurityGroup>): string {
  return (group.IpPermissions ?? []).map(describePermission).join('; ') || 'no inbound rules';
}

export default defineCheck({
  id: 'vpc.security-groups',
  title: 'ALB group open on port 80 to the world; app group open on port 8000 to the ALB group only',
  run(lab, params) {
    const { albPort, appPort } = params.network;
    const { albSecurityGroup: albGroup, appSecurityGroup: appGroup, loadBalancer, service } = lab;
    if (!albGroup && !appGroup) {
      return fail(
        `Create two security groups in the lab VPC: one for the load balancer allowing TCP ${albPort} from 0.0.0.0/0, and one for the app allowing TCP ${appPort} from the load balancer's group.`,
        [`no security group in ${lab.vpc?.VpcId ?? 'the lab VPC'} opens port ${albPort} or ${appPort}`],
      );
    }
    const evidence: string[] = [];
    const notes: string[] = [];
    if (albGroup) evidence.push(`load balancer group ${groupName(albGroup)}: inbound ${inbound(albGroup)}`);
    if (appGroup) evidence.push(`app group ${groupName(appGroup)}: inbound ${inbound(appGroup)}`);
    if (albGroup && permissionsFor(albGroup, albPort).some((p) => p.IpProtocol === '-1' && fromAnywhere(p))) {
      notes.push(`${groupName(albGroup)} lets all traffic in from anywhere; the lab opens only TCP ${albPort}`);
    }

    const separate = appGroup !== undefined && appGroup.GroupId !== albGroup?.GroupId && !isDefaultGroup(appGroup);
    const worldOnAppPort = appGroup ? permissionsFor(appGroup, appPort).filter(fromAnywhere) : [];

    // Attachments are graded where they can be seen; a missing ALB or service is graded by their own checks.
    const albUses = loadBalancer ? (loadBalancer.SecurityGroups ?? []).includes(albGroup?.GroupId ?? '') : undefined;
    const serviceGroups = serviceNetwork(service).securityGroups;
    const serviceUses = service ? serviceGroups.includes(appGroup?.GroupId ?? '') : undefined;
    if (loadBalancer) evidence.push(`load balancer ${loadBalancer.LoadBalancerName} uses ${(loadBalancer.SecurityGroups ?? []).join(', ') || 'no group'}`);
    else notes.push('no load balancer yet: which group it uses could not be verified (the load balancer check grades it)');
    if (service) evidence.push(`ECS service ${service.serviceName} uses ${serviceGroups.join(', ') || 'no group'}`);
    else notes.push('no ECS service yet: which group it uses could not be verified (the ECS service check grades it)');
    const wrongAttachments = [
      ...(albUses === false ? [`load balancer ${loadBalancer?.LoadBalancerName} uses ${(loadBalancer?.SecurityGroups ?? []).join(', ') || 'no group'}, not ${albGroup ? groupName(albGroup) : 'a load balancer group'}`] : []),
      ...(serviceUses === false ? [`ECS service ${service?.serviceName} uses ${serviceGroups.join(', ') || 'no group'}, not ${appGroup ? groupName(appGroup) : 'an app group'}`] : []),
    ];

    return byParts(
      [
        {
          ok: albGroup !== undefined && openToWorld(albGroup, albPort),
          fix: albGroup
            ? `Add an inbound rule to ${groupName(albGroup)}: TCP ${albPort} from 0.0.0.0/0 (it has ${inbound(albGroup)}).`
            : `Create a load balancer security group allowing TCP ${albPort} from 0.0.0.0/0.`,
        },
        {
          ok: separate && openToGroup(appGroup, appPort, albGroup?.GroupId),
          fix: appGroup && separate
            ? `Add an inbound rule to ${groupName(appGroup)}: TCP ${appPort} with source the load balancer group ${albGroup?.GroupId ?? '(create it)'} (it has ${inbound(appGroup)}).`
            : `Create a separate resource security group allowing TCP ${appPort} from the load balancer group${albGroup ? ` ${albGroup.GroupId}` : ''}.`,
        },
        {
          ok: appGroup !== undefined && !worldOnAppPort.length,
          fix: appGroup
            ? `Remove ${worldOnAppPort.map(describePermission).join(', ')} from ${groupName(appGroup)}: port ${appPort} open to the world lets anyone bypass the load balancer; allow it only from the load balancer group.`
            : `Create the app security group (TCP ${appPort} from the load balancer group only).`,
        },
        {
          ok: !wrongAttachments.length,
          fix: `Attach the groups as the lab does: ${wrongAttachments.join('; ')}.`,
        },
      ],
      evidence,
      notes,
    );
  },
});
