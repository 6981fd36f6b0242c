import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deploy } from '../deploy/deploy.js';
import { READ_ONLY_COMMAND, type Run } from '../deploy/run.js';
import { teardown } from '../deploy/teardown.js';
import { exportModel } from '../scripts/export-model.js';
import { REGION, fakeAccount, type FakeAccount } from './fake-aws.js';

let modelDir: string;
let account: FakeAccount | undefined;
const lines: string[] = [];
const quiet = { sleep: async () => undefined, log: (line: string) => lines.push(line) };

beforeAll(async () => {
  modelDir = await mkdtemp(join(tmpdir(), 'sentiment-teardown-model-'));
  await exportModel(modelDir);
});
afterAll(() => rm(modelDir, { recursive: true, force: true }));
afterEach(() => {
  account?.restore();
  account = undefined;
  lines.length = 0;
});

async function deployed(academy = false, lingeringInterfaces = 0): Promise<FakeAccount> {
  const fake = fakeAccount({ academy, lingeringInterfaces });
  await deploy(fake.clients, {
    region: REGION,
    academy,
    dryRun: false,
    alertEmail: 'student@example.com',
    imageTag: '14.01.25',
    modelDir,
    docker: fake.docker,
    ...quiet,
    log: () => undefined,
  });
  return fake;
}

const mutating = (run: Run) => run.calls.filter((call) => !READ_ONLY_COMMAND.test(call.split(':')[1]!));

describe('teardown', () => {
  it('deletes everything in dependency order and confirms nothing billable remains', async () => {
    account = await deployed();
    const { run, billable } = await teardown(account.clients, { region: REGION, academy: false, dryRun: false, ...quiet });
    expect(run.steps.filter((step) => step.state === 'deleted').map((step) => `${step.resource} ${step.name}`)).toEqual([
      'alarm sentiment-app-unhealthy-targets',
      'ECS service sentiment-app-service',
      'task definition sentiment-app-task:1',
      'ECS cluster sentiment-app-cluster',
      'listener HTTP:80',
      'load balancer sentiment-app-alb',
      'target group sentiment-app-target-group',
      'NAT gateway sentiment-app-nat',
      'elastic IP sentiment-app-nat-eip',
      'route table public-route-table',
      'route table private-route-table',
      'internet gateway sentiment-app-igw',
      'subnet public-subnet-1',
      'subnet public-subnet-2',
      'subnet private-subnet-1',
      'subnet private-subnet-2',
      'security group sentiment-app-service-sg',
      'security group sentiment-app-alb-sg',
      'VPC sentiment-app-vpc',
      'log group /ecs/sentiment-app',
      'ECR repository sentiment-app',
      `bucket sentiment-app-models-123456789012-${REGION}`,
      'budget sentiment-app-monthly-cost',
      'IAM role sentiment-app-task-execution-role',
      'IAM role sentiment-app-task-role',
    ]);
    const order = (call: string) => run.calls.indexOf(call);
    expect(order('ecs:UpdateService')).toBeLessThan(order('ecs:DeleteService'));
    expect(order('ec2:DetachInternetGateway')).toBeLessThan(order('ec2:DeleteInternetGateway'));
    expect(order('s3:DeleteObjects')).toBeLessThan(order('s3:DeleteBucket'));
    expect(billable).toEqual([]);
    expect(lines.at(-1)).toBe(`Nothing billable remains in ${REGION}: no NAT gateway, elastic IP or load balancer.`);
    const { state } = account;
    expect([state.vpcs, state.subnets, state.securityGroups, state.loadBalancers, state.targetGroups, state.addresses, state.services.filter((s) => s.status === 'ACTIVE')].every((list) => list.length === 0)).toBe(true);
    expect([state.buckets.size, state.repositories.size, state.roles.size, state.budgets.size, state.logGroups.size, state.alarms.size]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('is idempotent: a second run finds everything absent and changes nothing', async () => {
    account = await deployed();
    await teardown(account.clients, { region: REGION, academy: false, dryRun: false, ...quiet });
    const second = await teardown(account.clients, { region: REGION, academy: false, dryRun: false, ...quiet });
    expect(mutating(second.run)).toEqual([]);
    expect(second.run.steps.every((step) => step.state === 'absent')).toBe(true);
  });

  it('--dry-run lists what it would delete and sends only read calls', async () => {
    account = await deployed();
    const { run } = await teardown(account.clients, { region: REGION, academy: false, dryRun: true, ...quiet });
    expect(mutating(run)).toEqual([]);
    expect(run.steps.filter((step) => step.state === 'would delete')).toHaveLength(25);
    expect(account.state.natGateways[0]?.State).toBe('available');
    expect(account.state.vpcs).toHaveLength(1);
  });

  it('keeps LabRole in an academy account', async () => {
    account = await deployed(true);
    const { run } = await teardown(account.clients, { region: REGION, academy: true, dryRun: false, ...quiet });
    expect(run.calls.some((call) => call.startsWith('iam:') || call.startsWith('budgets:'))).toBe(false);
    expect(account.state.roles.has('LabRole')).toBe(true);
  });

  it('reports billable resources it did not create, without deleting them', async () => {
    account = await deployed();
    account.state.addresses.push({ AllocationId: 'eipalloc-0other', PublicIp: '198.51.100.7', Domain: 'vpc', Tags: [{ Key: 'Name', Value: 'someone-else' }] });
    const { billable } = await teardown(account.clients, { region: REGION, academy: false, dryRun: false, ...quiet });
    expect(billable).toEqual([{ kind: 'elastic IP', id: 'eipalloc-0other', lab: false }]);
    expect(lines.at(-1)).toBe('still billing: elastic IP eipalloc-0other (not created by the deploy)');
  });

  it('waits while a subnet is still in use by lingering network interfaces, then deletes it', async () => {
    account = await deployed(false, 2);
    const { run, billable } = await teardown(account.clients, { region: REGION, academy: false, dryRun: false, ...quiet });
    expect(run.calls.filter((call) => call === 'ec2:DeleteSubnet')).toHaveLength(6);
    expect(lines.filter((line) => line.includes('is still in use'))).toHaveLength(2);
    expect(account.state.vpcs).toEqual([]);
    expect(billable).toEqual([]);
  });
});
