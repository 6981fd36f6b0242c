import { defineCheck, fail, partial, pass } from '../../src/check/define.js';

export default defineCheck({
  id: 'ecs.service',
  title: 'An ECS service runs on Fargate with the desired task count',
  run(lab, params) {
    const service = lab.service;
    if (!service) {
      return fail("Create an ECS service in the lab cluster with launch type Fargate and the lab's task definition.", [
        'no ECS service found for the lab',
      ]);
    }
    const { minDesiredCount } = params.ecs;
    const providers = (service.capacityProviderStrategy ?? []).map((item) => item.capacityProvider ?? '');
    const onFargate = service.launchType === 'FARGATE' || providers.some((provider) => provider.startsWith('FARGATE'));
    const desired = service.desiredCount ?? 0;
    const evidence = [
      `service ${service.serviceName} (${service.status})`,
      service.launchType ? `launch type ${service.launchType}` : `capacity providers [${providers.join(', ')}]`,
      `desired count ${desired}`,
    ];
    const misses = [
      ...(onFargate ? [] : ['launch type Fargate (or a FARGATE capacity provider)']),
      ...(desired >= minDesiredCount ? [] : [`a desired count of at least ${minDesiredCount}`]),
    ];
    if (misses.length === 0) return pass(evidence);
    const hint = `Service ${service.serviceName} needs ${misses.join(' and ')}.`;
    return misses.length === 2 ? fail(hint, evidence) : partial(0.5, hint, evidence);
  },
});
