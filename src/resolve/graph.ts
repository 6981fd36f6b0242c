// Reading the resource graph during resolution. Reads are strict: a fact that could not be
// read throws `FactUnavailable`, and the resource whose choice rests on it is unreadable.
import type { Service } from '@aws-sdk/client-ecs';
import type { FactKey, Facts, Json } from '../snapshot/types.js';
import type { FactReader } from './lab.js';

type EntryData<K extends FactKey> = Facts[K] extends Record<string, infer F> ? (F extends { ok: true; data: infer D } ? D : never) : never;

/**
 * One entry of a per-resource fact, or `none` when the collector did not read that key (it
 * bounds per-resource reads to the lab-like resources first); an entry it read and could not
 * get throws.
 */
export function entryIfRead<K extends FactKey>(facts: FactReader, key: K, resourceKey: string | undefined, none: EntryData<K>): EntryData<K> {
  if (resourceKey === undefined || !facts.hasEntry(key, resourceKey)) return none;
  return facts.readKeyed(key, resourceKey) as EntryData<K>;
}

/**
 * Every ECS service of the clusters the collector read. With no cluster read, the cluster
 * list itself must have been readable: a failed ecs:ListClusters leaves no cluster to read.
 */
export function allServices(facts: FactReader): Json<Service>[] {
  const clusters = facts.keysOf('services');
  if (clusters.length === 0) facts.read('clusters');
  return clusters.flatMap((cluster) => facts.readKeyed('services', cluster));
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

/**
 * Sorts by a list of keys, earlier keys first; booleans rank true before false. Keys are
 * asked only when the earlier ones tie, so a key that reads a fact is read only when it decides.
 */
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

/**
 * The first of `items` by a list of keys, as `rankBy` orders them, asking each key only of the
 * items still tied for first: a key that reads a fact is read only where it decides between
 * candidates for the choice, never to order the ones left behind.
 */
export function bestBy<T>(items: readonly T[], keys: ((item: T) => boolean | number | string)[]): T | undefined {
  let tied = [...items];
  for (const key of keys) {
    if (tied.length <= 1) break;
    const values = tied.map(key);
    const first = values.reduce((best, value) => (typeof value === 'boolean' ? value || best : value < best ? value : best));
    tied = tied.filter((_, index) => values[index] === first);
  }
  return tied[0];
}

/** One way a candidate can fit a role, and why it was chosen, in words asked only of the one chosen. */
export interface RoleRule<T> {
  fits: (item: T) => boolean;
  why: (item: T) => string;
}

/**
 * A role's resource: the first rule that some candidates fit decides, and `keys` pick among
 * those (`bestBy`); `kind` words how many were tied (`chosen among 2 such groups`).
 */
export function byRules<T>(
  items: readonly T[],
  rules: readonly RoleRule<T>[],
  keys: ((item: T) => boolean | number | string)[],
  kind: string,
): { chosen?: T; why?: string } {
  for (const rule of rules) {
    const fitting = items.filter(rule.fits);
    const chosen = bestBy(fitting, keys);
    if (chosen !== undefined) return { chosen, why: fitting.length > 1 ? `${rule.why(chosen)}; chosen among ${fitting.length} such ${kind}` : rule.why(chosen) };
  }
  return {};
}

/** Runs `compute` once, when first asked: a ranking key that reads facts reads them only if it is consulted. */
export function lazy<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}
