// CloudWatch: metric alarms (the bonus step's alarm on the lab's service, target group or ALB).
import { call, collectPages, listOf, single } from './define.js';

export const alarms = single({
  key: 'alarms',
  description: 'CloudWatch metric alarms.',
  calls: [call('cloudwatch', 'DescribeAlarmsCommand', 'cloudwatch:DescribeAlarms')],
  schema: listOf('AlarmName'),
  read: ({ sdk, aws }) => collectPages(sdk.cloudwatch.paginateDescribeAlarms({ client: aws.cloudwatch }, {}), (p) => p.MetricAlarms),
});

export const definitions = [alarms] as const;
