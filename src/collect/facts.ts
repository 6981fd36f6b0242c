// The account → Facts, in a few rounds of concurrent calls. Each round needs only what
// earlier rounds returned; per-resource calls are made only for the resources that matter.
import { GetAccountSummaryCommand, paginateGetGroup, paginateListAccessKeys, paginateListAccountAliases,
  paginateListAttachedGroupPolicies, paginateListGroups, paginateListMFADevices, paginateListUsers,
  type Group, type User } from '@aws-sdk/client-iam';
import { paginateDescribeBudgets, paginateDescribeNotificationsForBudget, paginateDescribeSubscribersForNotification,
  type Budget, type Notification } from '@aws-sdk/client-budgets';
import { GetBucketAclCommand, GetBucketLocationCommand, GetBucketPolicyStatusCommand, GetPublicAccessBlockCommand,
  paginateListBuckets, paginateListObjectsV2, type Bucket } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { paginateDescribeImages, paginateDescribeRepositories, type Repository } from '@aws-sdk/client-ecr';
import { DescribeAddressesCommand, paginateDescribeInternetGateways, paginateDescribeNatGateways,
  paginateDescribeRouteTables, paginateDescribeSecurityGroups, paginateDescribeSubnets,
  paginateDescribeVpcs } from '@aws-sdk/client-ec2';
import { DescribeTargetHealthCommand, paginateDescribeListeners, paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups, type LoadBalancer, type TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand,
  paginateListClusters, paginateListServices, paginateListTaskDefinitions, paginateListTasks, type Cluster,
  type TaskDefinition } from '@aws-sdk/client-ecs';
import { DescribeLogStreamsCommand, GetLogEventsCommand, paginateDescribeLogGroups,
  type LogGroup, type LogStream } from '@aws-sdk/client-cloudwatch-logs';
import { paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import { LookupEventsCommand, type Event as TrailEvent, type LookupAttribute } from '@aws-sdk/client-cloudtrail';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AwsClients } from '../aws/clients.js';
import { trailUsername } from '../aws/credentials.js';
import type { LabParams } from '../rubric/params.js';
import { FACT_CALLS, KEYED_FACTS } from '../snapshot/facts.js';
import type { CallerIdentity, Fact, FactKey, Facts } from '../snapshot/types.js';
import { collectPages, EarlierFailure, readFact, type CallContext } from './calls.js';
import { matchesHint } from '../resolve/tags.js';

/** How many resources of a kind get per-resource calls; the lab's own come first. */
export const BOUNDS = {
  groups: 20,
  users: 20,
  budgets: 20,
  buckets: 100,
  /** Buckets whose objects are listed when no name hint matches: all of them if there are this few. */
  bucketsListedWithoutHint: 5,
  objectPages: 2,
  repositories: 20,
  imagePages: 5,
  loadBalancers: 20,
  targetGroups: 20,
  clusters: 10,
  taskDefinitionFamilies: 10,
  logGroups: 5,
  logStreams: 5,
  logEvents: 50,
  trailEvents: 50,
  trailUsers: 5,
} as const;

/** The collector's view of the clients: every `send` goes through the CallContext. */
export type CollectClients = Omit<AwsClients, 'destroy'>;

export interface FactsInput {
  ctx: CallContext;
  clients: CollectClients;
  caller: CallerIdentity;
  region: string;
  params: LabParams;
  /** Facts of an earlier collection, copied instead of read when `refresh` says so. */
  previous?: Facts;
  refresh?: (key: FactKey) => boolean;
  /** One event per fact read. */
  onFact?: (event: { done: number; total: number; label: string }) => void;
}

type Draft = Partial<Record<FactKey, unknown>>;

/** The first `limit` items, those whose name matches a hint (or is `preferred`) first, order kept otherwise. */
function labFirst<T>(items: T[], name: (item: T) => string | undefined, hints: readonly string[], limit: number, preferred: string[] = []): T[] {
  const rank = (item: T) => (preferred.includes(name(item) ?? '') ? 0 : matchesHint(name(item), hints) ? 1 : 2);
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index)
    .slice(0, limit)
    .map(({ item }) => item);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const familyOf = (taskDefinitionArn: string) => taskDefinitionArn.split('/').pop()?.replace(/:\d+$/, '') ?? taskDefinitionArn;
const revisionOf = (taskDefinitionArn: string) => Number(taskDefinitionArn.match(/:(\d+)$/)?.[1] ?? 0);

/** S3's GetBucketLocation answers null for us-east-1 and `EU` for the oldest eu-west-1 buckets. */
function locationRegion(constraint: string | undefined | null): string {
  if (!constraint) return 'us-east-1';
  return constraint === 'EU' ? 'eu-west-1' : constraint;
}

export async function collectFacts(input: FactsInput): Promise<Facts> {
  const { ctx, clients, caller, region, params, previous, refresh } = input;
  const draft: Draft = { callerIdentity: { ok: true, data: caller } satisfies Fact<CallerIdentity> };
  let planned = 0;
  let done = 0;

  const fresh = (key: FactKey) => previous?.[key] === undefined || (refresh?.(key) ?? true);
  const copy = (key: FactKey) => {
    draft[key] = structuredClone(previous?.[key]);
  };
  const keyed = (key: FactKey) => (draft[key] ??= {}) as Record<string, Fact<unknown>>;

  /** Reads one fact (list fact, or one entry of a keyed fact) and records it. */
  async function read<T>(
    key: FactKey,
    resourceKey: string | undefined,
    reader: () => Promise<T>,
    none?: { codes: string[]; value: T },
  ): Promise<Fact<T>> {
    planned += 1;
    const fact = await readFact(FACT_CALLS[key], reader, none);
    if (resourceKey === undefined) draft[key] = fact;
    else keyed(key)[resourceKey] = fact;
    done += 1;
    input.onFact?.({ done, total: planned, label: resourceKey === undefined ? key : `${key} ${resourceKey}` });
    return fact;
  }

  /** The data of a list fact read now, or copied from `previous` when it is not to be refreshed. */
  async function list<T>(key: FactKey, reader: () => Promise<T>, none?: { codes: string[]; value: T }): Promise<T | undefined> {
    if (!fresh(key)) {
      copy(key);
      const fact = draft[key] as Fact<T>;
      return fact.ok ? fact.data : undefined;
    }
    const fact = await read(key, undefined, reader, none);
    return fact.ok ? fact.data : undefined;
  }

  const ok = <T>(fact: Fact<T> | undefined): T | undefined => (fact?.ok ? fact.data : undefined);
  const { iam, budgets: budgetsClient, s3control, ecr, ec2, elb, ecs, logs, cloudwatch, cloudtrail } = clients;
  const s3 = (bucketRegion: string): S3Client => clients.s3(bucketRegion);

  // Keyed facts not to be refreshed are copied whole; their calls are skipped below.
  for (const key of KEYED_FACTS) if (!fresh(key)) copy(key);

  const lookupEvents = (attribute: LookupAttribute) => async () =>
    ((await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [attribute], MaxResults: BOUNDS.trailEvents })))
      .Events ?? []) as TrailEvent[];
  const callerName = trailUsername(caller.Arn);
  const eventsByUser = new Map<string, Fact<TrailEvent[]>>();
  const readUserEvents = async (username: string) => {
    const fact = await readFact(FACT_CALLS.userEvents, lookupEvents({ AttributeKey: 'Username', AttributeValue: username }));
    eventsByUser.set(username, fact);
  };

  // Round 2 (after the credentials check): every list, each independent of the others.
  let groups: Group[] | undefined;
  let users: User[] | undefined;
  let budgets: Budget[] | undefined;
  let buckets: Bucket[] | undefined;
  let repositories: Repository[] | undefined;
  let loadBalancers: LoadBalancer[] | undefined;
  let targetGroups: TargetGroup[] | undefined;
  let clusterArns: string[] | undefined;
  let taskDefinitionArns: string[] = [];
  let logGroups: LogGroup[] | undefined;
  const refreshClusters = fresh('clusters');
  const refreshTaskDefinitions = fresh('taskDefinitions');
  const refreshUserEvents = fresh('userEvents');

  await ctx.round([
    () => list('accountSummary', async () => (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap ?? {}),
    () => list('accountAliases', () => collectPages(paginateListAccountAliases({ client: iam }, {}), (p) => p.AccountAliases)),
    async () => (groups = await list('groups', () => collectPages(paginateListGroups({ client: iam }, {}), (p) => p.Groups))),
    async () => (users = await list('users', () => collectPages(paginateListUsers({ client: iam }, {}), (p) => p.Users))),
    async () =>
      (budgets = await list(
        'budgets',
        () => collectPages(paginateDescribeBudgets({ client: budgetsClient }, { AccountId: caller.Account }), (p) => p.Budgets),
        { codes: ['NotFoundException'], value: [] },
      )),
    () =>
      list(
        'accountPublicAccessBlock',
        async () =>
          (await s3control.send(new GetAccountPublicAccessBlockCommand({ AccountId: caller.Account })))
            .PublicAccessBlockConfiguration ?? null,
        { codes: ['NoSuchPublicAccessBlockConfiguration'], value: null },
      ),
    async () => (buckets = await list('buckets', () => collectPages(paginateListBuckets({ client: s3(region) }, {}), (p) => p.Buckets))),
    async () =>
      (repositories = await list('repositories', () =>
        collectPages(paginateDescribeRepositories({ client: ecr }, {}), (p) => p.repositories),
      )),
    () => list('vpcs', () => collectPages(paginateDescribeVpcs({ client: ec2 }, {}), (p) => p.Vpcs)),
    () => list('subnets', () => collectPages(paginateDescribeSubnets({ client: ec2 }, {}), (p) => p.Subnets)),
    () => list('internetGateways', () => collectPages(paginateDescribeInternetGateways({ client: ec2 }, {}), (p) => p.InternetGateways)),
    () => list('routeTables', () => collectPages(paginateDescribeRouteTables({ client: ec2 }, {}), (p) => p.RouteTables)),
    () => list('natGateways', () => collectPages(paginateDescribeNatGateways({ client: ec2 }, {}), (p) => p.NatGateways)),
    // DescribeAddresses has no pages: it answers every elastic IP at once.
    () => list('addresses', async () => (await ec2.send(new DescribeAddressesCommand({}))).Addresses ?? []),
    () => list('securityGroups', () => collectPages(paginateDescribeSecurityGroups({ client: ec2 }, {}), (p) => p.SecurityGroups)),
    async () =>
      (loadBalancers = await list('loadBalancers', () =>
        collectPages(paginateDescribeLoadBalancers({ client: elb }, {}), (p) => p.LoadBalancers),
      )),
    async () =>
      (targetGroups = await list('targetGroups', () =>
        collectPages(paginateDescribeTargetGroups({ client: elb }, {}), (p) => p.TargetGroups),
      )),
    async () => {
      if (!refreshClusters) {
        copy('clusters');
        clusterArns = (ok(draft.clusters as Fact<Cluster[]>) ?? []).flatMap((c) => (c.clusterArn ? [c.clusterArn] : []));
        return;
      }
      const listed = await readFact('ecs:ListClusters', () =>
        collectPages(paginateListClusters({ client: ecs }, {}), (p) => p.clusterArns),
      );
      if (listed.ok) clusterArns = listed.data;
      else draft.clusters = listed;
    },
    async () => {
      // The latest ACTIVE revision of each family; a failure here only costs the families no service uses.
      if (!refreshTaskDefinitions) return;
      const listed = await readFact('ecs:ListTaskDefinitions', () =>
        collectPages(paginateListTaskDefinitions({ client: ecs }, { status: 'ACTIVE', sort: 'DESC' }), (p) => p.taskDefinitionArns, 5),
      );
      if (listed.ok) taskDefinitionArns = listed.data;
    },
    async () =>
      (logGroups = await list('logGroups', () =>
        collectPages(paginateDescribeLogGroups({ client: logs }, {}), (p) => p.logGroups, 10),
      )),
    () => list('alarms', () => collectPages(paginateDescribeAlarms({ client: cloudwatch }, {}), (p) => p.MetricAlarms)),
    () => list('ecrLoginEvents', lookupEvents({ AttributeKey: 'EventName', AttributeValue: 'GetAuthorizationToken' })),
    async () => {
      if (refreshUserEvents && callerName) await readUserEvents(callerName);
    },
  ]);

  // Round 3: per-resource reads of what the lists found.
  const labGroups = labFirst(groups ?? [], (g) => g.GroupName, [], BOUNDS.groups, [params.iam.adminGroup]);
  const labUsers = labFirst(users ?? [], (u) => u.UserName, [], BOUNDS.users, callerName ? [callerName] : []);
  const labBudgets = (budgets ?? []).slice(0, BOUNDS.budgets);
  const labBuckets = labFirst(buckets ?? [], (b) => b.Name, params.bucket.nameHints, BOUNDS.buckets);
  const labRepositories = labFirst(repositories ?? [], (r) => r.repositoryName, params.repository.nameHints, BOUNDS.repositories);
  const labLoadBalancers = labFirst(loadBalancers ?? [], (l) => l.LoadBalancerName, params.loadBalancer.nameHints, BOUNDS.loadBalancers);
  const labTargetGroups = labFirst(targetGroups ?? [], (t) => t.TargetGroupName, params.loadBalancer.targetGroupNameHints, BOUNDS.targetGroups);
  const ecsHints = [...params.ecs.clusterNameHints, ...params.ecs.serviceNameHints];
  const labClusterArns = labFirst(clusterArns ?? [], (arn) => arn.split('/').pop(), params.ecs.clusterNameHints, BOUNDS.clusters);

  const latestByFamily = new Map<string, string>();
  for (const arn of taskDefinitionArns) {
    const current = latestByFamily.get(familyOf(arn));
    if (current === undefined || revisionOf(arn) > revisionOf(current)) latestByFamily.set(familyOf(arn), arn);
  }
  const latestTaskDefinitions = labFirst([...latestByFamily.values()], familyOf, ecsHints, BOUNDS.taskDefinitionFamilies);

  const notifications = new Map<string, Fact<Notification[]>>();
  const bucketRegions = new Map<string, string>();
  const serviceArns = new Map<string, Fact<string[]>>();
  const taskArns = new Map<string, Fact<string[]>>();
  const describedTaskDefinitions = new Set<string>();
  const requestedTaskDefinitions = new Set<string>();

  // The log groups whose latest events are read: those the task definitions name, and,
  // guessed early so logs need no extra round, the console's `/ecs/<family>` default or a hint.
  const wantedLogGroups: string[] = [];
  const families = new Set(latestByFamily.keys());
  const guessedLogGroups = (logGroups ?? []).filter(
    (g) => families.has((g.logGroupName ?? '').replace(/^\/ecs\//, '')) || matchesHint(g.logGroupName, ecsHints),
  );
  for (const group of labFirst(guessedLogGroups, (g) => g.logGroupName, ecsHints, BOUNDS.logGroups)) {
    wantedLogGroups.push(group.logGroupName ?? '');
  }
  const noteLogGroups = (taskDefinition: TaskDefinition) => {
    for (const container of taskDefinition.containerDefinitions ?? []) {
      const group = container.logConfiguration?.logDriver === 'awslogs' && container.logConfiguration.options?.['awslogs-group'];
      if (group && !wantedLogGroups.includes(group)) wantedLogGroups.push(group);
    }
  };
  if (!refreshTaskDefinitions) {
    for (const fact of Object.values((draft.taskDefinitions ?? {}) as Record<string, Fact<TaskDefinition>>)) if (fact.ok) noteLogGroups(fact.data);
  }

  const describeTaskDefinition = (arn: string) => async () => {
    requestedTaskDefinitions.add(arn);
    const fact = await readFact(FACT_CALLS.taskDefinitions, async () =>
      (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }))).taskDefinition as TaskDefinition,
    );
    const taskDefinitions = keyed('taskDefinitions');
    taskDefinitions[fact.ok ? (fact.data.taskDefinitionArn ?? arn) : arn] = fact;
    if (fact.ok) {
      describedTaskDefinitions.add(fact.data.taskDefinitionArn ?? arn);
      noteLogGroups(fact.data);
    }
  };

  /** Log streams for wanted groups not read yet, then the newest stream's events: one step per round. */
  const logTasks = (): (() => Promise<unknown>)[] => {
    const tasks: (() => Promise<unknown>)[] = [];
    for (const group of wantedLogGroups) {
      const streams = draft.logStreams as Record<string, Fact<LogStream[]>> | undefined;
      if (fresh('logStreams') && streams?.[group] === undefined) {
        tasks.push(() =>
          read('logStreams', group, async () =>
            (await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', descending: true, limit: BOUNDS.logStreams })))
              .logStreams ?? [],
            { codes: ['ResourceNotFoundException'], value: [] },
          ),
        );
      } else if (fresh('logEvents') && (draft.logEvents as Record<string, unknown> | undefined)?.[group] === undefined) {
        const groupStreams = streams?.[group];
        const newest = ok(groupStreams)?.[0]?.logStreamName;
        tasks.push(() =>
          read('logEvents', group, async () => {
            if (groupStreams && !groupStreams.ok) throw new EarlierFailure(groupStreams.error);
            return newest === undefined
              ? []
              : ((await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: newest, startFromHead: false, limit: BOUNDS.logEvents })))
                  .events ?? []);
          }, { codes: ['ResourceNotFoundException'], value: [] },
          ),
        );
      }
    }
    return tasks;
  };

  await ctx.round([
    ...(fresh('groupPolicies')
      ? labGroups.map((g) => () =>
          read('groupPolicies', g.GroupName ?? '', () =>
            collectPages(paginateListAttachedGroupPolicies({ client: iam }, { GroupName: g.GroupName }), (p) => p.AttachedPolicies),
          ),
        )
      : []),
    ...(fresh('groupMembers')
      ? labGroups.map((g) => () =>
          read('groupMembers', g.GroupName ?? '', () =>
            collectPages(paginateGetGroup({ client: iam }, { GroupName: g.GroupName }), (p) => p.Users),
          ),
        )
      : []),
    ...(fresh('userMfaDevices')
      ? labUsers.map((u) => () =>
          read('userMfaDevices', u.UserName ?? '', () =>
            collectPages(paginateListMFADevices({ client: iam }, { UserName: u.UserName }), (p) => p.MFADevices),
          ),
        )
      : []),
    ...(fresh('userAccessKeys')
      ? labUsers.map((u) => () =>
          read('userAccessKeys', u.UserName ?? '', () =>
            collectPages(paginateListAccessKeys({ client: iam }, { UserName: u.UserName }), (p) => p.AccessKeyMetadata),
          ),
        )
      : []),
    ...(fresh('budgetNotifications')
      ? labBudgets.map((b) => async () => {
          const fact = await readFact(FACT_CALLS.budgetNotifications, () =>
            collectPages(
              paginateDescribeNotificationsForBudget({ client: budgetsClient }, { AccountId: caller.Account, BudgetName: b.BudgetName }),
              (p) => p.Notifications,
            ),
            { codes: ['NotFoundException'], value: [] },
          );
          notifications.set(b.BudgetName ?? '', fact);
        })
      : []),
    ...labBuckets.map((b) => async () => {
      if (b.BucketRegion) return void bucketRegions.set(b.Name ?? '', b.BucketRegion);
      const location = await readFact(FACT_CALLS.buckets, async () =>
        (await s3(region).send(new GetBucketLocationCommand({ Bucket: b.Name }))).LocationConstraint as string | undefined,
      );
      // Unknown location: ask the lab's region; S3 redirects, and a failure lands on the bucket's facts.
      bucketRegions.set(b.Name ?? '', location.ok ? locationRegion(location.data) : region);
    }),
    ...(fresh('repositoryImages')
      ? labRepositories.map((r) => () =>
          read('repositoryImages', r.repositoryName ?? '', () =>
            collectPages(
              paginateDescribeImages({ client: ecr }, { repositoryName: r.repositoryName, registryId: r.registryId }),
              (p) => p.imageDetails,
              BOUNDS.imagePages,
            ),
          ),
        )
      : []),
    ...(fresh('listeners')
      ? labLoadBalancers.map((l) => () =>
          read('listeners', l.LoadBalancerArn ?? '', () =>
            collectPages(paginateDescribeListeners({ client: elb }, { LoadBalancerArn: l.LoadBalancerArn }), (p) => p.Listeners),
          ),
        )
      : []),
    ...(fresh('targetHealth')
      ? labTargetGroups.map((t) => () =>
          read('targetHealth', t.TargetGroupArn ?? '', async () =>
            (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: t.TargetGroupArn }))).TargetHealthDescriptions ?? [],
          ),
        )
      : []),
    ...(refreshClusters && clusterArns !== undefined
      ? [
          () =>
            read('clusters', undefined, async () =>
              labClusterArns.length === 0
                ? []
                : ((await ecs.send(new DescribeClustersCommand({ clusters: labClusterArns, include: ['SETTINGS'] }))).clusters ?? []),
            ),
        ]
      : []),
    ...(fresh('services')
      ? labClusterArns.map((cluster) => async () =>
          serviceArns.set(
            cluster,
            await readFact('ecs:ListServices', () => collectPages(paginateListServices({ client: ecs }, { cluster }), (p) => p.serviceArns), {
              codes: ['ClusterNotFoundException'],
              value: [],
            }),
          ),
        )
      : []),
    ...(fresh('tasks')
      ? labClusterArns.map((cluster) => async () =>
          taskArns.set(
            cluster,
            await readFact('ecs:ListTasks', () =>
              collectPages(paginateListTasks({ client: ecs }, { cluster, desiredStatus: 'RUNNING' }), (p) => p.taskArns),
              { codes: ['ClusterNotFoundException'], value: [] },
            ),
          ),
        )
      : []),
    ...(refreshTaskDefinitions ? latestTaskDefinitions.map(describeTaskDefinition) : []),
    ...logTasks(),
  ]);

  // Round 4: what depends on round 3: subscribers, bucket details, services and tasks, log events.
  const objectsFor = new Set(
    (labBuckets.length <= BOUNDS.bucketsListedWithoutHint ? labBuckets : labBuckets.filter((b) => matchesHint(b.Name, params.bucket.nameHints)))
      .map((b) => b.Name ?? ''),
  );
  const adminMembers = ok((draft.groupMembers as Record<string, Fact<User[]>> | undefined)?.[params.iam.adminGroup]) ?? [];
  const trailUsers = [...new Set(adminMembers.flatMap((u) => (u.UserName ? [u.UserName] : [])))]
    .filter((name) => name !== callerName)
    .slice(0, BOUNDS.trailUsers - 1);

  await ctx.round([
    ...[...notifications].map(([budgetName, listed]) => () =>
      read('budgetNotifications', budgetName, async () => {
        if (!listed.ok) throw new EarlierFailure(listed.error);
        return Promise.all(
          listed.data.map(async (notification) => ({
            Notification: notification,
            Subscribers: await collectPages(
              paginateDescribeSubscribersForNotification(
                { client: budgetsClient },
                { AccountId: caller.Account, BudgetName: budgetName, Notification: notification },
              ),
              (p) => p.Subscribers,
            ),
          })),
        );
      }),
    ),
    ...labBuckets.flatMap((b) => {
      const name = b.Name ?? '';
      const client = s3(bucketRegions.get(name) ?? region);
      return [
        ...(fresh('bucketPublicAccessBlocks')
          ? [() =>
              read('bucketPublicAccessBlocks', name, async () =>
                (await client.send(new GetPublicAccessBlockCommand({ Bucket: name }))).PublicAccessBlockConfiguration ?? null,
                { codes: ['NoSuchPublicAccessBlockConfiguration'], value: null },
              )]
          : []),
        ...(fresh('bucketPolicyStatus')
          ? [() =>
              read('bucketPolicyStatus', name, async () =>
                (await client.send(new GetBucketPolicyStatusCommand({ Bucket: name }))).PolicyStatus ?? null,
                { codes: ['NoSuchBucketPolicy'], value: null },
              )]
          : []),
        ...(fresh('bucketAcls')
          ? [() => read('bucketAcls', name, async () => (await client.send(new GetBucketAclCommand({ Bucket: name }))).Grants ?? [])]
          : []),
        ...(fresh('bucketObjects') && objectsFor.has(name)
          ? [() =>
              read('bucketObjects', name, () =>
                collectPages(paginateListObjectsV2({ client }, { Bucket: name }), (p) => p.Contents, BOUNDS.objectPages),
              )]
          : []),
      ];
    }),
    ...[...serviceArns].map(([cluster, listed]) => () =>
      read('services', cluster, async () => {
        if (!listed.ok) throw new EarlierFailure(listed.error);
        const described = await Promise.all(
          chunks(listed.data, 10).map(async (batch) => (await ecs.send(new DescribeServicesCommand({ cluster, services: batch }))).services ?? []),
        );
        return described.flat();
      }),
    ),
    ...[...taskArns].map(([cluster, listed]) => () =>
      read('tasks', cluster, async () => {
        if (!listed.ok) throw new EarlierFailure(listed.error);
        const described = await Promise.all(
          chunks(listed.data, 100).map(async (batch) => (await ecs.send(new DescribeTasksCommand({ cluster, tasks: batch }))).tasks ?? []),
        );
        return described.flat();
      }),
    ),
    ...(refreshUserEvents ? trailUsers.map((name) => () => readUserEvents(name)) : []),
    ...logTasks(),
  ]);

  // Follow-up rounds, only when the early guesses missed: task definitions the services use
  // that are not their family's latest, and the log groups those name.
  for (let extra = 0; extra < 3; extra += 1) {
    const servicesMap = (draft.services ?? {}) as Record<string, Fact<{ taskDefinition?: string }[]>>;
    const missing = refreshTaskDefinitions
      ? [...new Set(Object.values(servicesMap).flatMap((fact) => (ok(fact) ?? []).flatMap((s) => (s.taskDefinition ? [s.taskDefinition] : []))))]
          .filter((arn) => !describedTaskDefinitions.has(arn) && !requestedTaskDefinitions.has(arn))
      : [];
    const tasks = [...missing.map(describeTaskDefinition), ...logTasks()];
    if (tasks.length === 0) break;
    await ctx.round(tasks);
  }

  if (refreshUserEvents) {
    const facts = [...eventsByUser.values()];
    const failed = facts.find((fact) => !fact.ok);
    draft.userEvents = failed ?? {
      ok: true,
      data: [...new Map(facts.flatMap((fact) => ok(fact) ?? []).map((event) => [event.EventId, event])).values()],
    };
  } else {
    copy('userEvents');
  }
  for (const key of KEYED_FACTS) draft[key] ??= {};

  // Dates become ISO strings and undefined fields disappear, exactly as in a saved snapshot.
  return JSON.parse(JSON.stringify(draft)) as Facts;
}
