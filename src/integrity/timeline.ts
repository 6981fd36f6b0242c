// When the account's resources were created or changed, as AWS records it: for the lab's own
// resources, compared with a deadline (`built-late`); for every resource, with the snapshot's
// own collection time, which no resource can postdate (`inconsistent`).
import type { Choice, LabResource } from '../resolve/lab.js';
import { dataOf, keyedDataOf } from '../facts/define.js';
import type { Snapshot } from '../snapshot/types.js';

/** One resource's creation or change, as its API reports it. */
export interface ResourceTime {
  /** How a person reads it: `NAT gateway nat-0e1f... (sentiment-app-nat)`. */
  resource: string;
  event: 'created' | 'changed' | 'deployed' | 'registered' | 'pushed' | 'started';
  /** ISO date-time. */
  at: string;
}

/** A time and the choices of the resolver it belongs to, by the ids and names that can stand for it. */
export interface Timed extends ResourceTime {
  /** The resolver's choice this resource would be (alarms: those they watch). */
  choice: LabResource | LabResource[];
  /** Ids and names that can stand for it in a choice. */
  names: string[];
}

/** An API time (an ISO string, or epoch milliseconds as CloudWatch Logs gives them) as ISO, or undefined when it is none. */
function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const time = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}

function named(id: string | undefined, name: string | undefined): string {
  return name && name !== id ? `${id ?? ''} (${name})` : (id ?? name ?? '?');
}

function tagName(tags: { Key?: string; Value?: string }[] | undefined): string | undefined {
  return tags?.find((tag) => tag.Key === 'Name')?.Value;
}

/**
 * Code-unit order: ISO times sort by time, and no first localeCompare starts ICU's collator
 * (10–20 ms of a regrade's start, for an order a person never sees).
 */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every resource of the snapshot whose API gives a creation or change time, oldest first. */
export function resourceTimes(snapshot: Snapshot): Timed[] {
  const { facts } = snapshot;
  const times: Timed[] = [];
  const add = (entry: Omit<Timed, 'at'> & { at: unknown }): void => {
    const at = isoTime(entry.at);
    if (at !== undefined) times.push({ ...entry, at });
  };
  for (const gateway of dataOf(facts.natGateways) ?? []) {
    const name = tagName(gateway.Tags);
    add({ resource: `NAT gateway ${named(gateway.NatGatewayId, name)}`, event: 'created', at: gateway.CreateTime, choice: 'natGateway', names: [gateway.NatGatewayId ?? '', name ?? ''] });
  }
  for (const balancer of dataOf(facts.loadBalancers) ?? []) {
    add({ resource: `load balancer ${balancer.LoadBalancerName}`, event: 'created', at: balancer.CreatedTime, choice: 'loadBalancer', names: [balancer.LoadBalancerName ?? '', balancer.LoadBalancerArn ?? ''] });
  }
  for (const [, services] of keyedDataOf(facts.services)) {
    for (const service of services) {
      const names = [service.serviceName ?? '', service.serviceArn ?? ''];
      add({ resource: `ECS service ${service.serviceName}`, event: 'created', at: service.createdAt, choice: 'service', names });
      for (const deployment of service.deployments ?? []) {
        add({ resource: `ECS service ${service.serviceName} (deployment ${deployment.id ?? '?'})`, event: 'deployed', at: deployment.createdAt, choice: 'service', names });
      }
    }
  }
  for (const [arn, definition] of keyedDataOf(facts.taskDefinitions)) {
    const revision = `${definition.family}:${definition.revision}`;
    add({ resource: `task definition ${revision}`, event: 'registered', at: definition.registeredAt, choice: 'taskDefinition', names: [revision, arn] });
  }
  for (const [, tasks] of keyedDataOf(facts.tasks)) {
    // ECS replaces tasks by itself: a task's time says nothing of when the student built the lab.
    for (const task of tasks) add({ resource: `task ${task.taskArn}`, event: 'started', at: task.createdAt, choice: [], names: [] });
  }
  for (const repository of dataOf(facts.repositories) ?? []) {
    add({ resource: `ECR repository ${repository.repositoryName}`, event: 'created', at: repository.createdAt, choice: 'repository', names: [repository.repositoryName ?? ''] });
  }
  for (const [repository, images] of keyedDataOf(facts.repositoryImages)) {
    for (const image of images) {
      const tags = (image.imageTags ?? []).join(', ');
      add({ resource: `image ${repository}${tags ? `:${tags}` : ''} (${image.imageDigest ?? 'no digest'})`, event: 'pushed', at: image.imagePushedAt, choice: 'repository', names: [repository] });
    }
  }
  for (const group of dataOf(facts.logGroups) ?? []) {
    add({ resource: `log group ${group.logGroupName}`, event: 'created', at: group.creationTime, choice: 'logGroup', names: [group.logGroupName ?? ''] });
  }
  for (const bucket of dataOf(facts.buckets) ?? []) {
    add({ resource: `S3 bucket ${bucket.Name}`, event: 'created', at: bucket.CreationDate, choice: 'bucket', names: [bucket.Name ?? ''] });
  }
  for (const group of dataOf(facts.groups) ?? []) {
    add({ resource: `IAM group ${group.GroupName}`, event: 'created', at: group.CreateDate, choice: 'adminGroup', names: [group.GroupName ?? ''] });
  }
  for (const alarm of dataOf(facts.alarms) ?? []) {
    // An alarm is the lab's when it watches the lab's load balancer, target group or service (the bonus).
    const names = (alarm.Dimensions ?? []).map((dimension) => dimension.Value ?? '');
    add({ resource: `CloudWatch alarm ${alarm.AlarmName}`, event: 'changed', at: alarm.AlarmConfigurationUpdatedTimestamp, choice: ['loadBalancer', 'targetGroup', 'service'], names });
  }
  return times.sort((a, b) => byCodeUnits(a.at, b.at) || byCodeUnits(a.resource, b.resource));
}

/** The ids and names a choice stands for: `sentiment-app-nat (nat-0e1f...)`, lists joined by commas. */
function chosenNames(choice: Choice): string[] {
  if (choice.chosen === null) return [];
  return choice.chosen.split(', ').flatMap((part) => {
    const labelled = /^(.*) \(([^()]+)\)$/.exec(part);
    return labelled ? [labelled[1]!, labelled[2]!] : [part];
  });
}

/** Whether a resource is one the resolver chose (an alarm: one that names a chosen resource in its dimensions). */
function isChosen(entry: Timed, chosen: ReadonlyMap<LabResource, string[]>): boolean {
  const kinds = Array.isArray(entry.choice) ? entry.choice : [entry.choice];
  return kinds.some((kind) => {
    const names = (chosen.get(kind) ?? []).filter((name) => name !== '');
    // Alarm dimensions hold `app/NAME/ID` or `targetgroup/NAME/ID`, not the bare name.
    return entry.names.some((candidate) => candidate !== '' && names.some((name) => candidate === name || candidate.split('/').includes(name)));
  });
}

/** The creation and change times of the lab's own resources: those the resolver chose, as the scorecard records them. */
export function labResourceTimes(snapshot: Snapshot, choices: readonly Choice[], times: readonly Timed[] = resourceTimes(snapshot)): ResourceTime[] {
  const chosen = new Map(choices.map((choice) => [choice.resource, chosenNames(choice)]));
  return times
    .filter((entry) => isChosen(entry, chosen))
    .map(({ resource, event, at }) => ({ resource, event, at }));
}

/**
 * Clocks differ: AWS refuses requests signed more than 15 minutes off its own, and the
 * collector takes its time from the clock AWS corrected. Past this, a resource cannot be
 * younger than the snapshot that holds it.
 */
export const CLOCK_TOLERANCE_MS = 15 * 60_000;

/** Every resource the snapshot says was created or changed after the snapshot itself was collected. */
export function timesAfterCollection(snapshot: Snapshot, times: readonly Timed[] = resourceTimes(snapshot)): string[] {
  const collected = Date.parse(snapshot.collectedAt);
  if (!Number.isFinite(collected)) return [];
  return times
    .filter((entry) => Date.parse(entry.at) > collected + CLOCK_TOLERANCE_MS)
    .map((entry) => `${entry.resource} ${entry.event} ${entry.at}, after the snapshot's collectedAt ${snapshot.collectedAt}`);
}
