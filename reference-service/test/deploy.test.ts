import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CreateVpcCommand } from '@aws-sdk/client-ec2';
import { EXIT_INCOMPLETE, deploy, incompleteReport, type DeployOptions } from '../deploy/deploy.js';
import { LAB } from '../deploy/lab.js';
import { READ_ONLY_COMMAND, Run, explainFailure } from '../deploy/run.js';
import { exportModel } from '../scripts/export-model.js';
import { ACCOUNT, REGION, fakeAccount, type FakeAccount } from './fake-aws.js';

const rubric = parse(readFileSync(new URL(import.meta.resolve('lab-grader/rubric.yaml')), 'utf8')) as {
  params: {
    network: { vpcName: string; vpcCidr: string; publicSubnetCidrs: string[]; privateSubnetCidrs: string[]; internetGatewayName: string; albPort: number; appPort: number };
    loadBalancer: { healthCheckPath: string };
    ecs: { cpu: number; memoryMiB: number; cpuArchitecture: string; operatingSystemFamily: string; minDesiredCount: number };
    repository: { encryption: string };
  };
};

let modelDir: string;
let account: FakeAccount | undefined;
const lines: string[] = [];

beforeAll(async () => {
  modelDir = await mkdtemp(join(tmpdir(), 'sentiment-deploy-model-'));
  await exportModel(modelDir);
});
afterAll(() => rm(modelDir, { recursive: true, force: true }));
afterEach(() => {
  account?.restore();
  account = undefined;
  lines.length = 0;
});

function options(fake: FakeAccount, extra: Partial<DeployOptions> = {}): DeployOptions {
  return {
    region: REGION,
    academy: false,
    dryRun: false,
    alertEmail: 'student@example.com',
    imageTag: '14.01.25',
    modelDir,
    repoRoot: '/repo',
    docker: fake.docker,
    sleep: async () => undefined,
    log: (line) => lines.push(line),
    ...extra,
  };
}

const mutating = (run: Run) => run.calls.filter((call) => !READ_ONLY_COMMAND.test(call.split(':')[1]!));
const created = (run: Run) => run.steps.filter((step) => step.state === 'created').map((step) => `${step.resource} ${step.name}`);

describe('deploy into an empty account', () => {
  it('creates every resource in dependency order and prints the ALB URL', async () => {
    account = fakeAccount();
    const { run, albUrl } = await deploy(account.clients, options(account));
    expect(created(run)).toEqual([
      `budget ${LAB.budgetName}`,
      `bucket sentiment-app-models-${ACCOUNT}-${REGION}`,
      `model artifact s3://sentiment-app-models-${ACCOUNT}-${REGION}/model/lexicon.json`,
      `model artifact s3://sentiment-app-models-${ACCOUNT}-${REGION}/model/metadata.json`,
      'ECR repository sentiment-app',
      `image ${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/sentiment-app:14.01.25`,
      'VPC sentiment-app-vpc',
      'subnet public-subnet-1',
      'subnet public-subnet-2',
      'subnet private-subnet-1',
      'subnet private-subnet-2',
      'internet gateway sentiment-app-igw',
      'route table public-route-table',
      'elastic IP sentiment-app-nat-eip',
      'NAT gateway sentiment-app-nat',
      'route table private-route-table',
      'security group sentiment-app-alb-sg',
      'security group sentiment-app-service-sg',
      'target group sentiment-app-target-group',
      'load balancer sentiment-app-alb',
      'listener HTTP:80',
      'ECS cluster sentiment-app-cluster',
      'log group /ecs/sentiment-app',
      'IAM role sentiment-app-task-execution-role',
      'IAM role sentiment-app-task-role',
      'task definition sentiment-app-task',
      'alarm sentiment-app-unhealthy-targets',
      'ECS service sentiment-app-service',
    ]);
    const order = (call: string) => run.calls.indexOf(call);
    expect(order('ec2:CreateNatGateway')).toBeGreaterThan(order('ec2:AllocateAddress'));
    expect(order('elasticloadbalancing:CreateListener')).toBeLessThan(order('ecs:CreateService'));
    expect(run.calls.lastIndexOf('elasticloadbalancing:DescribeTargetHealth')).toBeGreaterThan(order('ecs:CreateService'));
    expect(albUrl).toBe(`http://sentiment-app-alb-1234567890.${REGION}.elb.amazonaws.com`);
    expect(lines.at(-1)).toContain(albUrl);
  });

  it('creates what the rubric asks for, with the parameters that earn the points', async () => {
    account = fakeAccount();
    await deploy(account.clients, options(account));
    const { state } = account;
    const network = rubric.params.network;
    expect(state.vpcs.map((vpc) => [vpc.CidrBlock, vpc.Tags?.find((tag) => tag.Key === 'Name')?.Value])).toEqual([[network.vpcCidr, network.vpcName]]);
    const cidrsOf = (prefix: string) => state.subnets.filter((subnet) => subnet.Tags?.[0]?.Value?.startsWith(prefix)).map((subnet) => subnet.CidrBlock);
    expect(cidrsOf('public')).toEqual(network.publicSubnetCidrs);
    expect(cidrsOf('private')).toEqual(network.privateSubnetCidrs);
    expect(new Set(state.subnets.map((subnet) => subnet.AvailabilityZone))).toEqual(new Set(['eu-west-1a', 'eu-west-1b']));
    expect(state.internetGateways[0]?.Tags?.[0]?.Value).toBe(network.internetGatewayName);

    const [publicTable, privateTable] = state.routeTables;
    const publicSubnetIds = state.subnets.slice(0, 2).map((subnet) => subnet.SubnetId);
    const privateSubnetIds = state.subnets.slice(2).map((subnet) => subnet.SubnetId);
    expect(publicTable?.Routes).toContainEqual(expect.objectContaining({ DestinationCidrBlock: '0.0.0.0/0', GatewayId: state.internetGateways[0]?.InternetGatewayId }));
    expect(publicTable?.Associations?.map((association) => association.SubnetId)).toEqual(publicSubnetIds);
    expect(privateTable?.Routes).toContainEqual(expect.objectContaining({ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: state.natGateways[0]?.NatGatewayId }));
    expect(privateTable?.Associations?.map((association) => association.SubnetId)).toEqual(privateSubnetIds);
    expect(state.natGateways[0]).toMatchObject({ SubnetId: publicSubnetIds[0], NatGatewayAddresses: [{ AllocationId: state.addresses[0]?.AllocationId }] });

    const [albGroup, appGroup] = state.securityGroups;
    expect(albGroup?.IpPermissions).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: network.albPort, ToPort: network.albPort, IpRanges: [expect.objectContaining({ CidrIp: '0.0.0.0/0' })] })]);
    expect(appGroup?.IpPermissions).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: network.appPort, ToPort: network.appPort, UserIdGroupPairs: [expect.objectContaining({ GroupId: albGroup?.GroupId })] }),
    ]);

    expect(state.targetGroups[0]).toMatchObject({ TargetType: 'ip', Protocol: 'HTTP', Port: network.appPort, HealthCheckPath: rubric.params.loadBalancer.healthCheckPath });
    expect(state.loadBalancers[0]).toMatchObject({ Scheme: 'internet-facing', Type: 'application', SecurityGroups: [albGroup?.GroupId] });
    expect(state.loadBalancers[0]?.AvailabilityZones?.map((zone) => zone.SubnetId)).toEqual(publicSubnetIds);
    expect(state.listeners[0]).toMatchObject({ Protocol: 'HTTP', Port: network.albPort, DefaultActions: [{ Type: 'forward', TargetGroupArn: state.targetGroups[0]?.TargetGroupArn }] });

    const bucket = `sentiment-app-models-${ACCOUNT}-${REGION}`;
    expect(state.publicAccessBlocks.get(bucket)).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    expect([...state.buckets.get(bucket)!.keys()]).toEqual(['model/lexicon.json', 'model/metadata.json']);
    expect(state.repositories.get('sentiment-app')?.encryptionConfiguration?.encryptionType).toBe(rubric.params.repository.encryption);

    const definition = state.taskDefinitions[0]!;
    const ecs = rubric.params.ecs;
    expect(definition).toMatchObject({
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(ecs.cpu),
      memory: String(ecs.memoryMiB),
      runtimePlatform: { operatingSystemFamily: ecs.operatingSystemFamily, cpuArchitecture: ecs.cpuArchitecture },
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/${LAB.executionRoleName}`,
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/${LAB.taskRoleName}`,
    });
    const container = definition.containerDefinitions![0]!;
    expect(container.portMappings).toEqual([expect.objectContaining({ containerPort: network.appPort })]);
    expect(container.environment).toContainEqual({ name: 'MODEL_S3_URI', value: `s3://${bucket}/model` });
    expect(container.logConfiguration).toMatchObject({ logDriver: 'awslogs', options: { 'awslogs-group': LAB.logGroupName } });
    expect(state.services[0]).toMatchObject({
      desiredCount: ecs.minDesiredCount,
      launchType: 'FARGATE',
      taskDefinition: definition.taskDefinitionArn,
      networkConfiguration: { awsvpcConfiguration: { subnets: privateSubnetIds, securityGroups: [appGroup?.GroupId], assignPublicIp: 'DISABLED' } },
      loadBalancers: [{ targetGroupArn: state.targetGroups[0]?.TargetGroupArn, containerName: LAB.containerName, containerPort: network.appPort }],
    });
    expect(state.budgets.get(LAB.budgetName)).toMatchObject({
      Budget: { BudgetType: 'COST', TimeUnit: 'MONTHLY' },
      NotificationsWithSubscribers: [{ Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'student@example.com' }] }],
    });
    expect(state.alarms.get(LAB.alarmName)).toMatchObject({ Namespace: 'AWS/ApplicationELB', MetricName: 'UnHealthyHostCount' });
    expect(state.alarms.get(LAB.alarmName)?.Dimensions).toContainEqual({ Name: 'TargetGroup', Value: 'targetgroup/sentiment-app-target-group/73e2d6bc24d8a067' });
  });

  it('logs in to ECR with the password on stdin, then builds for linux/amd64 and pushes', async () => {
    account = fakeAccount();
    await deploy(account.clients, options(account));
    expect(account.docker.commands[0]).toEqual(['login', '--username', 'AWS', '--password-stdin', `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`]);
    expect(account.docker.commands[0]!.join(' ')).not.toContain('example-registry-password');
    expect(account.docker.commands[1]).toEqual([
      'buildx', 'build', '--platform', 'linux/amd64', '-f', 'reference-service/Dockerfile',
      '-t', `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/sentiment-app:14.01.25`, '--push', '/repo',
    ]);
    expect(lines.join('\n')).not.toContain('example-registry-password');
  });
});

describe('deploy is idempotent', () => {
  it('a second run against the deployed account creates nothing', async () => {
    account = fakeAccount();
    await deploy(account.clients, options(account));
    const second = await deploy(account.clients, options(account));
    expect(mutating(second.run)).toEqual([]);
    expect(second.run.steps.filter((step) => step.resource !== 'wait').every((step) => step.state === 'exists')).toBe(true);
    expect(account.docker.commands).toHaveLength(2);
  });

  it('recreates only what went missing: a deleted NAT gateway, and the private route that pointed at it', async () => {
    account = fakeAccount();
    await deploy(account.clients, options(account));
    account.state.natGateways[0]!.State = 'deleted';
    account.state.routeTables[1]!.Routes!.find((route) => route.NatGatewayId)!.State = 'blackhole';
    const second = await deploy(account.clients, options(account));
    expect(mutating(second.run)).toEqual(['ec2:CreateNatGateway', 'ec2:ReplaceRoute']);
  });
});

describe('deploy --dry-run', () => {
  it('plans the whole lab in an empty account and sends only Describe/List/Get/Head calls', async () => {
    account = fakeAccount();
    const { run } = await deploy(account.clients, options(account, { dryRun: true }));
    expect(mutating(run)).toEqual([]);
    expect(run.steps.filter((step) => step.state === 'would create')).toHaveLength(28);
    expect(account.state.vpcs).toEqual([]);
    expect(account.docker.commands).toEqual([]);
    expect(lines.at(-1)).toMatch(/dry run: \d+ change\(s\) planned, nothing was changed/);
  });

  it('finds nothing to do in a deployed account', async () => {
    account = fakeAccount();
    await deploy(account.clients, options(account));
    lines.length = 0;
    const { run } = await deploy(account.clients, options(account, { dryRun: true }));
    expect(run.steps.filter((step) => step.state !== 'exists')).toEqual([]);
    expect(lines.at(-1)).toContain('0 change(s) planned');
  });

  it('refuses to send a mutating command even if a step tried', async () => {
    account = fakeAccount();
    const run = new Run(account.clients, { dryRun: true, log: () => undefined });
    await expect(run.clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).rejects.toThrow('dry run: refusing to send ec2:CreateVpc');
  });
});

describe('deploy in an AWS Academy account', () => {
  it('uses LabRole for both roles and creates no budget or IAM role', async () => {
    account = fakeAccount({ academy: true });
    const { run } = await deploy(account.clients, options(account, { academy: true, alertEmail: undefined }));
    expect(run.calls.filter((call) => call.startsWith('iam:'))).toEqual(['iam:GetRole']);
    expect(run.calls.some((call) => call.startsWith('budgets:'))).toBe(false);
    expect(account.state.taskDefinitions[0]).toMatchObject({
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/LabRole`,
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/LabRole`,
    });
  });
});

describe('deploy where Docker is missing', () => {
  it('builds the rest, names the missing image and service with the commands that complete them, and completes the service on the next run', async () => {
    account = fakeAccount({ docker: false });
    const first = await deploy(account.clients, options(account));
    expect(first.missing.map((missing) => missing.part)).toEqual([
      expect.stringMatching(/^image \d+\.dkr\.ecr\..*:14\.01\.25 \(Docker is not available here\)/),
      expect.stringMatching(/^ECS service sentiment-app-service/),
    ]);
    expect(first.missing[0]!.commands).toEqual([
      `aws ecr get-login-password --region ${REGION} | docker login --username AWS --password-stdin ${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`,
      `docker buildx build --platform linux/amd64 -f reference-service/Dockerfile -t ${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/sentiment-app:14.01.25 --push .`,
    ]);
    const report = incompleteReport(first.missing, 'npm run deploy -w reference-service -- --region eu-west-1');
    expect(report[0]).toBe(`Deploy incomplete: 2 part(s) missing (exit code ${EXIT_INCOMPLETE}).`);
    expect(report).toContain('    npm run deploy -w reference-service -- --region eu-west-1 --image <image URI>');
    expect(first.albUrl).toBeUndefined();
    expect(account.state.services).toEqual([]);
    expect(account.state.loadBalancers).toHaveLength(1);

    account.state.repositories.get('sentiment-app')!.tags.add('14.01.25');
    const second = await deploy(account.clients, options(account));
    expect(mutating(second.run)).toEqual(['ecs:CreateService']);
    expect(second.missing).toEqual([]);
    expect(second.albUrl).toMatch(/^http:\/\/sentiment-app-alb-/);
  });

  it('with --image of a pushed ECR image, builds nothing and runs that image', async () => {
    account = fakeAccount({ docker: false });
    account.state.repositories.set('sentiment-app', {
      repositoryName: 'sentiment-app',
      repositoryUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/sentiment-app`,
      encryptionConfiguration: { encryptionType: 'AES256' },
      tags: new Set(['v7']),
    });
    const uri = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/sentiment-app:v7`;
    const { run, missing } = await deploy(account.clients, options(account, { image: uri }));
    expect(missing).toEqual([]);
    expect(account.docker.commands).toEqual([]);
    expect(run.steps.find((step) => step.resource === 'image')).toMatchObject({ state: 'exists', name: uri });
    expect(account.state.taskDefinitions.at(-1)?.containerDefinitions?.[0]?.image).toBe(uri);
    expect(account.state.services).toHaveLength(1);
  });

  it('with --image of a public image, uses it as given', async () => {
    account = fakeAccount({ docker: false });
    const uri = 'public.ecr.aws/example/sentiment-app:1.0';
    const { missing } = await deploy(account.clients, options(account, { image: uri }));
    expect(missing).toEqual([]);
    expect(account.state.taskDefinitions.at(-1)?.containerDefinitions?.[0]?.image).toBe(uri);
  });

  it('with --image of an ECR image that was never pushed, stops before the task definition and says so', async () => {
    account = fakeAccount({ docker: false });
    const uri = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/sentiment-app:never-pushed`;
    await expect(deploy(account.clients, options(account, { image: uri }))).rejects.toThrow(/is not in the sentiment-app repository .*push it first/);
    expect(account.state.taskDefinitions).toEqual([]);
  });

  it('asks for an alert address before creating a budget in an own account', async () => {
    account = fakeAccount();
    await expect(deploy(account.clients, options(account, { alertEmail: undefined }))).rejects.toThrow(/--alert-email/);
  });
});

describe('a failed run', () => {
  it('says what to do for missing credentials and that a rerun continues', () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    expect(explainFailure('deploy', error)).toBe(
      'deploy failed: CredentialsProviderError: Could not load credentials from any providers\n' +
        '  → configure AWS credentials (`aws configure`, `aws sso login`, or pass --profile NAME)\n' +
        '  Everything done so far stays; running the deploy again continues from there.',
    );
  });
});
