import type { SecurityGroup } from '@aws-sdk/client-ec2';
import { defineCheck, fail } from '../../src/check/define.js';
import { byParts } from '../../src/check/parts.js';
import { describePermission, fromAnywhere, openToGroup, openToWorld, permissionsFor } from '../../src/resolve/rules.js';
import type { Json } from '../../src/snapshot/types.js';

function groupName(group: Json<SecurityGroup>): string {
  return `${group.GroupName} (${group.GroupId})`;
}

function inbound(group: Json<SecurityGroup>): string {
  return (group.IpPermissions ?? []).map(describePermission).join('; ') || 'no inbound rules';
}

// The two groups the student made, graded by their rules; which groups the load balancer and
// the service use is graded where they are attached (elb.load-balancer, ecs.service-network).
export default defineCheck({
  id: 'vpc.security-groups',
  title: ({ network }) => `ALB group open on port ${network.albPort} to the world; app group open on port ${network.appPort} to the ALB group only`,
  run(lab, params) {
    const { albPort, appPort } = params.network;
    const { albSecurityGroup: albGroup, appSecurityGroup: resourceGroup } = lab;
    if (!albGroup && !resourceGroup) {
      return fail(
        `Create two security groups in the lab VPC: one for the load balancer allowing TCP ${albPort} from 0.0.0.0/0, and a resource security group allowing TCP ${appPort} from the load balancer's group.`,
        [`no security group in ${lab.vpc?.VpcId ?? 'the lab VPC'} opens port ${albPort} or ${appPort}`],
      );
    }
    const evidence: string[] = [];
    const notes: string[] = [];
    if (albGroup) evidence.push(`load balancer group ${groupName(albGroup)}: inbound ${inbound(albGroup)}`);
    if (resourceGroup) evidence.push(`resource group ${groupName(resourceGroup)}: inbound ${inbound(resourceGroup)}`);
    if (albGroup && permissionsFor(albGroup, albPort).some((p) => p.IpProtocol === '-1' && fromAnywhere(p))) {
      notes.push(`${groupName(albGroup)} lets all traffic in from anywhere; the lab opens only TCP ${albPort}`);
    }
    const worldOnAppPort = resourceGroup ? permissionsFor(resourceGroup, appPort).filter(fromAnywhere) : [];

    return byParts(
      [
        {
          ok: albGroup !== undefined && openToWorld(albGroup, albPort),
          // The resolver never makes a group that admits the app port from another group the load balancer's, so this never opens the resource group.
          fix: albGroup
            ? `Add an inbound rule to the load balancer group ${groupName(albGroup)}: TCP ${albPort} from 0.0.0.0/0; it has ${inbound(albGroup)}.`
            : `Create a load balancer security group allowing TCP ${albPort} from 0.0.0.0/0.`,
        },
        // Without a resource group, this part says to create it and the two after it say nothing more.
        {
          ok: resourceGroup !== undefined,
          fix: `Create a separate resource security group allowing TCP ${appPort} from the load balancer group${albGroup ? ` ${groupName(albGroup)}` : ''}.`,
        },
        {
          ok: resourceGroup !== undefined && openToGroup(resourceGroup, appPort, albGroup?.GroupId),
          fix: resourceGroup
            ? `Add an inbound rule to ${groupName(resourceGroup)}: TCP ${appPort} with source the load balancer group ${albGroup ? groupName(albGroup) : '(create it)'}; it has ${inbound(resourceGroup)}.`
            : '',
        },
        {
          ok: resourceGroup !== undefined && !worldOnAppPort.length,
          fix: resourceGroup
            ? `Remove ${worldOnAppPort.map(describePermission).join(', ')} from ${groupName(resourceGroup)}: port ${appPort} open to the world lets anyone bypass the load balancer; allow it only from the load balancer group.`
            : '',
        },
      ],
      evidence,
      notes,
    );
  },
});
