import { defineCheck, fail, partial, pass } from '../../src/check/define.js';
import { forwardedTargetGroupArns, targetGroupLabel } from '../../src/resolve/entry.js';

export default defineCheck({
  id: 'elb.listener',
  title: (params) => `An HTTP:${params.network.albPort} listener forwarding to the target group`,
  run(lab, params) {
    const { albPort } = params.network;
    const alb = lab.loadBalancer;
    if (!alb?.LoadBalancerArn) {
      return fail(`Create the load balancer with an HTTP listener on port ${albPort} forwarding to the target group.`, [
        'no load balancer, so no listener',
      ]);
    }
    const listeners = lab.readKeyed('listeners', alb.LoadBalancerArn);
    const targetGroups = lab.read('targetGroups');
    const tgName = (arn: string) => targetGroups.find((tg) => tg.TargetGroupArn === arn)?.TargetGroupName ?? arn;
    const describe = (listener: (typeof listeners)[number]) => {
      const forwards = forwardedTargetGroupArns(listener).map(tgName);
      const actions = (listener.DefaultActions ?? []).map((action) => action.Type).join(', ');
      return `${listener.Protocol}:${listener.Port} → ${forwards.length ? `forward to ${forwards.join(', ')}` : actions || 'no action'}`;
    };
    const evidence = listeners.length
      ? listeners.map((listener) => `load balancer ${alb.LoadBalancerName} listener ${describe(listener)}`)
      : [`load balancer ${alb.LoadBalancerName} has no listener`];
    const tg = lab.targetGroup;
    const wantedTg = tg ? `target group ${targetGroupLabel(tg)}` : `the target group (create it: IP targets, HTTP ${params.network.appPort})`;
    const http = listeners.find((listener) => listener.Port === albPort && listener.Protocol === 'HTTP');
    if (!http) {
      return fail(
        `Add a listener for HTTP on port ${albPort} to ${alb.LoadBalancerName} forwarding to ${wantedTg}: ${listeners.length ? `it has ${listeners.map(describe).join('; ')}` : 'it has none'}.`,
        evidence,
      );
    }
    if (tg?.TargetGroupArn && forwardedTargetGroupArns(http).includes(tg.TargetGroupArn)) return pass(evidence);
    return partial(0.5, `Make the HTTP:${albPort} listener of ${alb.LoadBalancerName} forward to ${wantedTg}: it does ${describe(http)}.`, evidence);
  },
});
