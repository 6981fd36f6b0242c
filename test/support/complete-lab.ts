// The complete-lab fixture's resources, by id, and accessors that mutations edit in place:
// one place for what examples/complete-lab.snapshot.json holds, shared by the check tests.
import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import type { Json, Snapshot } from '../../src/snapshot/types.js';
import { dataOf } from './fixtures.js';

export const ACCOUNT = '123456789012';
export const LAB_VPC = 'vpc-0a1b2c3d4e5f60718';
export const PUBLIC_SUBNETS = ['subnet-0aa11bb22cc33dd01', 'subnet-0aa11bb22cc33dd02'];
export const PUBLIC_1 = 'subnet-0aa11bb22cc33dd01';
export const PUBLIC_2 = 'subnet-0aa11bb22cc33dd02';
export const PRIVATE_1 = 'subnet-0aa11bb22cc33dd03';
export const PRIVATE_2 = 'subnet-0aa11bb22cc33dd04';
export const IGW = 'igw-0c4d5e6f7a8b9c0d1';
export const NAT = 'nat-0e1f2a3b4c5d6e7f8';
export const ALB_SG = 'sg-0a1a1a1a1a1a1a1a1';
export const APP_SG = 'sg-0b2b2b2b2b2b2b2b2';
export const DEFAULT_SG = 'sg-0c3c3c3c3c3c3c3c3';
export const PUBLIC_RTB = 'rtb-0b0b0b0b0b0b0b0b1';
export const PRIVATE_RTB = 'rtb-0c0c0c0c0c0c0c0c1';
export const CLUSTER = 'arn:aws:ecs:eu-west-1:123456789012:cluster/sentiment-app-cluster';
export const TASK_DEFINITION = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/sentiment-app-task:3';
export const TARGET_GROUP = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/sentiment-app-target-group/6d0ecf831eec9f09';
export const LOG_GROUP = '/ecs/sentiment-app-task';
export const LOAD_BALANCER = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/sentiment-app-alb/50dc6c495c0c9188';

export const find = <T>(items: T[], match: (item: T) => boolean): T => {
  const item = items.find(match);
  if (!item) throw new Error('fixture item not found');
  return item;
};
export const subnet = (s: Snapshot, id: string) => find(dataOf(s.facts.subnets), (x) => x.SubnetId === id);
export const routeTable = (s: Snapshot, id: string) => find(dataOf(s.facts.routeTables), (x) => x.RouteTableId === id);
export const alb = (s: Snapshot) => dataOf(s.facts.loadBalancers)[0]!;
export const targetGroup = (s: Snapshot) => dataOf(s.facts.targetGroups)[0]!;
export const listener = (s: Snapshot) => dataOf(Object.values(s.facts.listeners)[0]!)[0]!;
export const nat = (s: Snapshot) => dataOf(s.facts.natGateways)[0]!;
export const serviceOf = (s: Snapshot): Json<Service> => dataOf(s.facts.services[CLUSTER]!)[0] as Json<Service>;
export const taskDefinitionOf = (s: Snapshot): Json<TaskDefinition> => dataOf(s.facts.taskDefinitions[TASK_DEFINITION]!);
/** The service's network configuration and every deployment's, which a mutation must change together. */
export const networkOf = (s: Snapshot) => {
  const service = serviceOf(s);
  return [service.networkConfiguration?.awsvpcConfiguration, ...(service.deployments ?? []).map((d) => d.networkConfiguration?.awsvpcConfiguration)];
};
