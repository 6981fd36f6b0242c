// Removes everything the deploy created, found by the same names and Name tags, in
// dependency order; then checks that nothing billable is left in the region.
import { fileURLToPath } from 'node:url';
import { DeleteBudgetCommand, DescribeBudgetCommand } from '@aws-sdk/client-budgets';
import { DeleteAlarmsCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DeleteLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteInternetGatewayCommand,
  DeleteNatGatewayCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeAddressesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  ReleaseAddressCommand,
} from '@aws-sdk/client-ec2';
import { DeleteRepositoryCommand, DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import {
  DeleteClusterCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ListTaskDefinitionsCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import {
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DeleteRoleCommand, DeleteRolePolicyCommand, DetachRolePolicyCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { DeleteBucketCommand, DeleteObjectsCommand, HeadBucketCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { Command } from 'commander';
import { LAB, bucketName } from './lab.js';
import { Run, byName, createClients, explainFailure, isNotFound, whenReleased, type Clients, type RunOptions } from './run.js';

export interface TeardownOptions extends RunOptions {
  region: string;
  academy: boolean;
}

export interface Billable {
  kind: 'NAT gateway' | 'elastic IP' | 'load balancer';
  id: string;
  /** Created by the deploy (by name or Name tag), rather than something else in the account. */
  lab: boolean;
}

export interface TeardownResult {
  run: Run;
  /** What still costs money in the region after the teardown. */
  billable: Billable[];
}

const nameTag = (tags: { Key?: string; Value?: string }[] | undefined) => tags?.find((tag) => tag.Key === 'Name')?.Value;

async function deleteAlarm(run: Run): Promise<void> {
  const found = await run.clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [LAB.alarmName] }));
  if (!found.MetricAlarms?.length) return run.absent('alarm', LAB.alarmName);
  await run.delete('alarm', LAB.alarmName, undefined, () => run.clients.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [LAB.alarmName] })));
}

/** Scales the service to 0, deletes it, and waits until its tasks are gone (their ENIs hold the subnets). */
async function service(run: Run): Promise<void> {
  let services: Service[];
  try {
    services = (await run.clients.ecs.send(new DescribeServicesCommand({ cluster: LAB.clusterName, services: [LAB.serviceName] }))).services ?? [];
  } catch (error) {
    if ((error as Error).name !== 'ClusterNotFoundException') throw error;
    services = [];
  }
  const active = services.find((candidate) => candidate.status !== 'INACTIVE');
  if (!active) return run.absent('ECS service', LAB.serviceName);
  await run.delete('ECS service', LAB.serviceName, active.serviceArn, async () => {
    await run.clients.ecs.send(new UpdateServiceCommand({ cluster: LAB.clusterName, service: LAB.serviceName, desiredCount: 0 }));
    await run.clients.ecs.send(new DeleteServiceCommand({ cluster: LAB.clusterName, service: LAB.serviceName, force: true }));
  });
  await run.waitFor(`ECS service ${LAB.serviceName} to be inactive`, async () => {
    const now = (await run.clients.ecs.send(new DescribeServicesCommand({ cluster: LAB.clusterName, services: [LAB.serviceName] }))).services ?? [];
    return now.every((candidate) => candidate.status === 'INACTIVE');
  }, { intervalMs: 10_000, attempts: 60 });
}

async function taskDefinitions(run: Run): Promise<void> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await run.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: LAB.taskFamily, status: 'ACTIVE', nextToken }));
    arns.push(...(page.taskDefinitionArns ?? []).filter((arn) => arn.includes(`:task-definition/${LAB.taskFamily}:`)));
    nextToken = page.nextToken;
  } while (nextToken);
  if (arns.length === 0) return run.absent('task definition', LAB.taskFamily);
  for (const arn of arns) {
    await run.delete('task definition', arn.split('/').pop()!, arn, () => run.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn })));
  }
}

async function cluster(run: Run): Promise<void> {
  const found = await run.clients.ecs.send(new DescribeClustersCommand({ clusters: [LAB.clusterName] }));
  const active = found.clusters?.find((candidate) => candidate.status === 'ACTIVE');
  if (!active) return run.absent('ECS cluster', LAB.clusterName);
  await run.delete('ECS cluster', LAB.clusterName, active.clusterArn, () => run.clients.ecs.send(new DeleteClusterCommand({ cluster: LAB.clusterName })));
}

async function findLoadBalancerArn(run: Run): Promise<string | undefined> {
  try {
    return (await run.clients.elb.send(new DescribeLoadBalancersCommand({ Names: [LAB.loadBalancerName] }))).LoadBalancers?.[0]?.LoadBalancerArn;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function loadBalancer(run: Run): Promise<void> {
  const arn = await findLoadBalancerArn(run);
  if (!arn) {
    run.absent('listener', `HTTP:${LAB.albPort}`);
    return run.absent('load balancer', LAB.loadBalancerName);
  }
  const listeners = (await run.clients.elb.send(new DescribeListenersCommand({ LoadBalancerArn: arn }))).Listeners ?? [];
  for (const found of listeners) {
    await run.delete('listener', `${found.Protocol}:${found.Port}`, found.ListenerArn, () =>
      run.clients.elb.send(new DeleteListenerCommand({ ListenerArn: found.ListenerArn })),
    );
  }
  await run.delete('load balancer', LAB.loadBalancerName, arn, () => run.clients.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn })));
  // Its network interfaces leave the subnets and security groups only once it is gone.
  await run.waitFor(`load balancer ${LAB.loadBalancerName} to be deleted`, async () => (await findLoadBalancerArn(run)) === undefined, {
    intervalMs: 5_000,
    attempts: 60,
  });
}

async function targetGroup(run: Run): Promise<void> {
  let arn: string | undefined;
  try {
    arn = (await run.clients.elb.send(new DescribeTargetGroupsCommand({ Names: [LAB.targetGroupName] }))).TargetGroups?.[0]?.TargetGroupArn;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (!arn) return run.absent('target group', LAB.targetGroupName);
  await run.delete('target group', LAB.targetGroupName, arn, () => run.clients.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn })));
}

async function natGateway(run: Run): Promise<void> {
  const found = await run.clients.ec2.send(
    new DescribeNatGatewaysCommand({ Filter: [...byName(LAB.natGatewayName), { Name: 'state', Values: ['pending', 'available', 'deleting'] }] }),
  );
  const gateways = found.NatGateways ?? [];
  if (gateways.length === 0) return run.absent('NAT gateway', LAB.natGatewayName);
  for (const gateway of gateways) {
    const id = gateway.NatGatewayId!;
    if (gateway.State !== 'deleting') {
      await run.delete('NAT gateway', LAB.natGatewayName, id, () => run.clients.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: id })));
    }
    await run.waitFor(`NAT gateway ${id} to be deleted`, async () => {
      const state = (await run.clients.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [id] }))).NatGateways?.[0]?.State;
      return state === undefined || state === 'deleted';
    }, { intervalMs: 15_000, attempts: 60 });
  }
}

async function elasticIp(run: Run): Promise<void> {
  const addresses = (await run.clients.ec2.send(new DescribeAddressesCommand({ Filters: byName(LAB.elasticIpName) }))).Addresses ?? [];
  if (addresses.length === 0) return run.absent('elastic IP', LAB.elasticIpName);
  for (const address of addresses) {
    await run.delete('elastic IP', LAB.elasticIpName, address.AllocationId, () =>
      run.clients.ec2.send(new ReleaseAddressCommand({ AllocationId: address.AllocationId })),
    );
  }
}

async function network(run: Run): Promise<void> {
  const vpc = (await run.clients.ec2.send(new DescribeVpcsCommand({ Filters: byName(LAB.vpcName) }))).Vpcs?.[0];
  if (!vpc) {
    for (const [resource, name] of [
      ['route table', LAB.publicRouteTableName],
      ['route table', LAB.privateRouteTableName],
      ['internet gateway', LAB.internetGatewayName],
      ['subnet', 'public and private subnets'],
      ['security group', `${LAB.appSecurityGroupName}, ${LAB.albSecurityGroupName}`],
      ['VPC', LAB.vpcName],
    ] as const) {
      run.absent(resource, name);
    }
    return;
  }
  const vpcId = vpc.VpcId!;

  for (const name of [LAB.publicRouteTableName, LAB.privateRouteTableName]) {
    const table = (await run.clients.ec2.send(new DescribeRouteTablesCommand({ Filters: byName(name, vpcId) }))).RouteTables?.[0];
    if (!table) {
      run.absent('route table', name);
      continue;
    }
    await run.delete('route table', name, table.RouteTableId, async () => {
      for (const association of table.Associations ?? []) {
        if (!association.Main && association.RouteTableAssociationId) {
          await run.clients.ec2.send(new DisassociateRouteTableCommand({ AssociationId: association.RouteTableAssociationId }));
        }
      }
      await run.clients.ec2.send(new DeleteRouteTableCommand({ RouteTableId: table.RouteTableId }));
    });
  }

  const gateways = (await run.clients.ec2.send(new DescribeInternetGatewaysCommand({ Filters: byName(LAB.internetGatewayName) }))).InternetGateways ?? [];
  if (gateways.length === 0) run.absent('internet gateway', LAB.internetGatewayName);
  for (const gateway of gateways) {
    await run.delete('internet gateway', LAB.internetGatewayName, gateway.InternetGatewayId, async () => {
      for (const attachment of gateway.Attachments ?? []) {
        // Detaching fails while an address in the VPC (the NAT gateway's) is still mapped.
        await whenReleased(run, `internet gateway ${gateway.InternetGatewayId}`, () =>
          run.clients.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: gateway.InternetGatewayId, VpcId: attachment.VpcId })),
        );
      }
      await whenReleased(run, `internet gateway ${gateway.InternetGatewayId}`, () =>
        run.clients.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: gateway.InternetGatewayId })),
      );
    });
  }

  const labSubnets = new Set<string>([...LAB.publicSubnets, ...LAB.privateSubnets].map((subnet) => subnet.name));
  const subnets = ((await run.clients.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets ?? []).filter(
    (subnet) => labSubnets.has(nameTag(subnet.Tags) ?? ''),
  );
  for (const subnet of subnets) {
    await run.delete('subnet', nameTag(subnet.Tags)!, subnet.SubnetId, () =>
      whenReleased(run, `subnet ${subnet.SubnetId}`, () => run.clients.ec2.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId }))),
    );
  }

  const groups = (
    await run.clients.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'group-name', Values: [LAB.appSecurityGroupName, LAB.albSecurityGroupName] },
        ],
      }),
    )
  ).SecurityGroups ?? [];
  // The app group refers to the ALB group in its rule, so it goes first.
  for (const name of [LAB.appSecurityGroupName, LAB.albSecurityGroupName]) {
    const group = groups.find((candidate) => candidate.GroupName === name);
    if (!group) {
      run.absent('security group', name);
      continue;
    }
    await run.delete('security group', name, group.GroupId, () =>
      whenReleased(run, `security group ${group.GroupId}`, () => run.clients.ec2.send(new DeleteSecurityGroupCommand({ GroupId: group.GroupId }))),
    );
  }

  await run.delete('VPC', LAB.vpcName, vpcId, () => whenReleased(run, `VPC ${vpcId}`, () => run.clients.ec2.send(new DeleteVpcCommand({ VpcId: vpcId }))));
}

async function logGroup(run: Run): Promise<void> {
  const found = await run.clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: LAB.logGroupName }));
  if (!found.logGroups?.some((group) => group.logGroupName === LAB.logGroupName)) return run.absent('log group', LAB.logGroupName);
  await run.delete('log group', LAB.logGroupName, undefined, () => run.clients.logs.send(new DeleteLogGroupCommand({ logGroupName: LAB.logGroupName })));
}

async function repository(run: Run): Promise<void> {
  try {
    await run.clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [LAB.repositoryName] }));
  } catch (error) {
    if (isNotFound(error)) return run.absent('ECR repository', LAB.repositoryName);
    throw error;
  }
  await run.delete('ECR repository', LAB.repositoryName, undefined, () =>
    run.clients.ecr.send(new DeleteRepositoryCommand({ repositoryName: LAB.repositoryName, force: true })),
  );
}

async function bucket(run: Run, accountId: string, region: string): Promise<void> {
  const name = bucketName({ accountId, region });
  try {
    await run.clients.s3.send(new HeadBucketCommand({ Bucket: name, ExpectedBucketOwner: accountId }));
  } catch (error) {
    if (isNotFound(error)) return run.absent('bucket', name);
    throw error;
  }
  await run.delete('bucket', name, undefined, async () => {
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const page = await run.clients.s3.send(new ListObjectVersionsCommand({ Bucket: name, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((version) => ({ Key: version.Key!, VersionId: version.VersionId }));
      if (objects.length > 0) await run.clients.s3.send(new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: objects, Quiet: true } }));
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
    await run.clients.s3.send(new DeleteBucketCommand({ Bucket: name }));
  });
}

async function budget(run: Run, accountId: string): Promise<void> {
  try {
    await run.clients.budgets.send(new DescribeBudgetCommand({ AccountId: accountId, BudgetName: LAB.budgetName }));
  } catch (error) {
    if (isNotFound(error)) return run.absent('budget', LAB.budgetName);
    throw error;
  }
  await run.delete('budget', LAB.budgetName, undefined, () => run.clients.budgets.send(new DeleteBudgetCommand({ AccountId: accountId, BudgetName: LAB.budgetName })));
}

async function roles(run: Run): Promise<void> {
  for (const roleName of [LAB.executionRoleName, LAB.taskRoleName]) {
    try {
      await run.clients.iam.send(new GetRoleCommand({ RoleName: roleName }));
    } catch (error) {
      if (isNotFound(error)) {
        run.absent('IAM role', roleName);
        continue;
      }
      throw error;
    }
    await run.delete('IAM role', roleName, undefined, async () => {
      if (roleName === LAB.executionRoleName) {
        await run.clients.iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: LAB.executionRolePolicyArn }));
      } else {
        await run.clients.iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: 'read-model-artifacts' }));
      }
      await run.clients.iam.send(new DeleteRoleCommand({ RoleName: roleName }));
    });
  }
}

/** Everything in the region that bills by the hour: NAT gateways, elastic IPs, load balancers. */
export async function billableLeft(run: Run): Promise<Billable[]> {
  const nat = (await run.clients.ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'state', Values: ['pending', 'available', 'deleting'] }] }))).NatGateways ?? [];
  const addresses = (await run.clients.ec2.send(new DescribeAddressesCommand({}))).Addresses ?? [];
  const balancers = (await run.clients.elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
  return [
    ...nat.map((gateway) => ({ kind: 'NAT gateway' as const, id: gateway.NatGatewayId!, lab: nameTag(gateway.Tags) === LAB.natGatewayName })),
    ...addresses.map((address) => ({ kind: 'elastic IP' as const, id: address.AllocationId ?? address.PublicIp!, lab: nameTag(address.Tags) === LAB.elasticIpName })),
    ...balancers.map((balancer) => ({ kind: 'load balancer' as const, id: balancer.LoadBalancerArn!, lab: balancer.LoadBalancerName === LAB.loadBalancerName })),
  ];
}

export async function teardown(clients: Clients, options: TeardownOptions): Promise<TeardownResult> {
  const run = new Run(clients, options);
  const accountId = (await run.clients.sts.send(new GetCallerIdentityCommand({}))).Account!;
  run.log(`account ${accountId}, region ${options.region}${run.dryRun ? ' (dry run: nothing is deleted)' : ''}`);
  await deleteAlarm(run);
  await service(run);
  await taskDefinitions(run);
  await cluster(run);
  await loadBalancer(run);
  await targetGroup(run);
  await natGateway(run);
  await elasticIp(run);
  await network(run);
  await logGroup(run);
  await repository(run);
  await bucket(run, accountId, options.region);
  if (options.academy) {
    run.record({ resource: 'budget', name: LAB.budgetName, state: 'skipped', detail: 'academy: the deploy creates no budget' });
    run.record({ resource: 'IAM role', name: LAB.academyRoleName, state: 'skipped', detail: 'academy: LabRole belongs to the Learner Lab' });
  } else {
    await budget(run, accountId);
    await roles(run);
  }
  const billable = await billableLeft(run);
  if (run.dryRun) {
    run.log(`dry run: ${run.steps.filter((step) => step.state === 'would delete').length} deletion(s) planned, nothing was changed`);
  } else if (billable.length === 0) {
    run.log(`Nothing billable remains in ${options.region}: no NAT gateway, elastic IP or load balancer.`);
  } else {
    for (const item of billable) run.log(`still billing: ${item.kind} ${item.id}${item.lab ? ' (the lab\'s!)' : ' (not created by the deploy)'}`);
  }
  return { run, billable };
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('teardown')
    .description('Remove everything the deploy created and confirm nothing billable remains.')
    .requiredOption('--region <region>', 'AWS region, e.g. eu-west-1')
    .option('--profile <name>', 'AWS profile from ~/.aws/config')
    .option('--dry-run', 'print what would be deleted; only Describe/List/Get calls', false)
    .option('--academy', 'AWS Academy / Learner Lab: keep LabRole, no budget to delete', false)
    .parse(argv);
  const flags = program.opts<{ region: string; profile?: string; dryRun: boolean; academy: boolean }>();
  const { billable } = await teardown(createClients(flags.region, flags.profile), { region: flags.region, dryRun: flags.dryRun, academy: flags.academy });
  if (!flags.dryRun && billable.some((item) => item.lab)) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv).catch((error: unknown) => {
    console.error(explainFailure('teardown', error));
    process.exit(1);
  });
}
