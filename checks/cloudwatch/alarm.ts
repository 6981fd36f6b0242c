import type { Dimension, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { attempt, defineCheck, fail, partlyUnread, pass } from '../../src/check/define.js';
import { lazy } from '../../src/resolve/graph.js';
import type { Json } from '../../src/snapshot/types.js';

/** The dimension value CloudWatch uses for an ELB resource: the ARN's part from `targetgroup/` or `app/`. */
function elbDimension(arn: string | undefined, marker: 'targetgroup/' | 'app/'): string | undefined {
  const at = arn?.indexOf(marker === 'app/' ? ':loadbalancer/app/' : ':targetgroup/') ?? -1;
  if (arn === undefined || at < 0) return undefined;
  return marker === 'app/' ? arn.slice(at + ':loadbalancer/'.length) : arn.slice(at + 1);
}

/** Every dimension set an alarm watches: its own metric, or each metric of a metric-math alarm. */
function dimensionSets(alarm: Json<MetricAlarm>): Json<Dimension>[][] {
  return [alarm.Dimensions ?? [], ...(alarm.Metrics ?? []).map((query) => query.MetricStat?.Metric?.Dimensions ?? [])];
}

export default defineCheck({
  id: 'cloudwatch.alarm',
  title: "A CloudWatch alarm watches the lab's service, target group or load balancer",
  run(lab) {
    const alarms = lab.read('alarms');
    // What the lab's resources are called in CloudWatch's dimensions, each read only when an alarm's dimensions ask.
    const serviceName = lazy(() => lab.service?.serviceName);
    const clusterName = lazy(() => lab.cluster?.clusterName);
    const targetGroups = lazy(() =>
      [lab.targetGroup?.TargetGroupArn, ...(lab.service?.loadBalancers ?? []).map((item) => item.targetGroupArn)]
        .map((arn) => elbDimension(arn, 'targetgroup/'))
        .filter((value): value is string => value !== undefined),
    );
    const loadBalancers = lazy(() =>
      [lab.loadBalancer?.LoadBalancerArn, ...(lab.targetGroup?.LoadBalancerArns ?? [])]
        .map((arn) => elbDimension(arn, 'app/'))
        .filter((value): value is string => value !== undefined),
    );

    const watches = (alarm: Json<MetricAlarm>): string | undefined => {
      for (const dimensions of dimensionSets(alarm)) {
        const value = (name: string): string | undefined => dimensions.find((dimension) => dimension.Name === name)?.Value;
        const service = value('ServiceName');
        if (service !== undefined && service === serviceName() && (!value('ClusterName') || !clusterName() || value('ClusterName') === clusterName())) {
          return `service ${service}`;
        }
        const targetGroup = value('TargetGroup');
        if (targetGroup && targetGroups().includes(targetGroup)) return `target group ${targetGroup}`;
        const loadBalancer = value('LoadBalancer');
        if (loadBalancer && loadBalancers().includes(loadBalancer)) return `load balancer ${loadBalancer}`;
      }
      return undefined;
    };
    // An alarm whose target could not be read confirms nothing; it leaves the check ungraded only if no other alarm confirms.
    const judged = alarms.map((alarm) => ({ alarm, watched: attempt(() => watches(alarm)) }));
    const matching = judged.flatMap(({ alarm, watched }) =>
      watched.ok && watched.value
        ? [`alarm ${alarm.AlarmName} (${alarm.Namespace ?? 'metric math'} ${alarm.MetricName ?? ''}, ${alarm.StateValue}) watches ${watched.value}`]
        : [],
    );
    if (matching.length > 0) return pass(matching);
    const evidence = [`${alarms.length} alarm(s) in the region, none on the lab's service, target group or load balancer`];
    const unread = judged.find(({ watched }) => !watched.ok)?.watched;
    if (unread && !unread.ok) return partlyUnread(0, unread.unread, evidence);
    return fail(
      "Create a CloudWatch alarm on a metric of the lab's ECS service (AWS/ECS CPUUtilization with ClusterName and ServiceName), its target group or its ALB (AWS/ApplicationELB, e.g. UnHealthyHostCount).",
      evidence,
    );
  },
});
