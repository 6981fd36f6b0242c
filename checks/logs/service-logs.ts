import { answered, attempt, defineCheck, fail, partial, partlyUnread, pass } from '../../src/check/define.js';
import { nameFromArn } from '../../src/resolve/compute.js';

export default defineCheck({
  id: 'logs.service-logs',
  title: "The task definition's log group holds events from the running task",
  run(lab) {
    const group = lab.logGroup;
    if (!group?.logGroupName) {
      const why = lab.choices.find((choice) => choice.resource === 'logGroup')?.why ?? 'no log group found';
      return fail('Turn on log collection (awslogs) in the task definition and run the service, then open its log group in CloudWatch.', [why]);
    }
    const name = group.logGroupName;
    // The collector reads streams only of groups a task definition logs to: none read means none logs here.
    if (!lab.keysOf('logStreams').includes(name)) {
      return fail(`Log group ${name} exists, but the lab's task definition does not send logs to it: turn on awslogs log collection in the task definition and check the logs in CloudWatch.`, [
        `log group ${name} exists; its streams were not read because no task definition of the lab logs to it`,
      ]);
    }
    const streams = lab.readKeyed('logStreams', name);
    const events = lab.readKeyed('logEvents', name);
    const evidence = [`log group ${name}: ${streams.length} stream(s) read, ${events.length} event(s) in the newest`];
    if (streams.length === 0 || events.length === 0) {
      return fail(`Log group ${name} has no events: the app's tasks must run with awslogs so their output reaches CloudWatch.`, evidence);
    }
    const service = lab.service;
    // The cluster and its tasks only say which streams are the running task's.
    const tasks = service
      ? attempt(() => {
          const clusterArn = lab.cluster?.clusterArn;
          return clusterArn === undefined ? [] : lab.readKeyed('tasks', clusterArn);
        })
      : undefined;
    // Events were judged; whether they come from the running task is ungraded, not missed.
    if (tasks?.ok === false) return partlyUnread(0.5, tasks.unread, [...evidence, `the running tasks could not be read (${answered(tasks.unread)})`]);
    const taskIds = (tasks?.value ?? [])
      .filter((task) => task.group === `service:${service?.serviceName}` && task.lastStatus === 'RUNNING')
      .map((task) => nameFromArn(task.taskArn) ?? '')
      .filter((id) => id.length > 0);
    // Without a running task of the service (none runs, or there is no service) any recent events count.
    if (taskIds.length === 0) return pass([...evidence, 'the running task could not be determined: any events count']);
    const fromRunning = streams.filter((stream) => taskIds.some((id) => stream.logStreamName?.includes(id)));
    if (fromRunning.length > 0) {
      return pass([...evidence, `stream ${fromRunning[0]?.logStreamName} is from running task ${taskIds.find((id) => fromRunning[0]?.logStreamName?.includes(id))}`]);
    }
    return partial(
      0.5,
      `Log group ${name} has events, but none of its newest streams is from the running task(s) ${taskIds.join(', ')}: check that the running revision logs with awslogs to this group.`,
      [...evidence, `newest streams: ${streams.slice(0, 3).map((stream) => stream.logStreamName).join(', ')}`],
    );
  },
});
