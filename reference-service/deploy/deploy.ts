// Deploys the whole lab into an account, idempotently: each step finds its resource by
// name or Name tag and creates only what is missing, in dependency order.
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBudgetCommand, DescribeBudgetCommand } from '@aws-sdk/client-budgets';
import { DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLogGroupCommand, DescribeLogGroupsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeAddressesCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  ReplaceRouteCommand,
  type IpPermission,
  type RouteTable,
  type SecurityGroup,
  type TagSpecification,
  type ResourceType,
} from '@aws-sdk/client-ec2';
import { CreateRepositoryCommand, DescribeImagesCommand, DescribeRepositoriesCommand, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type RegisterTaskDefinitionCommandInput,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AttachRolePolicyCommand, CreateRoleCommand, GetRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { Command, Option } from 'commander';
import { sourceTag } from './image-tag.js';
import { LAB, bucketName, imageUri, modelS3Uri, projectTags, registryHost, registryImage, type DeployTarget } from './lab.js';
import { Run, byName, createClients, explainFailure, isNotFound, isPlanned, type Clients, type RunOptions } from './run.js';

export interface DeployOptions extends RunOptions {
  region: string;
  academy: boolean;
  imageTag?: string;
  /** An existing image (ECR or public) to run: nothing is built or pushed. */
  image?: string;
  alertEmail?: string;
  /** Skip the final wait for healthy targets (tests, or a deploy without an image yet). */
  waitForHealthy?: boolean;
}

/** A part the deploy could not build here, and the commands that complete it. */
export interface MissingPart {
  part: string;
  commands: string[];
}

export interface DeployResult {
  target: DeployTarget;
  albUrl?: string;
  imagePushed: boolean;
  run: Run;
  /** Empty when the lab is complete (or in a dry run). */
  missing: MissingPart[];
}

/** The deploy's exit code when it built what it could but skipped a part (listed with the commands that complete it). */
export const EXIT_INCOMPLETE = 4;

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../model/', import.meta.url));

function tags(resourceType: ResourceType, name: string): TagSpecification[] {
  return [{ ResourceType: resourceType, Tags: [{ Key: 'Name', Value: name }, ...projectTags] }];
}

async function identity(run: Run, options: DeployOptions): Promise<DeployTarget> {
  const caller = await run.clients.sts.send(new GetCallerIdentityCommand({}));
  const target: DeployTarget = {
    region: options.region,
    accountId: caller.Account!,
    academy: options.academy,
    imageTag: options.imageTag ?? (await sourceTag(run.repoRoot ?? REPO_ROOT)),
    ...(options.image ? { image: options.image } : {}),
    ...(options.alertEmail ? { alertEmail: options.alertEmail } : {}),
  };
  run.log(`account ${target.accountId}, region ${target.region}, ${target.academy ? 'academy (LabRole)' : 'own account'}`);
  return target;
}

export async function budget(run: Run, target: DeployTarget): Promise<void> {
  if (target.academy) return run.record({ resource: 'budget', name: LAB.budgetName, state: 'skipped', detail: 'academy accounts cannot create budgets' });
  try {
    await run.clients.budgets.send(new DescribeBudgetCommand({ AccountId: target.accountId, BudgetName: LAB.budgetName }));
    run.exists('budget', LAB.budgetName, LAB.budgetName);
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (!target.alertEmail && !run.dryRun) throw new Error('the budget alert needs an address: pass --alert-email you@example.com (or --academy)');
  await run.create('budget', LAB.budgetName, `monthly COST budget of $${LAB.budgetLimitUsd}, email at ${LAB.budgetAlertPercent}% of actual cost`, async () => {
    await run.clients.budgets.send(
      new CreateBudgetCommand({
        AccountId: target.accountId,
        Budget: {
          BudgetName: LAB.budgetName,
          BudgetType: 'COST',
          TimeUnit: 'MONTHLY',
          BudgetLimit: { Amount: String(LAB.budgetLimitUsd), Unit: 'USD' },
        },
        NotificationsWithSubscribers: [
          {
            Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: LAB.budgetAlertPercent, ThresholdType: 'PERCENTAGE' },
            Subscribers: [{ SubscriptionType: 'EMAIL', Address: target.alertEmail! }],
          },
        ],
      }),
    );
    return LAB.budgetName;
  });
}

export async function bucket(run: Run, target: DeployTarget): Promise<string> {
  const name = bucketName(target);
  try {
    await run.clients.s3.send(new HeadBucketCommand({ Bucket: name, ExpectedBucketOwner: target.accountId }));
    return run.exists('bucket', name, name);
  } catch (error) {
    if ((error as Error).name === 'Forbidden') throw new Error(`the bucket name ${name} belongs to another account, or this identity may not read it`, { cause: error });
    if (!isNotFound(error)) throw error;
  }
  return run.create('bucket', name, 'private: all four public access blocks on', async () => {
    await run.clients.s3.send(
      new CreateBucketCommand({
        Bucket: name,
        ...(target.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: target.region as BucketLocationConstraint } }),
      }),
    );
    await run.clients.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: name,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      }),
    );
    return name;
  });
}

/** Uploads each artifact whose size or MD5 differs from what the bucket holds. */
export async function modelArtifacts(run: Run, bucket: string): Promise<void> {
  const dir = run.modelDir ?? DEFAULT_MODEL_DIR;
  let files: string[];
  try {
    files = (await readdir(dir)).filter((file) => file.endsWith('.json')).sort();
  } catch {
    throw new Error(`no model artifacts in ${dir}: run \`npm run export-model -w reference-service\` first`);
  }
  if (files.length === 0) throw new Error(`no model artifacts in ${dir}: run \`npm run export-model -w reference-service\` first`);
  const stored = new Map<string, string>();
  if (!isPlanned(bucket)) {
    const listing = await run.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${LAB.modelPrefix}/` }));
    for (const object of listing.Contents ?? []) stored.set(object.Key!, `${object.Size}:${object.ETag?.replaceAll('"', '')}`);
  }
  for (const file of files) {
    const key = `${LAB.modelPrefix}/${file}`;
    const bytes = await readFile(join(dir, file));
    const md5 = createHash('md5').update(bytes).digest('hex');
    if (stored.get(key) === `${bytes.length}:${md5}`) {
      run.exists('model artifact', `s3://${bucket}/${key}`, md5);
      continue;
    }
    await run.create('model artifact', `s3://${bucket}/${key}`, `${bytes.length} bytes`, async () => {
      await run.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: 'application/json' }));
      return md5;
    });
  }
}

export async function repository(run: Run): Promise<string> {
  try {
    const found = await run.clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [LAB.repositoryName] }));
    const repo = found.repositories?.[0];
    if (repo) return run.exists('ECR repository', LAB.repositoryName, repo.repositoryUri!, `encryption ${repo.encryptionConfiguration?.encryptionType}`);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  return run.create('ECR repository', LAB.repositoryName, 'AES256 encryption', async () => {
    const created = await run.clients.ecr.send(
      new CreateRepositoryCommand({
        repositoryName: LAB.repositoryName,
        encryptionConfiguration: { encryptionType: 'AES256' },
        imageTagMutability: 'MUTABLE',
        tags: projectTags,
      }),
    );
    return created.repository!.repositoryUri!;
  });
}

/** The commands that build and push the image, for a machine with Docker. */
export function pushCommands(target: DeployTarget): string[] {
  return [
    `aws ecr get-login-password --region ${target.region} | docker login --username AWS --password-stdin ${registryHost(target)}`,
    `docker buildx build --platform linux/amd64 -f reference-service/Dockerfile -t ${imageUri(target)} --push .`,
  ];
}

/** The digest of an image in this account's ECR, or undefined when it is not there. */
async function storedDigest(run: Run, repositoryName: string, imageId: { imageTag: string } | { imageDigest: string }): Promise<string | undefined> {
  try {
    const found = await run.clients.ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [imageId] }));
    return found.imageDetails?.[0]?.imageDigest;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return undefined;
  }
}

/** An image given with --image: checked when it is in this account's ECR, else used as given. */
async function givenImage(run: Run, target: DeployTarget, uri: string): Promise<boolean> {
  const inRegistry = registryImage(target, uri);
  if (!inRegistry) {
    run.record({ resource: 'image', name: uri, state: 'exists', detail: 'given with --image; not built or pushed here' });
    return true;
  }
  const digest = await storedDigest(run, inRegistry.repositoryName, inRegistry.imageId);
  if (digest) {
    run.exists('image', uri, digest, 'given with --image');
    return true;
  }
  if (run.dryRun) {
    run.record({ resource: 'image', name: uri, state: 'skipped', detail: 'given with --image, but not in ECR' });
    return false;
  }
  throw new Error(`--image ${uri} is not in the ${inRegistry.repositoryName} repository of this account: push it first, or pass an image that exists`);
}

/** Returns true when the image is in the repository (already, or pushed now), or was given with --image. */
export async function image(run: Run, target: DeployTarget, repositoryUri: string): Promise<boolean> {
  if (target.image) return givenImage(run, target, target.image);
  const uri = imageUri(target);
  if (!isPlanned(repositoryUri)) {
    const digest = await storedDigest(run, LAB.repositoryName, { imageTag: target.imageTag });
    if (digest) {
      run.exists('image', uri, digest);
      return true;
    }
  }
  if (run.dryRun) {
    run.record({ resource: 'image', name: uri, state: 'would create', detail: 'docker buildx build --platform linux/amd64 --push' });
    return false;
  }
  if (!(await run.docker.available())) {
    run.record({ resource: 'image', name: uri, state: 'skipped', detail: 'docker is not available here' });
    return false;
  }
  const token = await run.clients.ecr.send(new GetAuthorizationTokenCommand({}));
  const [, password] = Buffer.from(token.authorizationData![0]!.authorizationToken!, 'base64').toString('utf8').split(':');
  await run.docker.run(['login', '--username', 'AWS', '--password-stdin', registryHost(target)], password);
  await run.docker.run(['buildx', 'build', '--platform', 'linux/amd64', '-f', 'reference-service/Dockerfile', '-t', uri, '--push', run.repoRoot ?? REPO_ROOT]);
  run.record({ resource: 'image', name: uri, state: 'created', detail: 'built for linux/amd64 and pushed' });
  return true;
}

export async function vpc(run: Run): Promise<string> {
  const found = await run.clients.ec2.send(new DescribeVpcsCommand({ Filters: byName(LAB.vpcName) }));
  const existing = found.Vpcs?.[0];
  if (existing) return run.exists('VPC', LAB.vpcName, existing.VpcId!, existing.CidrBlock);
  return run.create('VPC', LAB.vpcName, LAB.vpcCidr, async () => {
    const created = await run.clients.ec2.send(
      new CreateVpcCommand({ CidrBlock: LAB.vpcCidr, InstanceTenancy: 'default', TagSpecifications: tags('vpc', LAB.vpcName) }),
    );
    return created.Vpc!.VpcId!;
  });
}

export interface Subnets {
  publicSubnetIds: string[];
  privateSubnetIds: string[];
}

export async function subnets(run: Run, vpcId: string): Promise<Subnets> {
  const zones = await run.clients.ec2.send(
    new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'state', Values: ['available'] }, { Name: 'zone-type', Values: ['availability-zone'] }] }),
  );
  const zoneNames = (zones.AvailabilityZones ?? []).map((zone) => zone.ZoneName!).sort();
  if (zoneNames.length < 2) throw new Error(`the lab needs two availability zones; the region offers ${zoneNames.length}`);
  const existing = isPlanned(vpcId) ? [] : ((await run.clients.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets ?? []);
  const ensure = async (subnet: { name: string; cidr: string; az: number }): Promise<string> => {
    const match = existing.find((candidate) => candidate.Tags?.some((tag) => tag.Key === 'Name' && tag.Value === subnet.name));
    if (match) return run.exists('subnet', subnet.name, match.SubnetId!, `${match.CidrBlock} in ${match.AvailabilityZone}`);
    const zone = zoneNames[subnet.az]!;
    return run.create('subnet', subnet.name, `${subnet.cidr} in ${zone}`, async () => {
      const created = await run.clients.ec2.send(
        new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: subnet.cidr, AvailabilityZone: zone, TagSpecifications: tags('subnet', subnet.name) }),
      );
      return created.Subnet!.SubnetId!;
    });
  };
  const publicSubnetIds: string[] = [];
  for (const subnet of LAB.publicSubnets) publicSubnetIds.push(await ensure(subnet));
  const privateSubnetIds: string[] = [];
  for (const subnet of LAB.privateSubnets) privateSubnetIds.push(await ensure(subnet));
  return { publicSubnetIds, privateSubnetIds };
}

export async function internetGateway(run: Run, vpcId: string): Promise<string> {
  const found = await run.clients.ec2.send(new DescribeInternetGatewaysCommand({ Filters: byName(LAB.internetGatewayName) }));
  const existing = found.InternetGateways?.[0];
  let id: string;
  if (existing) {
    id = run.exists('internet gateway', LAB.internetGatewayName, existing.InternetGatewayId!);
  } else {
    id = await run.create('internet gateway', LAB.internetGatewayName, 'attached to the VPC', async () => {
      const created = await run.clients.ec2.send(new CreateInternetGatewayCommand({ TagSpecifications: tags('internet-gateway', LAB.internetGatewayName) }));
      const gatewayId = created.InternetGateway!.InternetGatewayId!;
      await run.clients.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId }));
      return gatewayId;
    });
    return id;
  }
  if (!existing.Attachments?.some((attachment) => attachment.VpcId === vpcId)) {
    await run.update('internet gateway', LAB.internetGatewayName, `attach to ${vpcId}`, () =>
      run.clients.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId })),
    );
  }
  return id;
}

/** A route table by Name tag, its default route and its subnet associations, each created when missing. */
export async function routeTable(
  run: Run,
  vpcId: string,
  name: string,
  subnetIds: string[],
  defaultRoute?: { GatewayId: string } | { NatGatewayId: string },
): Promise<string> {
  const existing: RouteTable | undefined = isPlanned(vpcId)
    ? undefined
    : (await run.clients.ec2.send(new DescribeRouteTablesCommand({ Filters: byName(name, vpcId) }))).RouteTables?.[0];
  const id = existing
    ? run.exists('route table', name, existing.RouteTableId!)
    : await run.create('route table', name, `in ${vpcId}`, async () => {
        const created = await run.clients.ec2.send(new CreateRouteTableCommand({ VpcId: vpcId, TagSpecifications: tags('route-table', name) }));
        return created.RouteTable!.RouteTableId!;
      });
  if (defaultRoute) {
    const [targetKey, targetId] = Object.entries(defaultRoute)[0] as ['GatewayId' | 'NatGatewayId', string];
    const route = existing?.Routes?.find((candidate) => candidate.DestinationCidrBlock === '0.0.0.0/0');
    if (!route) {
      await run.update('route table', name, `route 0.0.0.0/0 → ${targetId}`, () =>
        run.clients.ec2.send(new CreateRouteCommand({ RouteTableId: id, DestinationCidrBlock: '0.0.0.0/0', [targetKey]: targetId })),
      );
    } else if (route[targetKey] !== targetId || route.State === 'blackhole') {
      await run.update('route table', name, `replace route 0.0.0.0/0 → ${targetId}`, () =>
        run.clients.ec2.send(new ReplaceRouteCommand({ RouteTableId: id, DestinationCidrBlock: '0.0.0.0/0', [targetKey]: targetId })),
      );
    }
  }
  for (const subnetId of subnetIds) {
    if (existing?.Associations?.some((association) => association.SubnetId === subnetId)) continue;
    await run.update('route table', name, `associate ${subnetId}`, () =>
      run.clients.ec2.send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: subnetId })),
    );
  }
  return id;
}

export async function elasticIp(run: Run): Promise<string> {
  const found = await run.clients.ec2.send(new DescribeAddressesCommand({ Filters: byName(LAB.elasticIpName) }));
  const existing = found.Addresses?.[0];
  if (existing) return run.exists('elastic IP', LAB.elasticIpName, existing.AllocationId!, existing.PublicIp);
  return run.create('elastic IP', LAB.elasticIpName, 'for the NAT gateway', async () => {
    const created = await run.clients.ec2.send(new AllocateAddressCommand({ Domain: 'vpc', TagSpecifications: tags('elastic-ip', LAB.elasticIpName) }));
    return created.AllocationId!;
  });
}

export async function natGateway(run: Run, publicSubnetId: string, allocationId: string): Promise<string> {
  const found = await run.clients.ec2.send(
    new DescribeNatGatewaysCommand({ Filter: [...byName(LAB.natGatewayName), { Name: 'state', Values: ['pending', 'available'] }] }),
  );
  const existing = found.NatGateways?.[0];
  const id = existing
    ? run.exists('NAT gateway', LAB.natGatewayName, existing.NatGatewayId!, existing.State)
    : await run.create('NAT gateway', LAB.natGatewayName, `in ${publicSubnetId} with ${allocationId}`, async () => {
        const created = await run.clients.ec2.send(
          new CreateNatGatewayCommand({
            SubnetId: publicSubnetId,
            AllocationId: allocationId,
            ConnectivityType: 'public',
            TagSpecifications: tags('natgateway', LAB.natGatewayName),
          }),
        );
        return created.NatGateway!.NatGatewayId!;
      });
  if (existing?.State !== 'available') {
    await run.waitFor(`NAT gateway ${id} to be available`, async () => {
      const state = (await run.clients.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [id] }))).NatGateways?.[0]?.State;
      if (state === 'failed' || state === 'deleted') throw new Error(`NAT gateway ${id} is ${state}`);
      return state === 'available';
    }, { intervalMs: 15_000, attempts: 60 });
  }
  return id;
}

async function securityGroup(run: Run, vpcId: string, name: string, description: string, ingress: IpPermission, rule: string): Promise<string> {
  const existing: SecurityGroup | undefined = isPlanned(vpcId)
    ? undefined
    : (await run.clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }, { Name: 'vpc-id', Values: [vpcId] }] })))
        .SecurityGroups?.[0];
  if (!existing) {
    return run.create('security group', name, rule, async () => {
      const created = await run.clients.ec2.send(
        new CreateSecurityGroupCommand({ GroupName: name, Description: description, VpcId: vpcId, TagSpecifications: tags('security-group', name) }),
      );
      await run.clients.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: created.GroupId!, IpPermissions: [ingress] }));
      return created.GroupId!;
    });
  }
  const id = run.exists('security group', name, existing.GroupId!);
  const has = (existing.IpPermissions ?? []).some(
    (permission) =>
      permission.IpProtocol === ingress.IpProtocol &&
      permission.FromPort === ingress.FromPort &&
      permission.ToPort === ingress.ToPort &&
      ((ingress.IpRanges ?? []).every((range) => permission.IpRanges?.some((candidate) => candidate.CidrIp === range.CidrIp)) &&
        (ingress.UserIdGroupPairs ?? []).every((pair) => permission.UserIdGroupPairs?.some((candidate) => candidate.GroupId === pair.GroupId))),
  );
  if (!has) {
    await run.update('security group', name, rule, () =>
      run.clients.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [ingress] })),
    );
  }
  return id;
}

export async function securityGroups(run: Run, vpcId: string): Promise<{ albSecurityGroupId: string; appSecurityGroupId: string }> {
  const albSecurityGroupId = await securityGroup(
    run,
    vpcId,
    LAB.albSecurityGroupName,
    'Load balancer: HTTP from anywhere',
    { IpProtocol: 'tcp', FromPort: LAB.albPort, ToPort: LAB.albPort, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'HTTP from anywhere' }] },
    `tcp ${LAB.albPort} from 0.0.0.0/0`,
  );
  const appSecurityGroupId = await securityGroup(
    run,
    vpcId,
    LAB.appSecurityGroupName,
    'Sentiment app tasks: port 8000 from the load balancer',
    { IpProtocol: 'tcp', FromPort: LAB.appPort, ToPort: LAB.appPort, UserIdGroupPairs: [{ GroupId: albSecurityGroupId, Description: 'from the load balancer' }] },
    `tcp ${LAB.appPort} from ${LAB.albSecurityGroupName}`,
  );
  return { albSecurityGroupId, appSecurityGroupId };
}

export async function targetGroup(run: Run, vpcId: string): Promise<string> {
  try {
    const found = await run.clients.elb.send(new DescribeTargetGroupsCommand({ Names: [LAB.targetGroupName] }));
    const existing = found.TargetGroups?.[0];
    if (existing) return run.exists('target group', LAB.targetGroupName, existing.TargetGroupArn!);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  return run.create('target group', LAB.targetGroupName, `ip, HTTP ${LAB.appPort}, health check ${LAB.healthCheckPath}`, async () => {
    const created = await run.clients.elb.send(
      new CreateTargetGroupCommand({
        Name: LAB.targetGroupName,
        TargetType: 'ip',
        Protocol: 'HTTP',
        Port: LAB.appPort,
        VpcId: vpcId,
        HealthCheckProtocol: 'HTTP',
        HealthCheckPath: LAB.healthCheckPath,
        HealthCheckIntervalSeconds: 15,
        HealthyThresholdCount: 2,
        Matcher: { HttpCode: '200' },
        Tags: projectTags,
      }),
    );
    return created.TargetGroups![0]!.TargetGroupArn!;
  });
}

export async function loadBalancer(run: Run, publicSubnetIds: string[], albSecurityGroupId: string): Promise<{ arn: string; dnsName: string }> {
  try {
    const found = await run.clients.elb.send(new DescribeLoadBalancersCommand({ Names: [LAB.loadBalancerName] }));
    const existing = found.LoadBalancers?.[0];
    if (existing) return { arn: run.exists('load balancer', LAB.loadBalancerName, existing.LoadBalancerArn!, existing.DNSName), dnsName: existing.DNSName! };
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  let dnsName = '(new load balancer DNS name)';
  const arn = await run.create('load balancer', LAB.loadBalancerName, 'internet-facing, public subnets, ALB security group', async () => {
    const created = await run.clients.elb.send(
      new CreateLoadBalancerCommand({
        Name: LAB.loadBalancerName,
        Type: 'application',
        Scheme: 'internet-facing',
        IpAddressType: 'ipv4',
        Subnets: publicSubnetIds,
        SecurityGroups: [albSecurityGroupId],
        Tags: projectTags,
      }),
    );
    dnsName = created.LoadBalancers![0]!.DNSName!;
    return created.LoadBalancers![0]!.LoadBalancerArn!;
  });
  return { arn, dnsName };
}

export async function listener(run: Run, loadBalancerArn: string, targetGroupArn: string): Promise<string> {
  if (!isPlanned(loadBalancerArn)) {
    const found = await run.clients.elb.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }));
    const existing = found.Listeners?.find((candidate) => candidate.Port === LAB.albPort);
    if (existing) return run.exists('listener', `HTTP:${LAB.albPort}`, existing.ListenerArn!);
  }
  return run.create('listener', `HTTP:${LAB.albPort}`, `forward to ${LAB.targetGroupName}`, async () => {
    const created = await run.clients.elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: loadBalancerArn,
        Protocol: 'HTTP',
        Port: LAB.albPort,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
      }),
    );
    return created.Listeners![0]!.ListenerArn!;
  });
}

export async function cluster(run: Run): Promise<string> {
  const found = await run.clients.ecs.send(new DescribeClustersCommand({ clusters: [LAB.clusterName] }));
  const existing = found.clusters?.find((candidate) => candidate.status === 'ACTIVE');
  if (existing) return run.exists('ECS cluster', LAB.clusterName, existing.clusterArn!);
  return run.create('ECS cluster', LAB.clusterName, 'Fargate', async () => {
    const created = await run.clients.ecs.send(new CreateClusterCommand({ clusterName: LAB.clusterName, tags: [{ key: 'Project', value: LAB.project }] }));
    return created.cluster!.clusterArn!;
  });
}

export async function logGroup(run: Run): Promise<string> {
  const found = await run.clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: LAB.logGroupName }));
  if (found.logGroups?.some((group) => group.logGroupName === LAB.logGroupName)) return run.exists('log group', LAB.logGroupName, LAB.logGroupName);
  return run.create('log group', LAB.logGroupName, `retention ${LAB.logRetentionDays} days`, async () => {
    await run.clients.logs.send(new CreateLogGroupCommand({ logGroupName: LAB.logGroupName }));
    await run.clients.logs.send(new PutRetentionPolicyCommand({ logGroupName: LAB.logGroupName, retentionInDays: LAB.logRetentionDays }));
    return LAB.logGroupName;
  });
}

const ECS_TASKS_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

async function findRole(run: Run, roleName: string): Promise<string | undefined> {
  try {
    return (await run.clients.iam.send(new GetRoleCommand({ RoleName: roleName }))).Role?.Arn;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Task execution role (pull image, write logs) and task role (read the model); academy: LabRole for both. */
export async function roles(run: Run, target: DeployTarget, bucket: string): Promise<{ executionRoleArn: string; taskRoleArn: string }> {
  if (target.academy) {
    const arn = await findRole(run, LAB.academyRoleName);
    if (!arn) throw new Error(`${LAB.academyRoleName} was not found: academy mode needs the Learner Lab's LabRole`);
    run.exists('IAM role', LAB.academyRoleName, arn, 'task role and task execution role');
    return { executionRoleArn: arn, taskRoleArn: arn };
  }
  const executionRoleArn =
    (await findRole(run, LAB.executionRoleName).then((arn) => arn && run.exists('IAM role', LAB.executionRoleName, arn))) ??
    (await run.create('IAM role', LAB.executionRoleName, 'AmazonECSTaskExecutionRolePolicy', async () => {
      const created = await run.clients.iam.send(new CreateRoleCommand({ RoleName: LAB.executionRoleName, AssumeRolePolicyDocument: ECS_TASKS_TRUST, Tags: projectTags }));
      await run.clients.iam.send(new AttachRolePolicyCommand({ RoleName: LAB.executionRoleName, PolicyArn: LAB.executionRolePolicyArn }));
      return created.Role!.Arn!;
    }));
  const readModel = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/${LAB.modelPrefix}/*` }],
  });
  const taskRoleArn =
    (await findRole(run, LAB.taskRoleName).then((arn) => arn && run.exists('IAM role', LAB.taskRoleName, arn))) ??
    (await run.create('IAM role', LAB.taskRoleName, `s3:GetObject on ${bucket}/${LAB.modelPrefix}/*`, async () => {
      const created = await run.clients.iam.send(new CreateRoleCommand({ RoleName: LAB.taskRoleName, AssumeRolePolicyDocument: ECS_TASKS_TRUST, Tags: projectTags }));
      await run.clients.iam.send(new PutRolePolicyCommand({ RoleName: LAB.taskRoleName, PolicyName: 'read-model-artifacts', PolicyDocument: readModel }));
      return created.Role!.Arn!;
    }));
  return { executionRoleArn, taskRoleArn };
}

export function taskDefinitionInput(target: DeployTarget, roleArns: { executionRoleArn: string; taskRoleArn: string }): RegisterTaskDefinitionCommandInput {
  return {
    family: LAB.taskFamily,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: LAB.cpu,
    memory: LAB.memory,
    runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
    executionRoleArn: roleArns.executionRoleArn,
    taskRoleArn: roleArns.taskRoleArn,
    containerDefinitions: [
      {
        name: LAB.containerName,
        image: imageUri(target),
        essential: true,
        portMappings: [{ containerPort: LAB.appPort, hostPort: LAB.appPort, protocol: 'tcp' }],
        environment: [
          { name: 'MODEL_S3_URI', value: modelS3Uri(target) },
          { name: 'AWS_REGION', value: target.region },
          { name: 'PORT', value: String(LAB.appPort) },
        ],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': LAB.logGroupName, 'awslogs-region': target.region, 'awslogs-stream-prefix': 'ecs' },
        },
      },
    ],
    tags: [{ key: 'Project', value: LAB.project }],
  };
}

function sameTaskDefinition(existing: TaskDefinition, wanted: RegisterTaskDefinitionCommandInput): boolean {
  const container = existing.containerDefinitions?.[0];
  const wantedContainer = wanted.containerDefinitions![0]!;
  return (
    existing.cpu === wanted.cpu &&
    existing.memory === wanted.memory &&
    existing.executionRoleArn === wanted.executionRoleArn &&
    existing.taskRoleArn === wanted.taskRoleArn &&
    container?.image === wantedContainer.image &&
    JSON.stringify(container?.environment ?? []) === JSON.stringify(wantedContainer.environment)
  );
}

export async function taskDefinition(run: Run, target: DeployTarget, roleArns: { executionRoleArn: string; taskRoleArn: string }): Promise<string> {
  const wanted = taskDefinitionInput(target, roleArns);
  try {
    const found = await run.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: LAB.taskFamily }));
    if (found.taskDefinition && sameTaskDefinition(found.taskDefinition, wanted)) {
      return run.exists('task definition', LAB.taskFamily, found.taskDefinition.taskDefinitionArn!);
    }
  } catch (error) {
    // ECS answers ClientException when the family has no active revision.
    if (!isNotFound(error) && (error as Error).name !== 'ClientException') throw error;
  }
  return run.create('task definition', LAB.taskFamily, `FARGATE ${LAB.cpu}/${LAB.memory}, ${imageUri(target)}`, async () => {
    const registered = await run.clients.ecs.send(new RegisterTaskDefinitionCommand(wanted));
    return registered.taskDefinition!.taskDefinitionArn!;
  });
}

export async function service(
  run: Run,
  clusterArn: string,
  taskDefinitionArn: string,
  network: { privateSubnetIds: string[]; appSecurityGroupId: string; targetGroupArn: string },
): Promise<string> {
  if (!isPlanned(clusterArn)) {
    const found = await run.clients.ecs.send(new DescribeServicesCommand({ cluster: clusterArn, services: [LAB.serviceName] }));
    const existing = found.services?.find((candidate) => candidate.status === 'ACTIVE');
    if (existing) {
      const id = run.exists('ECS service', LAB.serviceName, existing.serviceArn!, `desired ${existing.desiredCount}, running ${existing.runningCount}`);
      if (existing.taskDefinition !== taskDefinitionArn) {
        await run.update('ECS service', LAB.serviceName, `use ${taskDefinitionArn}`, () =>
          run.clients.ecs.send(new UpdateServiceCommand({ cluster: clusterArn, service: LAB.serviceName, taskDefinition: taskDefinitionArn })),
        );
      }
      return id;
    }
  }
  return run.create('ECS service', LAB.serviceName, `FARGATE, ${LAB.desiredCount} task in the private subnets, no public IP`, async () => {
    const created = await run.clients.ecs.send(
      new CreateServiceCommand({
        cluster: clusterArn,
        serviceName: LAB.serviceName,
        taskDefinition: taskDefinitionArn,
        desiredCount: LAB.desiredCount,
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: { subnets: network.privateSubnetIds, securityGroups: [network.appSecurityGroupId], assignPublicIp: 'DISABLED' },
        },
        loadBalancers: [{ targetGroupArn: network.targetGroupArn, containerName: LAB.containerName, containerPort: LAB.appPort }],
        healthCheckGracePeriodSeconds: 60,
        tags: [{ key: 'Project', value: LAB.project }],
      }),
    );
    return created.service!.serviceArn!;
  });
}

/** The dimension value CloudWatch uses for a load balancer or target group: the ARN's resource part. */
export function arnDimension(arn: string): string {
  return arn.split(':').pop()!.replace(/^loadbalancer\//, '');
}

export async function alarm(run: Run, loadBalancerArn: string, targetGroupArn: string): Promise<string> {
  const found = await run.clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [LAB.alarmName] }));
  const existing = found.MetricAlarms?.[0];
  if (existing) return run.exists('alarm', LAB.alarmName, existing.AlarmArn!);
  return run.create('alarm', LAB.alarmName, 'UnHealthyHostCount > 0 for 3 minutes on the target group', async () => {
    await run.clients.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: LAB.alarmName,
        AlarmDescription: 'The sentiment app has an unhealthy target behind its load balancer.',
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'UnHealthyHostCount',
        Dimensions: [
          { Name: 'TargetGroup', Value: arnDimension(targetGroupArn) },
          { Name: 'LoadBalancer', Value: arnDimension(loadBalancerArn) },
        ],
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 3,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    return LAB.alarmName;
  });
}

export async function healthyTargets(run: Run, targetGroupArn: string): Promise<void> {
  await run.waitFor('a healthy target behind the load balancer', async () => {
    const health = await run.clients.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    return (health.TargetHealthDescriptions ?? []).some((description) => description.TargetHealth?.State === 'healthy');
  }, { intervalMs: 15_000, attempts: 60 });
}

export async function deploy(clients: Clients, options: DeployOptions): Promise<DeployResult> {
  const run = new Run(clients, options);
  const target = await identity(run, options);
  await budget(run, target);
  const bucketId = await bucket(run, target);
  await modelArtifacts(run, bucketId);
  const repositoryUri = await repository(run);
  const imagePushed = await image(run, target, repositoryUri);
  const vpcId = await vpc(run);
  const { publicSubnetIds, privateSubnetIds } = await subnets(run, vpcId);
  const internetGatewayId = await internetGateway(run, vpcId);
  await routeTable(run, vpcId, LAB.publicRouteTableName, publicSubnetIds, { GatewayId: internetGatewayId });
  const allocationId = await elasticIp(run);
  const natGatewayId = await natGateway(run, publicSubnetIds[0]!, allocationId);
  await routeTable(run, vpcId, LAB.privateRouteTableName, privateSubnetIds, { NatGatewayId: natGatewayId });
  const { albSecurityGroupId, appSecurityGroupId } = await securityGroups(run, vpcId);
  const targetGroupArn = await targetGroup(run, vpcId);
  const { arn: loadBalancerArn, dnsName } = await loadBalancer(run, publicSubnetIds, albSecurityGroupId);
  await listener(run, loadBalancerArn, targetGroupArn);
  const clusterArn = await cluster(run);
  await logGroup(run);
  const roleArns = await roles(run, target, bucketId);
  const taskDefinitionArn = await taskDefinition(run, target, roleArns);
  await alarm(run, loadBalancerArn, targetGroupArn);
  const albUrl = `http://${dnsName}`;
  if (!imagePushed && !run.dryRun) {
    run.record({ resource: 'ECS service', name: LAB.serviceName, state: 'skipped', detail: 'the image is not in ECR yet' });
    const missing = [
      { part: `image ${imageUri(target)} (Docker is not available here): build and push it on a machine with Docker, from the repository root`, commands: pushCommands(target) },
      { part: `ECS service ${LAB.serviceName} (it runs that image): run the deploy again once the image is pushed`, commands: [] },
    ];
    return { target, imagePushed, run, missing };
  }
  await service(run, clusterArn, taskDefinitionArn, { privateSubnetIds, appSecurityGroupId, targetGroupArn });
  if (run.dryRun) {
    run.log(`dry run: ${run.steps.filter((step) => step.state.startsWith('would')).length} change(s) planned, nothing was changed`);
    return { target, imagePushed, run, missing: [] };
  }
  if (options.waitForHealthy !== false) await healthyTargets(run, targetGroupArn);
  run.log(`The sentiment app is at ${albUrl}  (try ${albUrl}/docs)`);
  return { target, albUrl, imagePushed, run, missing: [] };
}

/** What is missing and how to complete it, for the person at the terminal. */
export function incompleteReport(missing: MissingPart[], rerun: string): string[] {
  return [
    `Deploy incomplete: ${missing.length} part(s) missing (exit code ${EXIT_INCOMPLETE}).`,
    ...missing.flatMap(({ part, commands }) => [`- ${part}`, ...commands.map((command) => `    ${command}`)]),
    'Then run the deploy again to complete it:',
    `    ${rerun}`,
    'Or run an image that already exists, without Docker:',
    `    ${rerun} --image <image URI>`,
  ];
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('deploy')
    .description('Deploy the sentiment app lab into an AWS account (idempotent).')
    .requiredOption('--region <region>', 'AWS region, e.g. eu-west-1')
    .option('--profile <name>', 'AWS profile from ~/.aws/config')
    .option('--dry-run', 'print the plan; only Describe/List/Get calls', false)
    .option('--academy', 'AWS Academy / Learner Lab: use LabRole, no IAM roles or budget', false)
    .option('--alert-email <address>', 'where the budget alert goes (own account)')
    .addOption(new Option('--image-tag <tag>', 'version tag of the image built here (default: a hash of its sources)').conflicts('image'))
    .option('--image <uri>', 'run this existing image (ECR or public); skips the build and push')
    .option('--no-wait', 'do not wait for a healthy target')
    .parse(argv);
  const flags = program.opts<{ region: string; profile?: string; dryRun: boolean; academy: boolean; alertEmail?: string; imageTag?: string; image?: string; wait: boolean }>();
  const result = await deploy(createClients(flags.region, flags.profile), {
    region: flags.region,
    dryRun: flags.dryRun,
    academy: flags.academy,
    waitForHealthy: flags.wait,
    ...(flags.alertEmail ? { alertEmail: flags.alertEmail } : {}),
    ...(flags.imageTag ? { imageTag: flags.imageTag } : {}),
    ...(flags.image ? { image: flags.image } : {}),
  });
  if (result.missing.length > 0) {
    const quoted = argv.slice(2).map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`));
    const rerun = ['npm run deploy -w reference-service --', ...quoted].join(' ');
    for (const line of incompleteReport(result.missing, rerun)) console.error(line);
    process.exitCode = EXIT_INCOMPLETE;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv).catch((error: unknown) => {
    console.error(explainFailure('deploy', error));
    process.exit(1);
  });
}
