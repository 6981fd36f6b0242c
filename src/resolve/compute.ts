// The compute stage: which ECS service, cluster, task definition and log group are the lab.
// The service is found from the ALB's target group first, names second, so a student's own
// naming never hides a correctly wired service.
import type { Cluster, ContainerDefinition, Service, TaskDefinition } from '@aws-sdk/client-ecs';
import type { LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import type { Json } from '../snapshot/types.js';
import type { Choice, FactReader, Lab } from './lab.js';
import type { Stage } from './stage.js';
import { matchesHint } from '../facts/names.js';

/** The part of an ARN after its last `/` (a cluster, service or role name). */
export function nameFromArn(arn: string | undefined): string | undefined {
  return arn?.split('/').pop();
}

/** The container that serves the app: the one mapping the app port, else the first essential one. */
export function appContainer(taskDefinition: Json<TaskDefinition>, appPort: number): Json<ContainerDefinition> | undefined {
  const containers = taskDefinition.containerDefinitions ?? [];
  return (
    containers.find((container) => container.portMappings?.some((mapping) => mapping.containerPort === appPort)) ??
    containers.find((container) => container.essential !== false) ??
    containers[0]
  );
}

/**
 * Before a check says "no service": throws `FactUnavailable` when a cluster's services, or
 * the service's task definition, could not be read, so the miss is an `error`, not a fail.
 */
export function requireComputeReadable(lab: Pick<Lab, 'read' | 'readKeyed' | 'service'>): void {
  for (const cluster of lab.read('clusters')) {
    if (cluster.clusterArn) lab.readKeyed('services', cluster.clusterArn);
  }
  if (lab.service?.taskDefinition) lab.readKeyed('taskDefinitions', lab.service.taskDefinition);
}

/** The services of every readable cluster, with the clusters themselves. */
function readServices(facts: FactReader): { clusters: Json<Cluster>[]; services: Json<Service>[] } {
  const clusters = facts.has('clusters') ? facts.read('clusters') : [];
  const services = clusters.flatMap((cluster) =>
    cluster.clusterArn && facts.has('services', cluster.clusterArn) ? facts.readKeyed('services', cluster.clusterArn) : [],
  );
  return { clusters, services };
}

/** Pick one of `items`: the single one, the one named by a hint, else none; with the reason. */
function pickByHints<T>(items: T[], nameOf: (item: T) => string | undefined, hints: readonly string[], kind: string): { chosen?: T; why: string } {
  const hinted = items.filter((item) => matchesHint(nameOf(item), hints));
  if (hinted.length >= 1) {
    return { chosen: hinted[0], why: `its name contains ${hints.map((hint) => `"${hint}"`).join(' or ')}${hinted.length > 1 ? ` (first of ${hinted.length} such ${kind}s)` : ''}` };
  }
  if (items.length === 1) return { chosen: items[0], why: `the only ${kind} in the account` };
  return { why: items.length === 0 ? `no ${kind} in the account` : `${items.length} ${kind}s and none is named like the lab's` };
}

export const resolveCompute: Stage<'cluster' | 'service' | 'taskDefinition' | 'logGroup'> = ({ facts, params, lab }) => {
  const choices: Choice[] = [];
  const { clusters, services } = readServices(facts);
  const liveServices = services.filter((service) => service.status !== 'INACTIVE');

  let service: Json<Service> | undefined;
  let serviceWhy: string;
  const targetGroupArn = lab.targetGroup?.TargetGroupArn;
  const wired = targetGroupArn
    ? liveServices.filter((candidate) => candidate.loadBalancers?.some((attached) => attached.targetGroupArn === targetGroupArn))
    : [];
  if (wired.length > 0) {
    service = wired[0];
    serviceWhy = `it is attached to the lab's target group ${lab.targetGroup?.TargetGroupName}`;
  } else {
    const picked = pickByHints(liveServices, (candidate) => candidate.serviceName, params.ecs.serviceNameHints, 'ECS service');
    service = picked.chosen;
    serviceWhy = targetGroupArn ? `no service is attached to the lab's target group; ${picked.why}` : picked.why;
  }
  choices.push({ resource: 'service', chosen: service?.serviceName ?? null, candidates: liveServices.length, why: serviceWhy });

  const activeClusters = clusters.filter((cluster) => cluster.status === 'ACTIVE');
  let cluster = service ? clusters.find((candidate) => candidate.clusterArn === service?.clusterArn) : undefined;
  let clusterWhy = 'it runs the lab service';
  if (!cluster) {
    const picked = pickByHints(activeClusters, (candidate) => candidate.clusterName, params.ecs.clusterNameHints, 'active ECS cluster');
    cluster = picked.chosen;
    clusterWhy = picked.why;
  }
  choices.push({ resource: 'cluster', chosen: cluster?.clusterName ?? null, candidates: clusters.length, why: clusterWhy });

  const taskDefinitions = Object.keys(lab.snapshot?.facts.taskDefinitions ?? {})
    .filter((arn) => facts.has('taskDefinitions', arn))
    .map((arn) => facts.readKeyed('taskDefinitions', arn));
  let taskDefinition: Json<TaskDefinition> | undefined;
  let taskDefinitionWhy: string;
  if (service?.taskDefinition) {
    taskDefinition = taskDefinitions.find((candidate) => candidate.taskDefinitionArn === service?.taskDefinition);
    const newer = taskDefinitions.filter(
      (candidate) => candidate.family === taskDefinition?.family && candidate.status === 'ACTIVE' && (candidate.revision ?? 0) > (taskDefinition?.revision ?? 0),
    );
    taskDefinitionWhy = taskDefinition
      ? `the revision the service runs${newer.length > 0 ? `; a newer ACTIVE revision exists (${newer.map((candidate) => candidate.revision).join(', ')}) but the service does not run it` : ''}`
      : `the service's ${service.taskDefinition} could not be read`;
  } else {
    const newestPerFamily = new Map<string, Json<TaskDefinition>>();
    for (const candidate of taskDefinitions.filter((item) => item.status === 'ACTIVE')) {
      const known = newestPerFamily.get(candidate.family ?? '');
      if (!known || (candidate.revision ?? 0) > (known.revision ?? 0)) newestPerFamily.set(candidate.family ?? '', candidate);
    }
    const picked = pickByHints([...newestPerFamily.values()], (candidate) => candidate.family, params.ecs.serviceNameHints, 'task definition family');
    taskDefinition = picked.chosen;
    taskDefinitionWhy = `no lab service to follow; ${picked.why} (latest ACTIVE revision)`;
  }
  choices.push({ resource: 'taskDefinition', chosen: taskDefinition ? `${taskDefinition.family}:${taskDefinition.revision}` : null, candidates: taskDefinitions.length, why: taskDefinitionWhy });

  const logGroups: Json<LogGroup>[] = facts.has('logGroups') ? facts.read('logGroups') : [];
  const container = taskDefinition ? appContainer(taskDefinition, params.network.appPort) : undefined;
  const configured = container?.logConfiguration?.logDriver === 'awslogs' ? container.logConfiguration.options?.['awslogs-group'] : undefined;
  // The console's default group name, for a task definition whose log configuration was removed later.
  const conventional = taskDefinition?.family ? `/ecs/${taskDefinition.family}` : undefined;
  const logGroupName = configured ?? conventional;
  const logGroup = logGroups.find((group) => group.logGroupName === logGroupName);
  choices.push({
    resource: 'logGroup',
    chosen: logGroup?.logGroupName ?? null,
    candidates: logGroups.length,
    why: configured
      ? `the awslogs-group of container ${container?.name}${logGroup ? '' : ', which does not exist'}`
      : logGroupName
        ? `the task definition has no awslogs group; ${logGroupName} is the console's default name${logGroup ? '' : ' and does not exist'}`
        : 'no task definition to follow',
  });

  return { resolved: { cluster, service, taskDefinition, logGroup }, choices };
};
