import { defineCheck, fail } from '../../src/check/define.js';
import { byParts } from '../../src/check/parts.js';
import { label } from '../../src/resolve/tags.js';

export default defineCheck({
  id: 'elb.target-group',
  title: (params) => `A target group of IP targets, HTTP on port ${params.network.appPort}, health check ${params.loadBalancer.healthCheckPath}, in the lab VPC`,
  run(lab, params) {
    const { appPort } = params.network;
    const { healthCheckPath } = params.loadBalancer;
    const tg = lab.targetGroup;
    if (!tg) {
      return fail(
        `Create a target group (EC2 → Target groups): target type IP addresses, HTTP on port ${appPort}, health check path ${healthCheckPath}, in the lab VPC, and forward the load balancer's listener to it.`,
        [`no target group reached from ${lab.loadBalancer?.LoadBalancerName ?? 'a load balancer'} or left unattached`],
      );
    }
    const name = tg.TargetGroupName ?? tg.TargetGroupArn;
    const vpc = lab.vpc;
    return byParts(
      [
        {
          ok: tg.TargetType === 'ip',
          fix: `Target group ${name} has target type ${tg.TargetType}; Fargate tasks (awsvpc) register by IP: create it again with target type IP addresses.`,
        },
        { ok: tg.Protocol === 'HTTP', fix: `Target group ${name} uses protocol ${tg.Protocol}; the lab asks for HTTP.` },
        { ok: tg.Port === appPort, fix: `Target group ${name} uses port ${tg.Port}; the app listens on ${appPort}: create it again with port ${appPort}.` },
        {
          ok: tg.HealthCheckPath === healthCheckPath,
          fix: `Set the health check path of target group ${name} to ${healthCheckPath} (it is ${tg.HealthCheckPath ?? 'unset'}): the app answers health checks there.`,
        },
        {
          ok: vpc !== undefined && tg.VpcId === vpc.VpcId,
          fix: `Target group ${name} is in ${tg.VpcId}; the lab's targets run in ${vpc ? label(vpc.VpcId, vpc.Tags) : 'the VPC you created'}.`,
        },
      ],
      [
        `target group ${name}: target type ${tg.TargetType}, ${tg.Protocol}:${tg.Port}, health check ${tg.HealthCheckProtocol ?? ''} ${tg.HealthCheckPath ?? 'unset'}, in ${tg.VpcId}`,
      ],
    );
  },
});
