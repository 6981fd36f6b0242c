// An in-memory AWS account behind aws-sdk-client-mock: Create* commands add resources,
// Describe* commands read them, Delete* commands remove them. Enough of each API for the
// deploy and teardown scripts, so a test can deploy twice and tear down against one state.
import { BudgetsClient, CreateBudgetCommand, DeleteBudgetCommand, DescribeBudgetCommand } from '@aws-sdk/client-budgets';
import { CloudWatchClient, DeleteAlarmsCommand, DescribeAlarmsCommand, PutMetricAlarmCommand, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, DeleteLogGroupCommand, DescribeLogGroupsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import * as ec2 from '@aws-sdk/client-ec2';
import * as ecr from '@aws-sdk/client-ecr';
import * as ecs from '@aws-sdk/client-ecs';
import * as elb from '@aws-sdk/client-elastic-load-balancing-v2';
import * as iam from '@aws-sdk/client-iam';
import * as s3 from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { Clients, DockerRunner } from '../deploy/run.js';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name });
}

type Tagged = { Tags?: ec2.Tag[] };
const nameOf = (resource: Tagged) => resource.Tags?.find((tag) => tag.Key === 'Name')?.Value;

function tagsOf(specs: ec2.TagSpecification[] | undefined): ec2.Tag[] {
  return specs?.flatMap((spec) => spec.Tags ?? []) ?? [];
}

/** Applies EC2 filters (tag:Name, vpc-id, state, group-name) to resources. */
function filtered<T extends Tagged & { VpcId?: string; State?: string; GroupName?: string }>(items: T[], filters: ec2.Filter[] | undefined): T[] {
  return items.filter((item) =>
    (filters ?? []).every((filter) => {
      const values = filter.Values ?? [];
      if (filter.Name === 'tag:Name') return values.includes(nameOf(item) ?? '');
      if (filter.Name === 'vpc-id') return values.includes(item.VpcId ?? '');
      if (filter.Name === 'state') return values.includes(item.State ?? '');
      if (filter.Name === 'group-name') return values.includes(item.GroupName ?? '');
      return true;
    }),
  );
}

export interface FakeAccount {
  clients: Clients;
  state: ReturnType<typeof emptyState>;
  docker: DockerRunner & { commands: string[][] };
  restore(): void;
}

function emptyState() {
  return {
    budgets: new Map<string, unknown>(),
    buckets: new Map<string, Map<string, { size: number; etag: string }>>(),
    publicAccessBlocks: new Map<string, s3.PublicAccessBlockConfiguration>(),
    repositories: new Map<string, ecr.Repository & { tags: Set<string> }>(),
    vpcs: [] as ec2.Vpc[],
    subnets: [] as ec2.Subnet[],
    internetGateways: [] as ec2.InternetGateway[],
    routeTables: [] as ec2.RouteTable[],
    addresses: [] as ec2.Address[],
    natGateways: [] as ec2.NatGateway[],
    securityGroups: [] as ec2.SecurityGroup[],
    targetGroups: [] as elb.TargetGroup[],
    loadBalancers: [] as elb.LoadBalancer[],
    listeners: [] as elb.Listener[],
    clusters: [] as ecs.Cluster[],
    services: [] as ecs.Service[],
    taskDefinitions: [] as ecs.TaskDefinition[],
    logGroups: new Map<string, number | undefined>(),
    roles: new Map<string, { arn: string; attached: string[]; inline: string[] }>(),
    alarms: new Map<string, PutMetricAlarmCommandInput>(),
  };
}

export function fakeAccount(options: { academy?: boolean; docker?: boolean; lingeringInterfaces?: number } = {}): FakeAccount {
  const state = emptyState();
  // Network interfaces of a deleted load balancer stay in its subnets for a while.
  let lingeringInterfaces = options.lingeringInterfaces ?? 0;
  let counter = 0;
  const id = (prefix: string) => `${prefix}-${String(++counter).padStart(8, '0')}fake`;
  if (options.academy) state.roles.set('LabRole', { arn: `arn:aws:iam::${ACCOUNT}:role/LabRole`, attached: [], inline: [] });

  const mocks = {
    sts: mockClient(STSClient),
    s3: mockClient(s3.S3Client),
    ecr: mockClient(ecr.ECRClient),
    ec2: mockClient(ec2.EC2Client),
    elb: mockClient(elb.ElasticLoadBalancingV2Client),
    ecs: mockClient(ecs.ECSClient),
    logs: mockClient(CloudWatchLogsClient),
    iam: mockClient(iam.IAMClient),
    budgets: mockClient(BudgetsClient),
    cloudwatch: mockClient(CloudWatchClient),
  };

  mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/deployer`, UserId: 'AIDAEXAMPLE' });

  // Budgets
  mocks.budgets.on(DescribeBudgetCommand).callsFake((input) => {
    if (!state.budgets.has(input.BudgetName)) throw awsError('NotFoundException');
    return { Budget: state.budgets.get(input.BudgetName) };
  });
  mocks.budgets.on(CreateBudgetCommand).callsFake((input) => void state.budgets.set(input.Budget.BudgetName, input));
  mocks.budgets.on(DeleteBudgetCommand).callsFake((input) => void state.budgets.delete(input.BudgetName));

  // S3
  mocks.s3.on(s3.HeadBucketCommand).callsFake((input) => {
    if (!state.buckets.has(input.Bucket)) throw awsError('NotFound');
    return {};
  });
  mocks.s3.on(s3.CreateBucketCommand).callsFake((input) => void state.buckets.set(input.Bucket, new Map()));
  mocks.s3.on(s3.PutPublicAccessBlockCommand).callsFake((input) => void state.publicAccessBlocks.set(input.Bucket, input.PublicAccessBlockConfiguration));
  mocks.s3.on(s3.ListObjectsV2Command).callsFake((input) => ({
    Contents: [...state.buckets.get(input.Bucket)!.entries()]
      .filter(([key]) => key.startsWith(input.Prefix ?? ''))
      .map(([Key, object]) => ({ Key, Size: object.size, ETag: `"${object.etag}"` })),
  }));
  mocks.s3.on(s3.PutObjectCommand).callsFake(async (input) => {
    const { createHash } = await import('node:crypto');
    const body = input.Body as Buffer;
    state.buckets.get(input.Bucket)!.set(input.Key, { size: body.length, etag: createHash('md5').update(body).digest('hex') });
    return {};
  });
  mocks.s3.on(s3.ListObjectVersionsCommand).callsFake((input) => ({
    Versions: [...state.buckets.get(input.Bucket)!.keys()].map((Key) => ({ Key, VersionId: 'null' })),
    IsTruncated: false,
  }));
  mocks.s3.on(s3.DeleteObjectsCommand).callsFake((input) => {
    for (const object of input.Delete.Objects) state.buckets.get(input.Bucket)!.delete(object.Key);
    return {};
  });
  mocks.s3.on(s3.DeleteBucketCommand).callsFake((input) => {
    if (state.buckets.get(input.Bucket)!.size > 0) throw awsError('BucketNotEmpty');
    state.buckets.delete(input.Bucket);
    return {};
  });

  // ECR
  mocks.ecr.on(ecr.DescribeRepositoriesCommand).callsFake((input) => {
    const found = (input.repositoryNames ?? []).map((name: string) => state.repositories.get(name)).filter(Boolean);
    if (found.length === 0) throw awsError('RepositoryNotFoundException');
    return { repositories: found };
  });
  mocks.ecr.on(ecr.CreateRepositoryCommand).callsFake((input) => {
    const repository = {
      repositoryName: input.repositoryName,
      repositoryUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${input.repositoryName}`,
      encryptionConfiguration: input.encryptionConfiguration,
      tags: new Set<string>(),
    };
    state.repositories.set(input.repositoryName, repository);
    return { repository };
  });
  mocks.ecr.on(ecr.DescribeImagesCommand).callsFake((input) => {
    const repository = state.repositories.get(input.repositoryName)!;
    const tag = input.imageIds[0].imageTag;
    if (!repository.tags.has(tag)) throw awsError('ImageNotFoundException');
    return { imageDetails: [{ imageDigest: 'sha256:0123456789abcdef', imageTags: [tag] }] };
  });
  mocks.ecr.on(ecr.GetAuthorizationTokenCommand).resolves({
    authorizationData: [{ authorizationToken: Buffer.from('AWS:example-registry-password').toString('base64') }],
  });
  mocks.ecr.on(ecr.DeleteRepositoryCommand).callsFake((input) => void state.repositories.delete(input.repositoryName));

  // EC2
  mocks.ec2.on(ec2.DescribeAvailabilityZonesCommand).resolves({
    AvailabilityZones: ['eu-west-1c', 'eu-west-1a', 'eu-west-1b'].map((ZoneName) => ({ ZoneName, State: 'available' })),
  });
  mocks.ec2.on(ec2.DescribeVpcsCommand).callsFake((input) => ({ Vpcs: filtered(state.vpcs, input.Filters) }));
  mocks.ec2.on(ec2.CreateVpcCommand).callsFake((input) => {
    const vpc: ec2.Vpc = { VpcId: id('vpc'), CidrBlock: input.CidrBlock, State: 'available', InstanceTenancy: input.InstanceTenancy, Tags: tagsOf(input.TagSpecifications) };
    state.vpcs.push(vpc);
    return { Vpc: vpc };
  });
  mocks.ec2.on(ec2.DeleteVpcCommand).callsFake((input) => {
    if (state.subnets.some((subnet) => subnet.VpcId === input.VpcId)) throw awsError('DependencyViolation', 'the VPC has subnets');
    state.vpcs = state.vpcs.filter((vpc) => vpc.VpcId !== input.VpcId);
    return {};
  });
  mocks.ec2.on(ec2.DescribeSubnetsCommand).callsFake((input) => ({ Subnets: filtered(state.subnets, input.Filters) }));
  mocks.ec2.on(ec2.CreateSubnetCommand).callsFake((input) => {
    const subnet: ec2.Subnet = { SubnetId: id('subnet'), VpcId: input.VpcId, CidrBlock: input.CidrBlock, AvailabilityZone: input.AvailabilityZone, Tags: tagsOf(input.TagSpecifications) };
    state.subnets.push(subnet);
    return { Subnet: subnet };
  });
  mocks.ec2.on(ec2.DeleteSubnetCommand).callsFake((input) => {
    if (lingeringInterfaces > 0) {
      lingeringInterfaces -= 1;
      throw awsError('DependencyViolation', `The subnet '${input.SubnetId}' has dependencies and cannot be deleted.`);
    }
    if (state.natGateways.some((gateway) => gateway.SubnetId === input.SubnetId && gateway.State !== 'deleted')) throw awsError('DependencyViolation', 'a NAT gateway is in the subnet');
    if (state.loadBalancers.some((balancer) => balancer.AvailabilityZones?.some((zone) => zone.SubnetId === input.SubnetId))) throw awsError('DependencyViolation', 'a load balancer is in the subnet');
    state.subnets = state.subnets.filter((subnet) => subnet.SubnetId !== input.SubnetId);
    return {};
  });
  mocks.ec2.on(ec2.DescribeInternetGatewaysCommand).callsFake((input) => ({ InternetGateways: filtered(state.internetGateways, input.Filters) }));
  mocks.ec2.on(ec2.CreateInternetGatewayCommand).callsFake((input) => {
    const gateway: ec2.InternetGateway = { InternetGatewayId: id('igw'), Attachments: [], Tags: tagsOf(input.TagSpecifications) };
    state.internetGateways.push(gateway);
    return { InternetGateway: gateway };
  });
  mocks.ec2.on(ec2.AttachInternetGatewayCommand).callsFake((input) => {
    state.internetGateways.find((gateway) => gateway.InternetGatewayId === input.InternetGatewayId)!.Attachments = [{ VpcId: input.VpcId, State: 'attached' }];
    return {};
  });
  mocks.ec2.on(ec2.DetachInternetGatewayCommand).callsFake((input) => {
    state.internetGateways.find((gateway) => gateway.InternetGatewayId === input.InternetGatewayId)!.Attachments = [];
    return {};
  });
  mocks.ec2.on(ec2.DeleteInternetGatewayCommand).callsFake((input) => {
    const gateway = state.internetGateways.find((candidate) => candidate.InternetGatewayId === input.InternetGatewayId)!;
    if (gateway.Attachments?.length) throw awsError('DependencyViolation', 'the gateway is attached');
    state.internetGateways = state.internetGateways.filter((candidate) => candidate !== gateway);
    return {};
  });
  mocks.ec2.on(ec2.DescribeRouteTablesCommand).callsFake((input) => ({ RouteTables: structuredClone(filtered(state.routeTables, input.Filters)) }));
  mocks.ec2.on(ec2.CreateRouteTableCommand).callsFake((input) => {
    const table: ec2.RouteTable = { RouteTableId: id('rtb'), VpcId: input.VpcId, Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' }], Associations: [], Tags: tagsOf(input.TagSpecifications) };
    state.routeTables.push(table);
    return { RouteTable: table };
  });
  const table = (tableId: string) => state.routeTables.find((candidate) => candidate.RouteTableId === tableId)!;
  mocks.ec2.on(ec2.CreateRouteCommand).callsFake((input) => {
    table(input.RouteTableId).Routes!.push({ DestinationCidrBlock: input.DestinationCidrBlock, GatewayId: input.GatewayId, NatGatewayId: input.NatGatewayId, State: 'active' });
    return { Return: true };
  });
  mocks.ec2.on(ec2.AssociateRouteTableCommand).callsFake((input) => {
    const AssociationId = id('rtbassoc');
    table(input.RouteTableId).Associations!.push({ RouteTableAssociationId: AssociationId, RouteTableId: input.RouteTableId, SubnetId: input.SubnetId, Main: false });
    return { AssociationId };
  });
  mocks.ec2.on(ec2.DisassociateRouteTableCommand).callsFake((input) => {
    for (const candidate of state.routeTables) candidate.Associations = candidate.Associations?.filter((association) => association.RouteTableAssociationId !== input.AssociationId);
    return {};
  });
  mocks.ec2.on(ec2.DeleteRouteTableCommand).callsFake((input) => {
    if (table(input.RouteTableId).Associations?.length) throw awsError('DependencyViolation', 'the route table has associations');
    state.routeTables = state.routeTables.filter((candidate) => candidate.RouteTableId !== input.RouteTableId);
    return {};
  });
  mocks.ec2.on(ec2.DescribeAddressesCommand).callsFake((input) => ({ Addresses: filtered(state.addresses, input.Filters) }));
  mocks.ec2.on(ec2.AllocateAddressCommand).callsFake((input) => {
    const address: ec2.Address = { AllocationId: id('eipalloc'), PublicIp: '203.0.113.10', Domain: 'vpc', Tags: tagsOf(input.TagSpecifications) };
    state.addresses.push(address);
    return address;
  });
  mocks.ec2.on(ec2.ReleaseAddressCommand).callsFake((input) => {
    if (state.natGateways.some((gateway) => gateway.State !== 'deleted' && gateway.NatGatewayAddresses?.[0]?.AllocationId === input.AllocationId)) throw awsError('InvalidIPAddress.InUse');
    state.addresses = state.addresses.filter((address) => address.AllocationId !== input.AllocationId);
    return {};
  });
  mocks.ec2.on(ec2.DescribeNatGatewaysCommand).callsFake((input) => ({
    NatGateways: filtered(state.natGateways, input.Filter).filter((gateway) => !input.NatGatewayIds || input.NatGatewayIds.includes(gateway.NatGatewayId)),
  }));
  mocks.ec2.on(ec2.CreateNatGatewayCommand).callsFake((input) => {
    const gateway: ec2.NatGateway = {
      NatGatewayId: id('nat'),
      SubnetId: input.SubnetId,
      VpcId: state.subnets.find((subnet) => subnet.SubnetId === input.SubnetId)?.VpcId,
      State: 'available',
      ConnectivityType: 'public',
      NatGatewayAddresses: [{ AllocationId: input.AllocationId, PublicIp: '203.0.113.10' }],
      Tags: tagsOf(input.TagSpecifications),
    };
    state.natGateways.push(gateway);
    return { NatGateway: gateway };
  });
  mocks.ec2.on(ec2.DeleteNatGatewayCommand).callsFake((input) => {
    state.natGateways.find((gateway) => gateway.NatGatewayId === input.NatGatewayId)!.State = 'deleted';
    return { NatGatewayId: input.NatGatewayId };
  });
  mocks.ec2.on(ec2.DescribeSecurityGroupsCommand).callsFake((input) => ({ SecurityGroups: structuredClone(filtered(state.securityGroups, input.Filters)) }));
  mocks.ec2.on(ec2.CreateSecurityGroupCommand).callsFake((input) => {
    const group: ec2.SecurityGroup = {
      GroupId: id('sg'),
      GroupName: input.GroupName,
      Description: input.Description,
      VpcId: input.VpcId,
      IpPermissions: [],
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      Tags: tagsOf(input.TagSpecifications),
    };
    state.securityGroups.push(group);
    return { GroupId: group.GroupId };
  });
  mocks.ec2.on(ec2.AuthorizeSecurityGroupIngressCommand).callsFake((input) => {
    state.securityGroups.find((group) => group.GroupId === input.GroupId)!.IpPermissions!.push(...input.IpPermissions);
    return { Return: true };
  });
  mocks.ec2.on(ec2.DeleteSecurityGroupCommand).callsFake((input) => {
    const referenced = state.securityGroups.some((group) => group.GroupId !== input.GroupId && group.IpPermissions?.some((permission) => permission.UserIdGroupPairs?.some((pair) => pair.GroupId === input.GroupId)));
    if (referenced) throw awsError('DependencyViolation', 'the group is referenced by another group');
    state.securityGroups = state.securityGroups.filter((group) => group.GroupId !== input.GroupId);
    return {};
  });

  // Elastic Load Balancing
  mocks.elb.on(elb.DescribeTargetGroupsCommand).callsFake((input) => {
    const found = state.targetGroups.filter((group) => !input.Names || input.Names.includes(group.TargetGroupName));
    if (input.Names && found.length === 0) throw awsError('TargetGroupNotFoundException');
    return { TargetGroups: found };
  });
  mocks.elb.on(elb.CreateTargetGroupCommand).callsFake((input) => {
    const group: elb.TargetGroup = {
      TargetGroupArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${input.Name}/73e2d6bc24d8a067`,
      TargetGroupName: input.Name,
      Protocol: input.Protocol,
      Port: input.Port,
      VpcId: input.VpcId,
      TargetType: input.TargetType,
      HealthCheckPath: input.HealthCheckPath,
      HealthCheckProtocol: input.HealthCheckProtocol,
      LoadBalancerArns: [],
    };
    state.targetGroups.push(group);
    return { TargetGroups: [group] };
  });
  mocks.elb.on(elb.DeleteTargetGroupCommand).callsFake((input) => {
    if (state.listeners.some((listener) => listener.DefaultActions?.[0]?.TargetGroupArn === input.TargetGroupArn)) throw awsError('ResourceInUse');
    state.targetGroups = state.targetGroups.filter((group) => group.TargetGroupArn !== input.TargetGroupArn);
    return {};
  });
  mocks.elb.on(elb.DescribeLoadBalancersCommand).callsFake((input) => {
    const found = state.loadBalancers.filter((balancer) => !input.Names || input.Names.includes(balancer.LoadBalancerName));
    if (input.Names && found.length === 0) throw awsError('LoadBalancerNotFoundException');
    return { LoadBalancers: found };
  });
  mocks.elb.on(elb.CreateLoadBalancerCommand).callsFake((input) => {
    const balancer: elb.LoadBalancer = {
      LoadBalancerArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/${input.Name}/50dc6c495c0c9188`,
      LoadBalancerName: input.Name,
      DNSName: `${input.Name}-1234567890.${REGION}.elb.amazonaws.com`,
      Scheme: input.Scheme,
      Type: input.Type,
      IpAddressType: input.IpAddressType,
      VpcId: state.subnets.find((subnet) => subnet.SubnetId === input.Subnets[0])?.VpcId,
      State: { Code: 'active' },
      AvailabilityZones: input.Subnets.map((SubnetId: string) => ({ SubnetId, ZoneName: state.subnets.find((subnet) => subnet.SubnetId === SubnetId)?.AvailabilityZone })),
      SecurityGroups: input.SecurityGroups,
    };
    state.loadBalancers.push(balancer);
    return { LoadBalancers: [balancer] };
  });
  mocks.elb.on(elb.DeleteLoadBalancerCommand).callsFake((input) => {
    state.loadBalancers = state.loadBalancers.filter((balancer) => balancer.LoadBalancerArn !== input.LoadBalancerArn);
    state.listeners = state.listeners.filter((listener) => listener.LoadBalancerArn !== input.LoadBalancerArn);
    return {};
  });
  mocks.elb.on(elb.DescribeListenersCommand).callsFake((input) => ({ Listeners: state.listeners.filter((listener) => listener.LoadBalancerArn === input.LoadBalancerArn) }));
  mocks.elb.on(elb.CreateListenerCommand).callsFake((input) => {
    const listener: elb.Listener = {
      ListenerArn: `${input.LoadBalancerArn.replace(':loadbalancer/', ':listener/')}/${String(++counter).padStart(16, '0')}`,
      LoadBalancerArn: input.LoadBalancerArn,
      Protocol: input.Protocol,
      Port: input.Port,
      DefaultActions: input.DefaultActions,
    };
    state.listeners.push(listener);
    const group = state.targetGroups.find((candidate) => candidate.TargetGroupArn === input.DefaultActions[0].TargetGroupArn);
    group?.LoadBalancerArns?.push(input.LoadBalancerArn);
    return { Listeners: [listener] };
  });
  mocks.elb.on(elb.DeleteListenerCommand).callsFake((input) => {
    state.listeners = state.listeners.filter((listener) => listener.ListenerArn !== input.ListenerArn);
    return {};
  });
  mocks.elb.on(elb.DescribeTargetHealthCommand).callsFake(() => ({
    TargetHealthDescriptions: state.services.filter((service) => service.status === 'ACTIVE').map(() => ({ Target: { Id: '10.0.3.25', Port: 8000 }, TargetHealth: { State: 'healthy' } })),
  }));

  // ECS
  mocks.ecs.on(ecs.DescribeClustersCommand).callsFake((input) => ({
    clusters: state.clusters.filter((cluster) => input.clusters.includes(cluster.clusterName) || input.clusters.includes(cluster.clusterArn)),
    failures: [],
  }));
  mocks.ecs.on(ecs.CreateClusterCommand).callsFake((input) => {
    const cluster: ecs.Cluster = { clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${input.clusterName}`, clusterName: input.clusterName, status: 'ACTIVE' };
    state.clusters.push(cluster);
    return { cluster };
  });
  mocks.ecs.on(ecs.DeleteClusterCommand).callsFake((input) => {
    if (state.services.some((service) => service.status === 'ACTIVE')) throw awsError('ClusterContainsServicesException');
    state.clusters = state.clusters.filter((cluster) => cluster.clusterName !== input.cluster);
    return {};
  });
  mocks.ecs.on(ecs.DescribeTaskDefinitionCommand).callsFake((input) => {
    const latest = state.taskDefinitions.filter((definition) => definition.family === input.taskDefinition && definition.status === 'ACTIVE').at(-1);
    if (!latest) throw awsError('ClientException', 'Unable to describe task definition.');
    return { taskDefinition: latest };
  });
  mocks.ecs.on(ecs.RegisterTaskDefinitionCommand).callsFake((input) => {
    const revision = state.taskDefinitions.filter((definition) => definition.family === input.family).length + 1;
    const { tags: _tags, ...rest } = input;
    const definition: ecs.TaskDefinition = {
      ...rest,
      taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${input.family}:${revision}`,
      revision,
      status: 'ACTIVE',
      compatibilities: ['EC2', 'FARGATE'],
    };
    state.taskDefinitions.push(definition);
    return { taskDefinition: definition };
  });
  mocks.ecs.on(ecs.ListTaskDefinitionsCommand).callsFake((input) => ({
    taskDefinitionArns: state.taskDefinitions.filter((definition) => definition.family === input.familyPrefix && definition.status === 'ACTIVE').map((definition) => definition.taskDefinitionArn),
  }));
  mocks.ecs.on(ecs.DeregisterTaskDefinitionCommand).callsFake((input) => {
    state.taskDefinitions.find((definition) => definition.taskDefinitionArn === input.taskDefinition)!.status = 'INACTIVE';
    return {};
  });
  mocks.ecs.on(ecs.DescribeServicesCommand).callsFake((input) => {
    if (!state.clusters.some((cluster) => [cluster.clusterName, cluster.clusterArn].includes(input.cluster))) throw awsError('ClusterNotFoundException');
    return { services: state.services.filter((service) => input.services.includes(service.serviceName)), failures: [] };
  });
  mocks.ecs.on(ecs.CreateServiceCommand).callsFake((input) => {
    const service: ecs.Service = {
      serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/sentiment-app-cluster/${input.serviceName}`,
      serviceName: input.serviceName,
      clusterArn: input.cluster,
      taskDefinition: input.taskDefinition,
      desiredCount: input.desiredCount,
      runningCount: input.desiredCount,
      launchType: input.launchType,
      networkConfiguration: input.networkConfiguration,
      loadBalancers: input.loadBalancers,
      status: 'ACTIVE',
    };
    state.services.push(service);
    return { service };
  });
  mocks.ecs.on(ecs.UpdateServiceCommand).callsFake((input) => {
    const service = state.services.find((candidate) => candidate.serviceName === input.service)!;
    Object.assign(service, input.desiredCount === undefined ? {} : { desiredCount: input.desiredCount, runningCount: input.desiredCount }, input.taskDefinition ? { taskDefinition: input.taskDefinition } : {});
    return { service };
  });
  mocks.ecs.on(ecs.DeleteServiceCommand).callsFake((input) => {
    state.services.find((candidate) => candidate.serviceName === input.service)!.status = 'INACTIVE';
    return {};
  });

  // CloudWatch Logs, IAM, CloudWatch
  mocks.logs.on(DescribeLogGroupsCommand).callsFake((input) => ({
    logGroups: [...state.logGroups.entries()].filter(([name]) => name.startsWith(input.logGroupNamePrefix)).map(([logGroupName, retentionInDays]) => ({ logGroupName, retentionInDays })),
  }));
  mocks.logs.on(CreateLogGroupCommand).callsFake((input) => void state.logGroups.set(input.logGroupName, undefined));
  mocks.logs.on(PutRetentionPolicyCommand).callsFake((input) => void state.logGroups.set(input.logGroupName, input.retentionInDays));
  mocks.logs.on(DeleteLogGroupCommand).callsFake((input) => void state.logGroups.delete(input.logGroupName));

  const role = (name: string) => {
    const found = state.roles.get(name);
    if (!found) throw awsError('NoSuchEntityException', `The role with name ${name} cannot be found.`);
    return found;
  };
  mocks.iam.on(iam.GetRoleCommand).callsFake((input) => ({ Role: { RoleName: input.RoleName, Arn: role(input.RoleName).arn } }));
  mocks.iam.on(iam.CreateRoleCommand).callsFake((input) => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/${input.RoleName}`;
    state.roles.set(input.RoleName, { arn, attached: [], inline: [] });
    return { Role: { RoleName: input.RoleName, Arn: arn } };
  });
  mocks.iam.on(iam.AttachRolePolicyCommand).callsFake((input) => void role(input.RoleName).attached.push(input.PolicyArn));
  mocks.iam.on(iam.PutRolePolicyCommand).callsFake((input) => void role(input.RoleName).inline.push(input.PolicyName));
  mocks.iam.on(iam.DetachRolePolicyCommand).callsFake((input) => {
    const found = role(input.RoleName);
    found.attached = found.attached.filter((arn) => arn !== input.PolicyArn);
    return {};
  });
  mocks.iam.on(iam.DeleteRolePolicyCommand).callsFake((input) => {
    const found = role(input.RoleName);
    found.inline = found.inline.filter((name) => name !== input.PolicyName);
    return {};
  });
  mocks.iam.on(iam.DeleteRoleCommand).callsFake((input) => {
    const found = role(input.RoleName);
    if (found.attached.length || found.inline.length) throw awsError('DeleteConflictException', 'the role still has policies');
    state.roles.delete(input.RoleName);
    return {};
  });

  mocks.cloudwatch.on(DescribeAlarmsCommand).callsFake((input) => ({
    MetricAlarms: (input.AlarmNames ?? []).filter((name: string) => state.alarms.has(name)).map((name: string) => ({ ...state.alarms.get(name), AlarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}` })),
  }));
  mocks.cloudwatch.on(PutMetricAlarmCommand).callsFake((input) => void state.alarms.set(input.AlarmName, input));
  mocks.cloudwatch.on(DeleteAlarmsCommand).callsFake((input) => {
    for (const name of input.AlarmNames) state.alarms.delete(name);
    return {};
  });

  const commands: string[][] = [];
  const docker = {
    commands,
    available: async () => options.docker ?? true,
    run: async (args: string[]) => {
      commands.push(args);
      const tag = args.includes('--push') ? args[args.indexOf('-t') + 1]!.split(':').pop()! : undefined;
      if (tag) state.repositories.get('sentiment-app')!.tags.add(tag);
    },
  };

  const config = { region: REGION, credentials: { accessKeyId: 'AKIAFAKEEXAMPLEKEY01', secretAccessKey: 'example-secret-key' } };
  const clients: Clients = {
    sts: new STSClient(config),
    s3: new s3.S3Client(config),
    ecr: new ecr.ECRClient(config),
    ec2: new ec2.EC2Client(config),
    elb: new elb.ElasticLoadBalancingV2Client(config),
    ecs: new ecs.ECSClient(config),
    logs: new CloudWatchLogsClient(config),
    iam: new iam.IAMClient(config),
    budgets: new BudgetsClient({ ...config, region: 'us-east-1' }),
    cloudwatch: new CloudWatchClient(config),
  };
  return { clients, state, docker, restore: () => Object.values(mocks).forEach((mock) => mock.restore()) };
}
