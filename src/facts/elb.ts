// Elastic Load Balancing v2: the load balancers, their listeners, target groups and target health.
import type { LoadBalancer, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import * as z from 'zod';
import { call, collectPages, dataOf, keyed, listOf, sdkObject, single } from './define.js';
import { labFirst } from './names.js';

const BOUNDS = { loadBalancers: 20, targetGroups: 20 } as const;

export const loadBalancers = single({
  key: 'loadBalancers',
  description: 'Load balancers (scheme, subnets, security groups, DNS name).',
  calls: [call('elb', 'DescribeLoadBalancersCommand', 'elasticloadbalancing:DescribeLoadBalancers')],
  schema: listOf('LoadBalancerArn'),
  read: ({ sdk, aws }) => collectPages(sdk.elb.paginateDescribeLoadBalancers({ client: aws.elb }, {}), (p) => p.LoadBalancers),
});

export const listeners = keyed({
  key: 'listeners',
  description: "Each load balancer's listeners and their default actions.",
  keyedBy: 'load balancer ARN',
  calls: [call('elb', 'DescribeListenersCommand', 'elasticloadbalancing:DescribeListeners')],
  after: ['loadBalancers'],
  schema: listOf('ListenerArn'),
  keys: (ctx) =>
    labFirst(
      dataOf(ctx.get<LoadBalancer[]>('loadBalancers')) ?? [],
      (l) => l.LoadBalancerName,
      ctx.hints.loadBalancer.nameHints,
      BOUNDS.loadBalancers,
    ).map((l) => l.LoadBalancerArn ?? ''),
  read: ({ sdk, aws }, loadBalancerArn) =>
    collectPages(sdk.elb.paginateDescribeListeners({ client: aws.elb }, { LoadBalancerArn: loadBalancerArn }), (p) => p.Listeners),
});

export const targetGroups = single({
  key: 'targetGroups',
  description: 'Target groups (port, target type, health check).',
  calls: [call('elb', 'DescribeTargetGroupsCommand', 'elasticloadbalancing:DescribeTargetGroups')],
  schema: listOf('TargetGroupArn'),
  read: ({ sdk, aws }) => collectPages(sdk.elb.paginateDescribeTargetGroups({ client: aws.elb }, {}), (p) => p.TargetGroups),
});

export const targetHealth = keyed({
  key: 'targetHealth',
  description: "Each target group's targets and their health.",
  keyedBy: 'target group ARN',
  calls: [call('elb', 'DescribeTargetHealthCommand', 'elasticloadbalancing:DescribeTargetHealth')],
  after: ['targetGroups'],
  schema: z.array(sdkObject),
  keys: (ctx) =>
    labFirst(
      dataOf(ctx.get<TargetGroup[]>('targetGroups')) ?? [],
      (t) => t.TargetGroupName,
      ctx.hints.loadBalancer.targetGroupNameHints,
      BOUNDS.targetGroups,
    ).map((t) => t.TargetGroupArn ?? ''),
  read: async ({ sdk, aws }, targetGroupArn) =>
    (await aws.elb.send(new sdk.elb.DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }))).TargetHealthDescriptions ?? [],
});

export const definitions = [loadBalancers, listeners, targetGroups, targetHealth] as const;
