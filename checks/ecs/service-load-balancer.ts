import { defineCheck, fail, partial, pass } from '../../src/check/define.js';
import { nameFromArn } from '../../src/resolve/compute.js';
import { targetGroupLabel } from '../../src/resolve/entry.js';

export default defineCheck({
  id: 'ecs.service-load-balancer',
  title: "The service is attached to the lab's target group on the container port",
  run(lab, params) {
    const service = lab.service;
    if (!service) return fail('Create the ECS service first.', ['no ECS service found for the lab']);
    const { appPort } = params.network;
    const attached = service.loadBalancers ?? [];
    const targetGroup = lab.targetGroup;
    const labTargetGroup = targetGroup?.TargetGroupArn;
    const evidence = attached.map(
      (item) => `attached to target group ${nameFromArn(item.targetGroupArn?.replace(/\/[0-9a-f]+$/, '')) ?? item.loadBalancerName} via container ${item.containerName}:${item.containerPort}`,
    );
    if (attached.length === 0) {
      return fail(
        `Service ${service.serviceName} has no load balancer: create it with "Application Load Balancer", the lab's ALB, listener and target group on container port ${appPort}.`,
        [`service ${service.serviceName} has no load balancer`],
      );
    }
    const toLabGroup = attached.filter((item) => labTargetGroup === undefined || item.targetGroupArn === labTargetGroup);
    if (labTargetGroup === undefined) evidence.push("the lab's target group was not resolved: any target group counts");
    if (toLabGroup.some((item) => item.containerPort === appPort)) return pass(evidence);
    if (toLabGroup.length > 0) {
      return partial(0.5, `Attach the target group on container port ${appPort}, the port the app listens on.`, evidence);
    }
    return partial(
      0.5,
      `Service ${service.serviceName} is attached to another target group than the lab's: attach it to ${targetGroup ? targetGroupLabel(targetGroup) : 'the target group'} on container port ${appPort} (update the service's load balancing).`,
      evidence,
    );
  },
});
