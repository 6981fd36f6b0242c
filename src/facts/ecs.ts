// ECS: the lab's clusters, their services and running tasks, and the task definitions they
// use (the latest revision of each family, and any older one a service still runs). A task
// definition's containers are reduced to what the checks read before they enter the snapshot:
// environment values, commands, labels and log options are where students put passwords and
// API keys, so no value of them is stored.
import type { Bucket } from '@aws-sdk/client-s3';
import type { ContainerDefinition, Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { call, collectPages, dataOf, EarlierFailure, identified, keyed, listOf, lookup, single, type ReadContext } from './define.js';
import { labFirst } from './names.js';

const BOUNDS = { clusters: 10, taskDefinitionFamilies: 10 } as const;

export const familyOf = (taskDefinitionArn: string) => taskDefinitionArn.split('/').pop()?.replace(/:\d+$/, '') ?? taskDefinitionArn;
const revisionOf = (taskDefinitionArn: string) => Number(taskDefinitionArn.match(/:(\d+)$/)?.[1] ?? 0);

/** The cluster and service name hints together: task definition families and log groups are named after either. */
export const ecsHints = (ctx: ReadContext) => [...ctx.hints.ecs.clusterNameHints, ...ctx.hints.ecs.serviceNameHints];

/** The latest ACTIVE revision of each family, by family. */
export function latestByFamily(ctx: ReadContext): Map<string, string> {
  const latest = new Map<string, string>();
  for (const arn of dataOf(ctx.get<string[]>('taskDefinitionArns')) ?? []) {
    const current = latest.get(familyOf(arn));
    if (current === undefined || revisionOf(arn) > revisionOf(current)) latest.set(familyOf(arn), arn);
  }
  return latest;
}

const labClusters = (ctx: ReadContext) =>
  labFirst(dataOf(ctx.get<string[]>('clusterArns')) ?? [], (arn) => arn.split('/').pop(), ctx.hints.ecs.clusterNameHints, BOUNDS.clusters);

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const clusterArns = lookup<string[]>({
  key: 'clusterArns',
  calls: [call('ecs', 'ListClustersCommand', 'ecs:ListClusters')],
  serves: ['clusters', 'services', 'tasks'],
  read: ({ sdk, aws }) => collectPages(sdk.ecs.paginateListClusters({ client: aws.ecs }, {}), (p) => p.clusterArns),
  reuse: { fact: 'clusters', value: (clusters: { clusterArn?: string }[]) => clusters.flatMap((c) => (c.clusterArn ? [c.clusterArn] : [])) },
});

export const clusters = single({
  key: 'clusters',
  description: 'The lab clusters (name hints first), with their settings (Container Insights).',
  calls: [call('ecs', 'DescribeClustersCommand', 'ecs:DescribeClusters')],
  after: ['clusterArns'],
  schema: listOf('clusterArn'),
  read: async (ctx) => {
    const listed = ctx.get<string[]>('clusterArns');
    if (listed && !listed.ok) throw new EarlierFailure(listed.error);
    const arns = labClusters(ctx);
    if (arns.length === 0) return [];
    return (await ctx.aws.ecs.send(new ctx.sdk.ecs.DescribeClustersCommand({ clusters: arns, include: ['SETTINGS'] }))).clusters ?? [];
  },
});

export const services = keyed({
  key: 'services',
  description: "Each lab cluster's services (network configuration, load balancers, deployments).",
  keyedBy: 'cluster ARN',
  calls: [call('ecs', 'ListServicesCommand', 'ecs:ListServices'), call('ecs', 'DescribeServicesCommand', 'ecs:DescribeServices')],
  after: ['clusterArns'],
  schema: listOf('serviceArn'),
  keys: labClusters,
  list: {
    read: ({ sdk, aws }, cluster) => collectPages(sdk.ecs.paginateListServices({ client: aws.ecs }, { cluster }), (p) => p.serviceArns),
    none: { codes: ['ClusterNotFoundException'], value: [] },
  },
  read: async ({ sdk, aws }, cluster, serviceArns: string[]) => {
    const described = await Promise.all(
      chunks(serviceArns, 10).map(async (batch) => (await aws.ecs.send(new sdk.ecs.DescribeServicesCommand({ cluster, services: batch }))).services ?? []),
    );
    return described.flat();
  },
});

export const tasks = keyed({
  key: 'tasks',
  description: "Each lab cluster's running tasks.",
  keyedBy: 'cluster ARN',
  calls: [call('ecs', 'ListTasksCommand', 'ecs:ListTasks'), call('ecs', 'DescribeTasksCommand', 'ecs:DescribeTasks')],
  after: ['clusterArns'],
  schema: listOf('taskArn'),
  keys: labClusters,
  list: {
    read: ({ sdk, aws }, cluster) =>
      collectPages(sdk.ecs.paginateListTasks({ client: aws.ecs }, { cluster, desiredStatus: 'RUNNING' }), (p) => p.taskArns),
    none: { codes: ['ClusterNotFoundException'], value: [] },
  },
  read: async ({ sdk, aws }, cluster, taskArns: string[]) => {
    const described = await Promise.all(
      chunks(taskArns, 100).map(async (batch) => (await aws.ecs.send(new sdk.ecs.DescribeTasksCommand({ cluster, tasks: batch }))).tasks ?? []),
    );
    return described.flat();
  },
});

/** The ACTIVE task definitions, newest first; a failure only costs the families no service uses. */
/** What is stored for an environment variable's value: never the value, only which of the account's buckets it names (step 2.3's review reads that). */
export function storedEnvironmentValue(value: string | undefined, bucketNames: readonly string[]): string {
  const named = bucketNames.filter((bucket) => value?.includes(bucket));
  return named.length > 0 ? `(value not stored; names bucket ${named.join(', ')})` : '(value not stored)';
}

/** A container as the checks read it: its name, image, ports, whether it is essential, its awslogs options and its environment's names. */
export function containerForChecks(container: ContainerDefinition, bucketNames: readonly string[]): ContainerDefinition {
  const { name, image, essential, portMappings, environment, logConfiguration } = container;
  const awslogs = Object.entries(logConfiguration?.options ?? {}).filter(([option]) => option.startsWith('awslogs-'));
  return {
    ...(name === undefined ? {} : { name }),
    ...(image === undefined ? {} : { image }),
    ...(essential === undefined ? {} : { essential }),
    ...(portMappings === undefined ? {} : { portMappings }),
    ...(environment === undefined
      ? {}
      : { environment: environment.map((variable) => ({ ...(variable.name === undefined ? {} : { name: variable.name }), value: storedEnvironmentValue(variable.value, bucketNames) })) }),
    ...(logConfiguration === undefined
      ? {}
      : { logConfiguration: { logDriver: logConfiguration.logDriver, ...(awslogs.length > 0 ? { options: Object.fromEntries(awslogs) } : {}) } }),
  };
}

/** The task definition with its containers reduced to what the checks read. */
export function taskDefinitionForChecks(taskDefinition: TaskDefinition, bucketNames: readonly string[]): TaskDefinition {
  return {
    ...taskDefinition,
    ...(taskDefinition.containerDefinitions === undefined ? {} : { containerDefinitions: taskDefinition.containerDefinitions.map((container) => containerForChecks(container, bucketNames)) }),
  };
}

const taskDefinitionArns = lookup<string[]>({
  key: 'taskDefinitionArns',
  calls: [call('ecs', 'ListTaskDefinitionsCommand', 'ecs:ListTaskDefinitions')],
  serves: ['taskDefinitions'],
  read: ({ sdk, aws }) =>
    collectPages(sdk.ecs.paginateListTaskDefinitions({ client: aws.ecs }, { status: 'ACTIVE', sort: 'DESC' }), (p) => p.taskDefinitionArns, 5),
});

export const taskDefinitions = keyed({
  key: 'taskDefinitions',
  description: 'Task definitions: the latest active revision of the lab families, and the revisions the services use.',
  keyedBy: 'task definition ARN',
  calls: [call('ecs', 'DescribeTaskDefinitionCommand', 'ecs:DescribeTaskDefinition')],
  // The buckets, to say which one an environment value names without storing the value.
  after: ['taskDefinitionArns', 'buckets'],
  schema: identified('taskDefinitionArn'),
  keys: (ctx) => {
    const latest = labFirst([...latestByFamily(ctx).values()], familyOf, ecsHints(ctx), BOUNDS.taskDefinitionFamilies);
    const used = ctx
      .keysOf('services')
      .flatMap((cluster) => dataOf(ctx.entry<Service[]>('services', cluster)) ?? [])
      .flatMap((service) => (service.taskDefinition ? [service.taskDefinition] : []));
    return [...new Set([...latest, ...used])];
  },
  read: async (ctx, arn) => {
    const { sdk, aws } = ctx;
    const answer = await aws.ecs.send(new sdk.ecs.DescribeTaskDefinitionCommand({ taskDefinition: arn }));
    if (!answer.taskDefinition) throw new Error(`ecs:DescribeTaskDefinition returned no task definition for ${arn}`);
    const bucketNames = (dataOf(ctx.get<Bucket[]>('buckets')) ?? []).flatMap((bucket) => (bucket.Name ? [bucket.Name] : []));
    return taskDefinitionForChecks(answer.taskDefinition, bucketNames);
  },
  storeAs: (arn, taskDefinition) => taskDefinition.taskDefinitionArn ?? arn,
});

export const definitions = [clusterArns, clusters, services, tasks, taskDefinitionArns, taskDefinitions] as const;
