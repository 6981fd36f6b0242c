// The ECS checks on fixtures: the complete lab passes every check, and each typical mistake
// changes only the checks that grade it.
import { describe, expect, it } from 'vitest';
import { checksById } from '../index.js';
import { ecsChecks } from './index.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { CLUSTER, LOG_GROUP, networkOf, PUBLIC_SUBNETS, serviceOf, TARGET_GROUP, TASK_DEFINITION, taskDefinitionOf } from '../../test/support/complete-lab.js';
import { completeLabWith, dataOf, denied, example, labOf, labParams, runCheck } from '../../test/support/fixtures.js';
import { gradeChecks, type Mistake, testMistakes, testNamesAreData, testUnreadable } from '../../test/support/mistakes.js';

const mistakes: Mistake[] = [
  {
    name: 'service in the public subnets',
    mutate: (s) => networkOf(s).forEach((network) => network && (network.subnets = PUBLIC_SUBNETS)),
    expected: {
      'ecs.service-network': {
        status: 'partial',
        says: [
          'in the private subnets private-subnet-1 (subnet-0aa11bb22cc33dd03), private-subnet-2 (subnet-0aa11bb22cc33dd04), not in public-subnet-1 (subnet-0aa11bb22cc33dd01) and public-subnet-2 (subnet-0aa11bb22cc33dd02) (public subnets of the lab)',
        ],
      },
    },
  },
  {
    name: 'a public IP on the tasks',
    mutate: (s) => networkOf(s).forEach((network) => network && (network.assignPublicIp = 'ENABLED')),
    expected: { 'ecs.service-network': { status: 'partial', says: ['Turn the public IP off'] } },
  },
  {
    name: '0.5 vCPU',
    mutate: (s) => void (taskDefinitionOf(s).cpu = '512'),
    expected: { 'ecs.task-definition': { status: 'partial', says: ['1 vCPU / 3 GB'] } },
  },
  {
    name: 'an image not from ECR',
    mutate: (s) => void ((taskDefinitionOf(s).containerDefinitions ?? [])[0]!.image = 'docker.io/student/sentiment-app:latest'),
    expected: { 'ecs.task-definition': { status: 'partial', says: ["an image from the lab's ECR repository"] } },
  },
  {
    name: 'no awslogs log configuration',
    mutate: (s) => void delete (taskDefinitionOf(s).containerDefinitions ?? [])[0]!.logConfiguration,
    expected: { 'ecs.task-definition': { status: 'partial', says: ['awslogs'] } },
  },
  {
    name: 'no load balancer on the service',
    mutate: (s) => void (serviceOf(s).loadBalancers = []),
    expected: { 'ecs.service-load-balancer': { status: 'fail', says: ['has no load balancer'] } },
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
    expected: { 'ecs.service-running': { status: 'fail', says: ['0 of 1 tasks run'] } },
  },
  {
    name: 'unhealthy targets',
    mutate: (s) => {
      const target = dataOf(s.facts.targetHealth[TARGET_GROUP]!)[0]!;
      target.TargetHealth = { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch' };
    },
    expected: { 'ecs.service-running': { status: 'fail', says: ['0 healthy and 1 unhealthy targets'] } },
  },
  {
    name: 'an INACTIVE cluster',
    mutate: (s) => void (dataOf(s.facts.clusters)[0]!.status = 'INACTIVE'),
    expected: { 'ecs.cluster': { status: 'fail' } },
  },
  {
    name: 'an EC2 launch type and 0 desired tasks',
    mutate: (s) => {
      const service = serviceOf(s);
      service.launchType = 'EC2';
      service.desiredCount = 0;
      service.runningCount = 0;
    },
    expected: { 'ecs.service': { status: 'fail' }, 'ecs.service-running': { status: 'fail' } },
  },
];

describe('ecs checks on the complete lab', () => {
  it('pass every check', () => {
    const results = gradeChecks(example('complete-lab'), { checks: ecsChecks });
    expect(Object.values(results).map((result) => result.status)).toEqual(ecsChecks.map(() => 'pass'));
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

describe('each mistake misses only its own step', () => {
  testMistakes(mistakes);
});

describe('what the lab allows', () => {
  const taskDefinition = checksById.get('ecs.task-definition')!;
  it('accepts a task definition without runtimePlatform (Fargate defaults to Linux/X86_64) and says so', () => {
    const result = runCheck(taskDefinition, completeLabWith((s) => void delete taskDefinitionOf(s).runtimePlatform));
    expect(result.status).toBe('pass');
    expect(result.notes?.join(' ')).toContain('defaults to Linux/X86_64');
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

describe('unreadable facts are errors, never fails', () => {
  const cases: [string, (s: Snapshot) => void, string][] = [
    ['ecs.cluster', (s: Snapshot) => void (s.facts.clusters = denied('ecs:DescribeClusters')), 'ecs:DescribeClusters'],
    ['ecs.service', (s: Snapshot) => void (s.facts.services[CLUSTER] = denied('ecs:DescribeServices')), 'ecs:DescribeServices'],
    ['ecs.task-definition', (s: Snapshot) => void (s.facts.taskDefinitions = {}), 'ecs:DescribeTaskDefinition'],
    ['ecs.service-network', (s: Snapshot) => void (s.facts.subnets = denied('ec2:DescribeSubnets')), 'ec2:DescribeSubnets'],
    ['ecs.service-network', (s: Snapshot) => void (s.facts.securityGroups = denied('ec2:DescribeSecurityGroups')), 'ec2:DescribeSecurityGroups'],
    ['ecs.service-running', (s: Snapshot) => void (s.facts.targetHealth[TARGET_GROUP] = denied('elasticloadbalancing:DescribeTargetHealth')), 'DescribeTargetHealth'],
  ];
  testUnreadable(cases);
});

describe('names are data, never object keys', () => {
  testNamesAreData([{ resource: 'the cluster', name: 'sentiment-app-cluster' }]);
});
