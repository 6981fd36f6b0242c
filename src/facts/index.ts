// The registry of fact definitions, one module per AWS service, in the snapshot's order.
// A test keeps this map equal to the folder, so a service module cannot be written and forgotten.
import type { CollectItem, DerivedFact, FactDefinition, FactMap, Fact, Json, KeyedFact, SingleFact } from './define.js';
import { definitions as sts } from './sts.js';
import { definitions as iam } from './iam.js';
import { definitions as cloudtrail } from './cloudtrail.js';
import { definitions as budgets } from './budgets.js';
import { definitions as s3 } from './s3.js';
import { definitions as ecr } from './ecr.js';
import { definitions as ec2 } from './ec2.js';
import { definitions as elb } from './elb.js';
import { definitions as ecs } from './ecs.js';
import { definitions as logs } from './logs.js';
import { definitions as cloudwatch } from './cloudwatch.js';

export const SERVICES = { sts, iam, cloudtrail, budgets, s3, ecr, ec2, elb, ecs, logs, cloudwatch } as const;

/** Every fact and lookup, in the order the snapshot lists facts. */
export const COLLECT_ITEMS: readonly CollectItem[] = Object.values(SERVICES).flat();

type Item = (typeof SERVICES)[keyof typeof SERVICES][number];
type FactItem = Extract<Item, { kind: 'single' | 'keyed' | 'derived' }>;

/** Every fact the snapshot holds (lookups are the collector's own steps). */
export const FACT_DEFINITIONS: readonly FactDefinition[] = COLLECT_ITEMS.filter((item): item is FactDefinition => item.kind !== 'lookup');

/** What the snapshot stores for a definition: a fact, or one fact per resource. */
type Stored<D> =
  D extends KeyedFact<string, infer T, infer _L>
    ? FactMap<Json<T>>
    : D extends SingleFact<string, infer T>
      ? Fact<Json<T>>
      : D extends DerivedFact<string, infer T>
        ? Fact<Json<T>>
        : never;

/** Every fact the checks can read, keyed as its definition says; SDK shapes as they travel in JSON. */
export type DefinedFacts = { [D in FactItem as D['key']]: Stored<D> };
