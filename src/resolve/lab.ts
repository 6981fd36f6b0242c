// The lab as the resolver found it in a snapshot: which of the account's resources are
// the student's lab, and why. Every check sees the same choices.
import type { Bucket } from '@aws-sdk/client-s3';
import type { Repository } from '@aws-sdk/client-ecr';
import type { InternetGateway, NatGateway, SecurityGroup, Subnet, Vpc } from '@aws-sdk/client-ec2';
import type { Listener, LoadBalancer, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Cluster, Service, TaskDefinition } from '@aws-sdk/client-ecs';
import type { LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import type { Group } from '@aws-sdk/client-iam';
import type { FactKey, Facts, Json, Snapshot } from '../snapshot/types.js';

export type ProfileName = string;

/** The kinds of resource the resolver picks. */
export type LabResource =
  | 'adminGroup'
  | 'bucket'
  | 'repository'
  | 'loadBalancer'
  | 'targetGroup'
  | 'vpc'
  | 'publicSubnets'
  | 'privateSubnets'
  | 'internetGateway'
  | 'natGateway'
  | 'albSecurityGroup'
  | 'appSecurityGroup'
  | 'cluster'
  | 'service'
  | 'taskDefinition'
  | 'logGroup';

/** One resolver decision, for the evidence: what was chosen among how many, and why. */
export interface Choice {
  resource: LabResource;
  /** Id, name or ARN of what was chosen; null when nothing fit. */
  chosen: string | null;
  candidates: number;
  why: string;
}

/** Reads facts for checks; throws `FactUnavailable` when a fact could not be collected. */
export interface FactReader {
  read<K extends FactKey>(key: K): Facts[K] extends { ok: true; data: infer D } | { ok: false } ? D : never;
  /** A per-resource fact (bucket objects, target health...) for one key. */
  readKeyed<K extends FactKey>(
    key: K,
    resourceKey: string,
  ): Facts[K] extends Record<string, infer F> ? (F extends { ok: true; data: infer D } ? D : never) : never;
  /** True when the fact (or the keyed entry) was collected without error. */
  has(key: FactKey, resourceKey?: string): boolean;
}

/** What `--submission DIR` showed of the student's own files (step 6.2's Python test script). */
export interface Submission {
  /** The folder as the person gave it. */
  dir: string;
  /** Python test files found, with the endpoints each calls. */
  pythonTests: { path: string; endpoints: string[] }[];
}

export interface Lab extends FactReader {
  snapshot: Snapshot;
  profile: ProfileName;
  /** null when no `--submission` was given: what depends on it is `manual`. */
  submission: Submission | null;
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
  internetGateway?: Json<InternetGateway>;
  natGateway?: Json<NatGateway>;
  albSecurityGroup?: Json<SecurityGroup>;
  appSecurityGroup?: Json<SecurityGroup>;
  cluster?: Json<Cluster>;
  service?: Json<Service>;
  taskDefinition?: Json<TaskDefinition>;
  logGroup?: Json<LogGroup>;
  choices: Choice[];
}
