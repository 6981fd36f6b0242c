// The load balancer checks on fixtures: the complete lab passes every check, and each typical
// mistake changes only the checks that grade it, with a hint naming the resource and what to do.
import { describe, expect, it } from 'vitest';
import { elbChecks } from './index.js';
import { alb, listener, PRIVATE_1, PRIVATE_2, targetGroup } from '../../test/support/complete-lab.js';
import { completeLabWith, denied, example } from '../../test/support/fixtures.js';
import { gradeChecks, type Mistake, testMistakes } from '../../test/support/mistakes.js';

const mistakes: Mistake[] = [
  {
    name: 'internal ALB',
    mutate: (s) => {
      alb(s).Scheme = 'internal';
    },
    expected: { 'elb.load-balancer': { status: 'partial', fraction: 6 / 7, says: ['sentiment-app-alb is internal', 'internet-facing'] } },
  },
  {
    name: 'ALB in the private subnets',
    mutate: (s) => {
      alb(s).AvailabilityZones = [
        { ZoneName: 'eu-west-1a', SubnetId: PRIVATE_1 },
        { ZoneName: 'eu-west-1b', SubnetId: PRIVATE_2 },
      ];
    },
    expected: {
      'elb.load-balancer': {
        status: 'partial',
        fraction: 6 / 7,
        says: ['private-subnet-1 (subnet-0aa11bb22cc33dd03) (private subnet, eu-west-1a)', 'place it in the public subnets public-subnet-1 (subnet-0aa11bb22cc33dd01), public-subnet-2'],
      },
    },
  },
  {
    name: 'listener on another port',
    mutate: (s) => {
      listener(s).Port = 8080;
    },
    expected: { 'elb.listener': { status: 'fail', says: ['Add a listener for HTTP on port 80', 'HTTP:8080 → forward to sentiment-app-target-group'] } },
  },
  {
    name: 'target type instance',
    mutate: (s) => {
      targetGroup(s).TargetType = 'instance';
    },
    expected: { 'elb.target-group': { status: 'partial', fraction: 0.8, says: ['target type instance', 'IP addresses'] } },
  },
  {
    name: 'health check on /',
    mutate: (s) => {
      targetGroup(s).HealthCheckPath = '/';
    },
    expected: { 'elb.target-group': { status: 'partial', fraction: 0.8, says: ['health check path', 'to /health (it is /)'] } },
  },
  {
    name: 'a listener on port 80 with a fixed response',
    mutate: (s) => {
      listener(s).DefaultActions = [{ Type: 'fixed-response' }];
    },
    expected: { 'elb.listener': { status: 'partial', fraction: 0.5, says: ['forward to target group sentiment-app-target-group', 'HTTP:80 → fixed-response'] } },
  },
];

describe('elb checks', () => {
  it('has a check for every load balancer id of the rubric', () => {
    expect(elbChecks.map((check) => check.id)).toEqual(['elb.load-balancer', 'elb.listener', 'elb.target-group']);
  });

  it('passes every check on the complete lab', () => {
    const results = gradeChecks(example('complete-lab'), { checks: elbChecks });
    expect(Object.values(results).map((result) => result.status)).toEqual(elbChecks.map(() => 'pass'));
  });

  testMistakes(mistakes);

  it('makes a listener check error, not fail, when the listeners could not be read', () => {
    const results = gradeChecks(
      completeLabWith((s) => {
        for (const key of Object.keys(s.facts.listeners)) s.facts.listeners[key] = denied('elasticloadbalancing:DescribeListeners');
      }),
    );
    expect(results['elb.listener']).toMatchObject({ status: 'error', cause: expect.stringContaining('DescribeListeners') });
  });
});
