// The lab as the resolver found it in a snapshot: which of the account's resources are
// the student's lab, and why. Every check sees the same choices, and each resource
// remembers its source: a check that touches an unreadable one is `error` by construction.
import type { Bucket } from '@aws-sdk/client-s3';
import type { Repository } from '@aws-sdk/client-ecr';
import type { InternetGateway, NatGateway, RouteTable, SecurityGroup, Subnet, Vpc } from '@aws-sdk/client-ec2';
import type { Listener, LoadBalancer, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Cluster, Service, TaskDefinition } from '@aws-sdk/client-ecs';
import type { LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import type { Group } from '@aws-sdk/client-iam';
import type { FactKey, Facts, Json, Snapshot } from '../snapshot/types.js';
import { FactsReader, type FactUnavailable } from './facts.js';

export type ProfileName = string;

/** The resources the resolver finds, as checks read them: nothing (or no items) when absent. */
export interface LabResources {
  adminGroup?: Json<Group>;
  bucket?: Json<Bucket>;
  repository?: Json<Repository>;
  loadBalancer?: Json<LoadBalancer>;
  /** Listeners of the lab's load balancer. */
  listeners: Json<Listener>[];
  targetGroup?: Json<TargetGroup>;
  vpc?: Json<Vpc>;
  publicSubnets: Json<Subnet>[];
  privateSubnets: Json<Subnet>[];
  /** The route table that makes subnets public: its 0.0.0.0/0 goes to an internet gateway. */
  publicRouteTable?: Json<RouteTable>;
  /** The route table the private subnets are meant to use: its 0.0.0.0/0 goes to a NAT gateway. */
  privateRouteTable?: Json<RouteTable>;
  internetGateway?: Json<InternetGateway>;
  natGateway?: Json<NatGateway>;
  /** The load balancer security group: it opens the ALB port to the world. */
  albSecurityGroup?: Json<SecurityGroup>;
  /** The lab's resource security group: it admits the app port from another group (the load balancer's). */
  appSecurityGroup?: Json<SecurityGroup>;
  cluster?: Json<Cluster>;
  service?: Json<Service>;
  taskDefinition?: Json<TaskDefinition>;
  logGroup?: Json<LogGroup>;
}

export type LabResource = keyof LabResources;

/** The kinds of resource the resolver picks among candidates (the listeners follow the load balancer). */
export type ChosenResource = Exclude<LabResource, 'listeners'>;

/** Each resource in the lab's words, for the cause of an `error`: "could not read vpcs to find the lab's VPC". */
export const RESOURCE_WORDS: Readonly<Record<LabResource, string>> = {
  adminGroup: "the lab's admin group",
  bucket: "the lab's bucket",
  repository: "the lab's ECR repository",
  loadBalancer: "the lab's load balancer",
  listeners: "the load balancer's listeners",
  targetGroup: "the lab's target group",
  vpc: "the lab's VPC",
  publicSubnets: "the lab's public subnets",
  privateSubnets: "the lab's private subnets",
  publicRouteTable: "the lab's public route table",
  privateRouteTable: "the lab's private route table",
  internetGateway: "the lab's internet gateway",
  natGateway: "the lab's NAT gateway",
  albSecurityGroup: "the load balancer's security group",
  appSecurityGroup: "the lab's resource security group",
  cluster: "the lab's ECS cluster",
  service: "the lab's ECS service",
  taskDefinition: "the lab's task definition",
  logGroup: "the lab's log group",
};

const LIST_RESOURCES: ReadonlySet<LabResource> = new Set(['listeners', 'publicSubnets', 'privateSubnets']);

/**
 * One resource as resolved: found (with the facts it was chosen from), absent (those facts
 * were read and hold none), or unreadable (which fact, and why).
 */
export type Resolved<T> =
  | { state: 'found'; value: T; from: readonly FactKey[] }
  | { state: 'absent'; from: readonly FactKey[] }
  | { state: 'unreadable'; unread: FactUnavailable; from: readonly FactKey[] };

export type ResolvedResources = { readonly [R in LabResource]: Resolved<NonNullable<LabResources[R]>> };

/** One resolver decision, for the evidence: what was chosen among how many, and why. */
export interface Choice {
  resource: ChosenResource;
  /** Id, name or ARN of what was chosen; null when nothing fit. */
  chosen: string | null;
  candidates: number;
  why: string;
}

/** Reads facts for checks and the resolver; throws `FactUnavailable` when a fact could not be collected. */
export interface FactReader {
  read<K extends FactKey>(key: K): Facts[K] extends { ok: true; data: infer D } | { ok: false } ? D : never;
  /** A per-resource fact (bucket objects, target health...) for one key; `NotCollected` when the collector did not read that key. */
  readKeyed<K extends FactKey>(
    key: K,
    resourceKey: string,
  ): Facts[K] extends Record<string, infer F> ? (F extends { ok: true; data: infer D } ? D : never) : never;
  /** The keys a per-resource fact was read for (readable or not), in the order collected. */
  keysOf(key: FactKey): string[];
  /** True when a per-resource fact was read for this key (readable or not): `keysOf(key).includes(resourceKey)` without listing them. */
  hasEntry(key: FactKey, resourceKey: string): boolean;
}

/** What `--submission DIR` showed of the student's own files (step 6.2's Python test script). */
export interface Submission {
  /** The folder as the person gave it. */
  dir: string;
  /** Python test files found, with the endpoints each calls. */
  pythonTests: { path: string; endpoints: string[] }[];
}

/** What a lab is made of; a `Lab` reads it. */
export interface LabCore {
  readonly snapshot: Snapshot;
  readonly profile: ProfileName;
  /** null when no `--submission` was given: what depends on it is `manual`. */
  readonly submission: Submission | null;
  /** Every resource as resolved; `lab.<resource>` reads one. */
  readonly resolved: ResolvedResources;
  readonly choices: readonly Choice[];
}

/**
 * The lab a check reads. `lab.vpc`, `lab.publicSubnets`... give the resource (nothing, or
 * no items, when absent) and throw `FactUnavailable` when it is unreadable, so a check
 * never mistakes the grader's blindness for the student's miss.
 */
export interface Lab extends FactReader, LabCore, Readonly<LabResources> {}

/** A lab over resolved resources; its resource getters and fact readers are defined once, on the prototypes. */
class ResolvedLab extends FactsReader implements LabCore {
  readonly snapshot: Snapshot;
  readonly profile: ProfileName;
  readonly submission: Submission | null;
  readonly resolved: ResolvedResources;
  readonly choices: readonly Choice[];

  constructor(core: LabCore, onRead: (key: FactKey) => void) {
    super(core.snapshot.facts, onRead);
    this.snapshot = core.snapshot;
    this.profile = core.profile;
    this.submission = core.submission;
    this.resolved = core.resolved;
    this.choices = core.choices;
  }

  take(resource: LabResource): unknown {
    const resolved = this.resolved[resource] as Resolved<unknown> | undefined;
    if (resolved === undefined) throw new Error(`${resource} is read before the resolver chose it`);
    for (const key of resolved.from) this.onRead(key);
    if (resolved.state === 'unreadable') throw resolved.unread;
    if (resolved.state === 'found') return resolved.value;
    return LIST_RESOURCES.has(resource) ? [] : undefined;
  }
}

// Getters on the prototype: a copy of a lab never reads (or throws on) a resource.
for (const resource of Object.keys(RESOURCE_WORDS) as LabResource[]) {
  Object.defineProperty(ResolvedLab.prototype, resource, {
    get(this: ResolvedLab) {
      return this.take(resource);
    },
  });
}

/**
 * A lab over resolved resources. Every fact read, directly or through a resource (the
 * facts it was chosen from), is told to `onRead`: the facts a verdict rests on.
 */
export function labView(core: LabCore, onRead: (key: FactKey) => void = () => undefined): Lab {
  return new ResolvedLab(core, onRead) as unknown as Lab;
}

/** A resolved value: absent when there is nothing (or no items), found otherwise. */
export function resolvedValue<T>(value: T | undefined, from: readonly FactKey[]): Resolved<T> {
  const empty = value === undefined || (Array.isArray(value) && value.length === 0);
  return empty ? { state: 'absent', from } : { state: 'found', value, from };
}
