// The compute stage: which ECS service, cluster, task definition and log group are the lab.
// The service is found from the ALB's target group first, names second, so a student's own
// naming never hides a correctly wired service.
import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs';
import type { Json } from '../snapshot/types.js';
import { FactUnavailable } from './facts.js';
import { allServices } from './graph.js';
import { unlessUnreadable, type Step } from './stage.js';
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

/** Pick one of `items`: the single one, the one named by a hint, else none; with the reason. */
function pickByHints<T>(items: T[], nameOf: (item: T) => string | undefined, hints: readonly string[], kind: string): { chosen?: T; why: string } {
  const hinted = items.filter((item) => matchesHint(nameOf(item), hints));
  if (hinted.length >= 1) {
    return { chosen: hinted[0], why: `its name contains ${hints.map((hint) => `"${hint}"`).join(' or ')}${hinted.length > 1 ? ` (first of ${hinted.length} such ${kind}s)` : ''}` };
  }
  if (items.length === 1) return { chosen: items[0], why: `the only ${kind} in the account` };
  return { why: items.length === 0 ? `no ${kind} in the account` : `${items.length} ${kind}s and none is named like the lab's` };
}

/** When `decide` could not read a fact and `only` is the one candidate every rule picks, it is still the choice. */
function unlessOnlyOne<T>(decide: () => T, only: () => T | undefined): T {
  try {
    return decide();
  } catch (error) {
    const certain = error instanceof FactUnavailable ? only() : undefined;
    if (certain === undefined) throw error;
    return certain;
  }
}

const serviceStep: Step<'service'> = {
  resources: ['service'],
  choose({ lab, params }) {
    const liveServices = allServices(lab).filter((service) => service.status !== 'INACTIVE');
    const decide = () => {
      const targetGroup = lab.targetGroup;
      const targetGroupArn = targetGroup?.TargetGroupArn;
      const wired = targetGroupArn
        ? liveServices.filter((candidate) => candidate.loadBalancers?.some((attached) => attached.targetGroupArn === targetGroupArn))
        : [];
      if (wired.length > 0) return { service: wired[0], why: `it is attached to the lab's target group ${targetGroup?.TargetGroupName}` };
      const picked = pickByHints(liveServices, (candidate) => candidate.serviceName, params.ecs.serviceNameHints, 'ECS service');
      return { service: picked.chosen, why: targetGroupArn ? `no service is attached to the lab's target group; ${picked.why}` : picked.why };
    };
    // Whether it is wired to the target group or named like the lab's, the only live service is the one chosen.
    const { service, why } = unlessOnlyOne(decide, () => {
      if (liveServices.length > 1) return undefined;
      return { service: liveServices[0], why: liveServices.length ? "the only live ECS service (the lab's target group could not be read)" : 'no ECS service in the account' };
    });
    return { resolved: { service }, choices: [{ resource: 'service', chosen: service?.serviceName ?? null, candidates: liveServices.length, why }] };
  },
};

const clusterStep: Step<'cluster'> = {
  resources: ['cluster'],
  choose({ lab, params }) {
    const clusters = lab.read('clusters');
    const activeClusters = clusters.filter((cluster) => cluster.status === 'ACTIVE');
    const decide = () => {
      const service = lab.service;
      const running = service ? clusters.find((candidate) => candidate.clusterArn === service.clusterArn) : undefined;
      if (running) return { cluster: running, why: 'it runs the lab service' };
      const picked = pickByHints(activeClusters, (candidate) => candidate.clusterName, params.ecs.clusterNameHints, 'active ECS cluster');
      return { cluster: picked.chosen, why: picked.why };
    };
    // The lab service runs in one of the clusters read, so the only cluster, when active, is chosen either way.
    const { cluster, why } = unlessOnlyOne(decide, () => {
      if (clusters.length === 0) return { cluster: undefined, why: 'no active ECS cluster in the account' };
      if (clusters.length === 1 && activeClusters.length === 1) return { cluster: activeClusters[0], why: 'the only ECS cluster (the lab service could not be read)' };
      return undefined;
    });
    return { resolved: { cluster }, choices: [{ resource: 'cluster', chosen: cluster?.clusterName ?? null, candidates: clusters.length, why }] };
  },
};

const taskDefinitionStep: Step<'taskDefinition'> = {
  resources: ['taskDefinition'],
  choose({ lab, params, words }) {
    const service = lab.service;
    const arns = lab.keysOf('taskDefinitions');
    const choice = (taskDefinition: Json<TaskDefinition> | undefined, why: string) => ({
      resolved: { taskDefinition },
      choices: [
        {
          resource: 'taskDefinition' as const,
          chosen: taskDefinition ? `${taskDefinition.family}:${taskDefinition.revision}` : null,
          candidates: arns.length,
          why,
        },
      ],
    });
    if (service?.taskDefinition) {
      // The revision the service runs decides; the other revisions only say whether a newer one waits.
      const taskDefinition = lab.readKeyed('taskDefinitions', service.taskDefinition);
      const newer = arns
        .filter((arn) => arn !== service.taskDefinition)
        .flatMap((arn) => unlessUnreadable(() => [words.readKeyed('taskDefinitions', arn)], []))
        .filter((candidate) => candidate.family === taskDefinition.family && candidate.status === 'ACTIVE' && (candidate.revision ?? 0) > (taskDefinition.revision ?? 0));
      return choice(
        taskDefinition,
        `the revision the service runs${newer.length > 0 ? `; a newer ACTIVE revision exists (${newer.map((candidate) => candidate.revision).join(', ')}) but the service does not run it` : ''}`,
      );
    }
    const newestPerFamily = new Map<string, Json<TaskDefinition>>();
    for (const candidate of arns.map((arn) => lab.readKeyed('taskDefinitions', arn)).filter((item) => item.status === 'ACTIVE')) {
      const known = newestPerFamily.get(candidate.family ?? '');
      if (!known || (candidate.revision ?? 0) > (known.revision ?? 0)) newestPerFamily.set(candidate.family ?? '', candidate);
    }
    const picked = pickByHints([...newestPerFamily.values()], (candidate) => candidate.family, params.ecs.serviceNameHints, 'task definition family');
    return choice(picked.chosen, `no lab service to follow; ${picked.why} (latest ACTIVE revision)`);
  },
};

const logGroupStep: Step<'logGroup'> = {
  resources: ['logGroup'],
  choose({ lab, params }) {
    const taskDefinition = lab.taskDefinition;
    const logGroups = lab.read('logGroups');
    const container = taskDefinition ? appContainer(taskDefinition, params.network.appPort) : undefined;
    const configured = container?.logConfiguration?.logDriver === 'awslogs' ? container.logConfiguration.options?.['awslogs-group'] : undefined;
    // The console's default group name, for a task definition whose log configuration was removed later.
    const conventional = taskDefinition?.family ? `/ecs/${taskDefinition.family}` : undefined;
    const logGroupName = configured ?? conventional;
    const logGroup = logGroups.find((group) => group.logGroupName === logGroupName);
    return {
      resolved: { logGroup },
      choices: [
        {
          resource: 'logGroup',
          chosen: logGroup?.logGroupName ?? null,
          candidates: logGroups.length,
          why: configured
            ? `the awslogs-group of container ${container?.name}${logGroup ? '' : ', which does not exist'}`
            : logGroupName
              ? `the task definition has no awslogs group; ${logGroupName} is the console's default name${logGroup ? '' : ' and does not exist'}`
              : 'no task definition to follow',
        },
      ],
    };
  },
};

/** The compute stage: the service first (from the target group), then its cluster, task definition and log group. */
export const computeSteps = [serviceStep, clusterStep, taskDefinitionStep, logGroupStep] as const;
