import { defineCheck, fail, pass } from '../../src/check/define.js';

export default defineCheck({
  id: 'ecs.service-running',
  title: 'The service runs its tasks, its deployment completed and its targets are healthy',
  run(lab, params) {
    const service = lab.service;
    if (!service) return fail('Create the ECS service in the lab cluster and run its tasks.', ['no ECS service found for the lab']);
    const running = service.runningCount ?? 0;
    const desired = service.desiredCount ?? 0;
    const primary = service.deployments?.find((deployment) => deployment.status === 'PRIMARY');
    const evidence = [`service ${service.serviceName}: ${running} running of ${desired} desired`];
    const misses: string[] = [];
    if (running < 1 || running !== desired) misses.push(`${running} of ${desired} tasks run`);
    // Services without a deployment circuit breaker may report no rollout state: counts then decide.
    const rollout = primary?.rolloutState ?? (primary && primary.runningCount === primary.desiredCount ? 'COMPLETED' : undefined);
    evidence.push(`primary deployment ${primary?.rolloutState ?? 'without rollout state'}${primary?.rolloutStateReason ? `: ${primary.rolloutStateReason}` : ''}`);
    if (rollout !== 'COMPLETED') misses.push(`the primary deployment is ${primary?.rolloutState ?? 'missing'}`);

    const targetGroups = (service.loadBalancers ?? []).map((item) => item.targetGroupArn).filter((arn): arn is string => arn !== undefined);
    if (targetGroups.length === 0) {
      evidence.push('the service has no load balancer: target health is graded with the service\'s load balancer');
    }
    for (const arn of targetGroups) {
      const targets = lab.readKeyed('targetHealth', arn);
      const states = targets.map((target) => `${target.Target?.Id}:${target.Target?.Port} ${target.TargetHealth?.State}${target.TargetHealth?.Reason ? ` (${target.TargetHealth.Reason})` : ''}`);
      evidence.push(`targets: ${states.join(', ') || 'none registered'}`);
      const healthy = targets.filter((target) => target.TargetHealth?.State === 'healthy').length;
      const unhealthy = targets.filter((target) => target.TargetHealth?.State === 'unhealthy').length;
      if (healthy === 0 || unhealthy > 0) misses.push(`${healthy} healthy and ${unhealthy} unhealthy targets`);
    }

    if (misses.length === 0) return pass(evidence);
    return fail(
      `Service ${service.serviceName}: ${misses.join('; ')}. Check the service's Events tab and the task logs; targets must answer the ${params.loadBalancer.healthCheckPath} check on port ${params.network.appPort}.`,
      evidence,
    );
  },
});
