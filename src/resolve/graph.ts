// Reading the resource graph during resolution: a stage never throws on an unreadable
// fact, it treats it as "nothing found here" and the checks that need it report `error`.
import type { Service } from '@aws-sdk/client-ecs';
import type { FactKey, Facts, Json, Snapshot } from '../snapshot/types.js';
import type { FactReader } from './lab.js';

type FactData<K extends FactKey> = Facts[K] extends { ok: true; data: infer D } | { ok: false } ? D : never;

/** A list fact, or an empty list when it could not be collected. */
export function listOrEmpty<K extends FactKey>(facts: FactReader, key: K): FactData<K> {
  return facts.has(key) ? facts.read(key) : ([] as FactData<K>);
}

/** Every ECS service the snapshot holds, across clusters whose services could be read. */
export function allServices(snapshot: Snapshot): Json<Service>[] {
  const services: Json<Service>[] = [];
  for (const fact of Object.values(snapshot.facts.services ?? {})) {
    if (fact.ok) services.push(...fact.data);
  }
  return services;
}

/** Services (not deleted) registered with the target group. */
export function servicesOfTargetGroup(services: readonly Json<Service>[], targetGroupArn: string | undefined): Json<Service>[] {
  if (!targetGroupArn) return [];
  return services.filter(
    (service) =>
      service.status !== 'INACTIVE' && (service.loadBalancers ?? []).some((lb) => lb.targetGroupArn === targetGroupArn),
  );
}

/** The awsvpc subnets and security groups a service's tasks run in. */
export function serviceNetwork(service: Json<Service> | undefined): { subnets: string[]; securityGroups: string[] } {
  const awsvpc = service?.networkConfiguration?.awsvpcConfiguration;
  return { subnets: awsvpc?.subnets ?? [], securityGroups: awsvpc?.securityGroups ?? [] };
}

/** Sorts by a list of keys, earlier keys first; booleans rank true before false. */
export function rankBy<T>(items: readonly T[], keys: ((item: T) => boolean | number | string)[]): T[] {
  return [...items].sort((a, b) => {
    for (const key of keys) {
      const ka = key(a);
      const kb = key(b);
      if (ka === kb) continue;
      if (typeof ka === 'boolean') return ka ? -1 : 1;
      return ka < kb ? -1 : 1;
    }
    return 0;
  });
}
