// Table tests for sections 5-6 and the bonus: the complete lab passes every check, and each
// typical mistake makes only its own step's check(s) miss (all checks run on every mutation).
import { describe, expect, it } from 'vitest';
import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { appChecks } from '../../checks/app/index.js';
import { cloudwatchChecks } from '../../checks/cloudwatch/index.js';
import { ecsChecks } from '../../checks/ecs/index.js';
import { logsChecks } from '../../checks/logs/index.js';
import type { CheckDefinition } from '../../src/check/define.js';
import type { Submission } from '../../src/resolve/lab.js';
import type { Json, Snapshot } from '../../src/snapshot/types.js';
import { completeLabWith, dataOf, denied, example, labOf, labParams, runCheck, runChecks } from '../support/fixtures.js';

const CLUSTER = 'arn:aws:ecs:eu-west-1:123456789012:cluster/sentiment-app-cluster';
const TASK_DEFINITION = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/sentiment-app-task:3';
const TARGET_GROUP = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/sentiment-app-target-group/6d0ecf831eec9f09';
const LOG_GROUP = '/ecs/sentiment-app-task';
const PUBLIC_SUBNETS = ['subnet-0aa11bb22cc33dd01', 'subnet-0aa11bb22cc33dd02'];

const checks: CheckDefinition[] = [...ecsChecks, ...appChecks, ...logsChecks, ...cloudwatchChecks];
const submission: Submission = { dir: 'submission', pythonTests: [{ path: 'tests/test_api.py', endpoints: ['/health', '/predict'] }] };

const serviceOf = (s: Snapshot): Json<Service> => dataOf(s.facts.services[CLUSTER]!)[0] as Json<Service>;
const taskDefinitionOf = (s: Snapshot): Json<TaskDefinition> => dataOf(s.facts.taskDefinitions[TASK_DEFINITION]!);
const networkOf = (s: Snapshot) => {
  const service = serviceOf(s);
  return [service.networkConfiguration?.awsvpcConfiguration, ...(service.deployments ?? []).map((d) => d.networkConfiguration?.awsvpcConfiguration)];
};

/** Status of every check of sections 5-6 and the bonus, keyed by check id. */
function statuses(snapshot: Snapshot): Record<string, string> {
  const params = labParams();
  const lab = labOf(snapshot, { params, submission });
  return Object.fromEntries(Object.entries(runChecks(checks, lab, params)).map(([id, result]) => [id, result.status]));
}

/** The complete lab's statuses with the named checks changed. */
function allPassExcept(changed: Record<string, string>): Record<string, string> {
  return { ...Object.fromEntries(checks.map((check) => [check.id, 'pass'])), ...changed };
}

describe('sections 5-6 on the complete lab', () => {
  it('passes every check', () => {
    expect(statuses(example('complete-lab'))).toEqual(allPassExcept({}));
  });

  it('resolves cluster, service, task definition and log group with reasons', () => {
    const choices = labOf(example('complete-lab')).choices.filter((choice) => ['cluster', 'service', 'taskDefinition', 'logGroup'].includes(choice.resource));
    expect(choices).toEqual([
      { resource: 'service', chosen: 'sentiment-app-service', candidates: 1, why: "it is attached to the lab's target group sentiment-app-target-group" },
      { resource: 'cluster', chosen: 'sentiment-app-cluster', candidates: 1, why: 'it runs the lab service' },
      { resource: 'taskDefinition', chosen: 'sentiment-app-task:3', candidates: 1, why: 'the revision the service runs' },
      { resource: 'logGroup', chosen: LOG_GROUP, candidates: 1, why: 'the awslogs-group of container sentiment-app' },
    ]);
  });
});

const mistakes: { name: string; mutate: (s: Snapshot) => void; misses: Record<string, string>; hint?: [string, string] }[] = [
  {
    name: 'service in the public subnets',
    mutate: (s) => networkOf(s).forEach((network) => network && (network.subnets = PUBLIC_SUBNETS)),
    misses: { 'ecs.service-network': 'partial' },
    hint: ['ecs.service-network', 'public-subnet-1, public-subnet-2 route to an internet gateway'],
  },
  {
    name: 'a public IP on the tasks',
    mutate: (s) => networkOf(s).forEach((network) => network && (network.assignPublicIp = 'ENABLED')),
    misses: { 'ecs.service-network': 'partial' },
    hint: ['ecs.service-network', 'public IP turned off'],
  },
  {
    name: '0.5 vCPU',
    mutate: (s) => void (taskDefinitionOf(s).cpu = '512'),
    misses: { 'ecs.task-definition': 'partial' },
    hint: ['ecs.task-definition', '1 vCPU / 3 GB'],
  },
  {
    name: 'an image not from ECR',
    mutate: (s) => void ((taskDefinitionOf(s).containerDefinitions ?? [])[0]!.image = 'docker.io/student/sentiment-app:latest'),
    misses: { 'ecs.task-definition': 'partial' },
    hint: ['ecs.task-definition', "an image from the lab's ECR repository"],
  },
  {
    name: 'no awslogs log configuration',
    mutate: (s) => void delete (taskDefinitionOf(s).containerDefinitions ?? [])[0]!.logConfiguration,
    misses: { 'ecs.task-definition': 'partial' },
    hint: ['ecs.task-definition', 'awslogs'],
  },
  {
    name: 'no load balancer on the service',
    mutate: (s) => void (serviceOf(s).loadBalancers = []),
    misses: { 'ecs.service-load-balancer': 'fail' },
    hint: ['ecs.service-load-balancer', 'has no load balancer'],
  },
  {
    name: '0 running tasks',
    mutate: (s) => {
      const service = serviceOf(s);
      service.runningCount = 0;
      service.deployments![0]!.runningCount = 0;
      service.deployments![0]!.rolloutState = 'IN_PROGRESS';
      s.facts.tasks[CLUSTER] = { ok: true, data: [] };
      s.facts.targetHealth[TARGET_GROUP] = { ok: true, data: [] };
    },
    misses: { 'ecs.service-running': 'fail' },
    hint: ['ecs.service-running', '0 of 1 tasks run'],
  },
  {
    name: 'unhealthy targets',
    mutate: (s) => {
      const target = dataOf(s.facts.targetHealth[TARGET_GROUP]!)[0]!;
      target.TargetHealth = { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch' };
    },
    misses: { 'ecs.service-running': 'fail' },
    hint: ['ecs.service-running', '0 healthy and 1 unhealthy targets'],
  },
  {
    name: 'an empty log group',
    mutate: (s) => {
      s.facts.logStreams[LOG_GROUP] = { ok: true, data: [] };
      s.facts.logEvents[LOG_GROUP] = { ok: true, data: [] };
    },
    misses: { 'logs.service-logs': 'fail' },
    hint: ['logs.service-logs', 'has no events'],
  },
  {
    name: 'an INACTIVE cluster',
    mutate: (s) => void (dataOf(s.facts.clusters)[0]!.status = 'INACTIVE'),
    misses: { 'ecs.cluster': 'fail' },
  },
  {
    name: 'no CloudWatch alarm',
    mutate: (s) => void (s.facts.alarms = { ok: true, data: [] }),
    misses: { 'cloudwatch.alarm': 'fail' },
  },
  {
    name: 'an EC2 launch type and 0 desired tasks',
    mutate: (s) => {
      const service = serviceOf(s);
      service.launchType = 'EC2';
      service.desiredCount = 0;
      service.runningCount = 0;
    },
    misses: { 'ecs.service': 'fail', 'ecs.service-running': 'fail' },
  },
  {
    name: 'logs from an earlier task only',
    mutate: (s) => void (dataOf(s.facts.logStreams[LOG_GROUP]!)[0]!.logStreamName = 'ecs/sentiment-app/aaaabbbbccccdddd'),
    misses: { 'logs.service-logs': 'partial' },
  },
  {
    name: 'the prediction endpoint answering the same label for everything',
    mutate: (s) => s.probes.results.filter((r) => r.id.startsWith('predict.')).forEach((r) => (r.bodyExcerpt = '{"prediction":"positive","score":0.5}')),
    misses: { 'app.predicts-sentiment': 'fail' },
  },
  {
    name: 'a GET endpoint that fails',
    mutate: (s) => Object.assign(s.probes.results.find((r) => r.id === 'get:/health')!, { status: 500 }),
    misses: { 'app.get-endpoints': 'partial' },
    hint: ['app.get-endpoints', 'failing: /health'],
  },
  {
    name: 'an ALB answering 503 (no healthy target)',
    mutate: (s) => s.probes.results.forEach((r) => (r.status = 503)),
    misses: { 'app.alb-responds': 'fail', 'app.page-or-docs': 'fail', 'app.get-endpoints': 'fail', 'app.predicts-sentiment': 'fail' },
    hint: ['app.alb-responds', 'no healthy target'],
  },
];

describe('each mistake misses only its own step', () => {
  it.each(mistakes)('$name', ({ mutate, misses, hint }) => {
    const snapshot = completeLabWith(mutate);
    expect(statuses(snapshot)).toEqual(allPassExcept(misses));
    if (hint) {
      const [id, text] = hint;
      expect(runCheck(checks.find((check) => check.id === id)!, snapshot, { submission }).hint).toContain(text);
    }
  });
});

describe('what the lab allows', () => {
  const taskDefinition = checks.find((check) => check.id === 'ecs.task-definition')!;
  it('accepts a task definition without runtimePlatform (Fargate defaults to Linux/X86_64) and says so', () => {
    const result = runCheck(taskDefinition, completeLabWith((s) => void delete taskDefinitionOf(s).runtimePlatform));
    expect(result.status).toBe('pass');
    expect(result.notes?.join(' ')).toContain('defaults to Linux/X86_64');
  });

  it('fails 6.3 when no task definition logs to the group, so its streams were never read', () => {
    const snapshot = completeLabWith((s) => {
      delete (taskDefinitionOf(s).containerDefinitions ?? [])[0]!.logConfiguration;
      delete s.facts.logStreams[LOG_GROUP];
      delete s.facts.logEvents[LOG_GROUP];
    });
    const result = runCheck(logsChecks[0]!, snapshot);
    expect(result.status).toBe('fail');
    expect(result.hint).toContain('turn on awslogs');
  });

  it('asks for LabRole in the academy profile', () => {
    const result = runCheck(taskDefinition, example('complete-lab'), { params: labParams({ 'ecs.requiredRoleName': 'LabRole' }) });
    expect(result).toMatchObject({ status: 'partial', fraction: 7 / 8 });
    expect(result.hint).toContain('task role and execution role LabRole');
  });

  it('accepts a FARGATE capacity provider instead of a launch type', () => {
    const snapshot = completeLabWith((s) => {
      const service = serviceOf(s);
      delete service.launchType;
      service.capacityProviderStrategy = [{ capacityProvider: 'FARGATE', weight: 1 }];
    });
    expect(runCheck(ecsChecks.find((check) => check.id === 'ecs.service')!, snapshot).status).toBe('pass');
  });

  it('grades the revision the service runs and notes a newer ACTIVE one', () => {
    const snapshot = completeLabWith((s) => {
      const newer = { ...structuredClone(taskDefinitionOf(s)), revision: 4, taskDefinitionArn: TASK_DEFINITION.replace(':3', ':4'), cpu: '512' };
      s.facts.taskDefinitions[newer.taskDefinitionArn] = { ok: true, data: newer };
    });
    const lab = labOf(snapshot);
    expect(lab.taskDefinition?.revision).toBe(3);
    expect(lab.choices.find((choice) => choice.resource === 'taskDefinition')?.why).toContain('a newer ACTIVE revision exists (4)');
    expect(runCheck(taskDefinition, snapshot).status).toBe('pass');
  });

  it('finds the service by name when it is not attached to the target group', () => {
    const lab = labOf(completeLabWith((s) => void (serviceOf(s).loadBalancers = [])));
    expect(lab.service?.serviceName).toBe('sentiment-app-service');
    expect(lab.choices.find((choice) => choice.resource === 'service')?.why).toContain('"sentiment"');
  });
});

describe('app.test-script', () => {
  const testScript = appChecks.find((check) => check.id === 'app.test-script')!;
  it('is manual without --submission', () => {
    const result = runCheck(testScript, example('complete-lab'));
    expect(result.status).toBe('manual');
    expect(result.hint).toContain('--submission DIR');
  });
  const cases: [Submission['pythonTests'], string][] = [
    [[{ path: 'test_api.py', endpoints: ['/health'] }], 'partial'],
    [[{ path: 'test_math.py', endpoints: [] }], 'fail'],
    [[], 'fail'],
  ];
  it.each(cases)('grades tests calling %j as %s', (pythonTests, status) => {
    expect(runCheck(testScript, example('complete-lab'), { submission: { dir: 'work', pythonTests } }).status).toBe(status);
  });
});

describe('whose fault a failed probe is', () => {
  const albResponds = appChecks.find((check) => check.id === 'app.alb-responds')!;
  it('is error, not fail, when the existing ALB was not probed', () => {
    const snapshot = completeLabWith((s) => void (s.probes = { target: null, skipped: 'probing was turned off', results: [] }));
    const result = runCheck(albResponds, snapshot);
    expect(result.status).toBe('error');
    expect(result.cause).toContain('probing was turned off');
    expect(result.hint).toContain('--alb-url');
  });

  it('is fail when the account has no load balancer', () => {
    const snapshot = completeLabWith((s) => {
      s.facts.loadBalancers = { ok: true, data: [] };
      s.probes = { target: null, skipped: 'no internet-facing application load balancer found in the account', results: [] };
    });
    expect(runCheck(albResponds, snapshot)).toMatchObject({ status: 'fail', hint: expect.stringContaining('step 4.7') });
  });

  it('is error when nothing was probed and the load balancers could not be read', () => {
    const snapshot = completeLabWith((s) => {
      s.facts.loadBalancers = denied('elasticloadbalancing:DescribeLoadBalancers');
      s.probes = { target: null, skipped: 'no load balancer of the lab was found in the account', results: [] };
    });
    expect(runCheck(albResponds, snapshot)).toMatchObject({ status: 'error', cause: expect.stringContaining('DescribeLoadBalancers') });
  });

  it('is error when the ALB name did not resolve from the grader', () => {
    const snapshot = completeLabWith((s) =>
      s.probes.results.forEach((r) => {
        delete r.status;
        r.error = { code: 'dns', message: "the name did not resolve from the grader's network (EAI_AGAIN)" };
      }),
    );
    expect(statuses(snapshot)).toMatchObject({
      'app.alb-responds': 'error',
      'app.page-or-docs': 'error',
      'app.get-endpoints': 'error',
      'app.predicts-sentiment': 'error',
    });
  });

  it('says in the evidence that the target was overridden', () => {
    const snapshot = completeLabWith((s) => void (s.probes.target = { url: 'http://127.0.0.1:8000', source: 'override' }));
    expect(runCheck(albResponds, snapshot).evidence[0]).toContain('overridden with --alb-url');
  });
});

describe('unreadable facts are errors, never fails', () => {
  const cases: [string, (s: Snapshot) => void, string][] = [
    ['ecs.cluster', (s: Snapshot) => void (s.facts.clusters = denied('ecs:DescribeClusters')), 'ecs:DescribeClusters'],
    ['ecs.service', (s: Snapshot) => void (s.facts.services[CLUSTER] = denied('ecs:DescribeServices')), 'ecs:DescribeServices'],
    ['ecs.task-definition', (s: Snapshot) => void (s.facts.taskDefinitions = {}), 'ecs:DescribeTaskDefinition'],
    [
      'logs.service-logs',
      (s: Snapshot) => {
        s.facts.services[CLUSTER] = denied('ecs:DescribeServices');
        s.facts.taskDefinitions = {};
      },
      'ecs:DescribeServices',
    ],
    ['ecs.service-network', (s: Snapshot) => void (s.facts.routeTables = denied('ec2:DescribeRouteTables')), 'ec2:DescribeRouteTables'],
    ['ecs.service-running', (s: Snapshot) => void (s.facts.targetHealth[TARGET_GROUP] = denied('elasticloadbalancing:DescribeTargetHealth')), 'DescribeTargetHealth'],
    ['logs.service-logs', (s: Snapshot) => void (s.facts.logStreams[LOG_GROUP] = denied('logs:DescribeLogStreams')), 'logs:DescribeLogStreams'],
    ['cloudwatch.alarm', (s: Snapshot) => void (s.facts.alarms = denied('cloudwatch:DescribeAlarms')), 'cloudwatch:DescribeAlarms'],
  ];
  it.each(cases)('%s', (id, mutate, call) => {
    const result = runCheck(checks.find((check) => check.id === id)!, completeLabWith(mutate));
    expect(result.status).toBe('error');
    expect(result.cause).toContain(call);
  });
});
