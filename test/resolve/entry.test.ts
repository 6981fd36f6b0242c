import { describe, expect, it } from 'vitest';
import { completeLabWith, denied, example, labOf } from '../support/fixtures.js';
import { addSecondAlb, DECOY_ALB_ARN } from '../fixtures/network/decoys.js';
import type { Snapshot } from '../../src/snapshot/types.js';

const LAB_ALB = 'sentiment-app-alb';
const LAB_TG = 'sentiment-app-target-group';

function choice(snapshot: Snapshot, resource: string) {
  return labOf(snapshot).choices.find((c) => c.resource === resource);
}

function labAlb(snapshot: Snapshot) {
  const fact = snapshot.facts.loadBalancers;
  if (!fact.ok) throw new Error('unreadable');
  return fact.data[0]!;
}

function labListeners(snapshot: Snapshot) {
  const fact = Object.values(snapshot.facts.listeners)[0]!;
  if (!fact.ok) throw new Error('unreadable');
  return fact.data;
}

describe('resolveEntry', () => {
  it('finds the load balancer, its listeners and its target group in the complete lab', () => {
    const lab = labOf(example('complete-lab'));
    expect(lab.loadBalancer?.LoadBalancerName).toBe(LAB_ALB);
    expect(lab.listeners.map((l) => l.Port)).toEqual([80]);
    expect(lab.targetGroup?.TargetGroupName).toBe(LAB_TG);
    expect(lab.choices.find((c) => c.resource === 'loadBalancer')).toMatchObject({
      chosen: LAB_ALB,
      candidates: 1,
      why: expect.stringContaining('ECS service sentiment-app-service'),
    });
  });

  it.each<[string, (s: Snapshot) => void, string, string]>([
    ['a newer second ALB with a lab-like name and no service', addSecondAlb, LAB_ALB, 'ranked above sentiment-alb-old'],
    [
      'the second ALB and no service: the internet-facing one wins over an internal one',
      (s) => {
        addSecondAlb(s);
        labAlb(s).Scheme = 'internal';
        s.facts.services = {};
        if (s.facts.loadBalancers.ok) s.facts.loadBalancers.data[1]!.Scheme = 'internet-facing';
      },
      'sentiment-alb-old',
      'internet-facing',
    ],
    [
      'two equal ALBs without services: the newest',
      (s) => {
        addSecondAlb(s);
        s.facts.services = {};
      },
      'sentiment-alb-old',
      'chose the newest',
    ],
    [
      'an internal lab ALB is still the lab ALB (so 4.7 can say it is internal)',
      (s) => {
        labAlb(s).Scheme = 'internal';
      },
      LAB_ALB,
      'ECS service',
    ],
    [
      'an ALB named otherwise is found through its target group on port 8000',
      (s) => {
        labAlb(s).LoadBalancerName = 'web-lb';
        s.facts.services = {};
      },
      'web-lb',
      'port 8000',
    ],
  ])('%s', (_name, mutate, chosen, why) => {
    const result = choice(completeLabWith(mutate), 'loadBalancer');
    expect(result?.chosen).toBe(chosen);
    expect(result?.why).toContain(why);
  });

  it('follows the listener on another port to the target group', () => {
    const lab = labOf(completeLabWith((s) => { labListeners(s)[0]!.Port = 8080; }));
    expect(lab.targetGroup?.TargetGroupName).toBe(LAB_TG);
    expect(lab.choices.find((c) => c.resource === 'targetGroup')?.why).toContain('a listener of sentiment-app-alb forwards to it on port 8080');
  });

  it('follows a weighted forward (ForwardConfig only)', () => {
    const lab = labOf(
      completeLabWith((s) => {
        delete labListeners(s)[0]!.DefaultActions![0]!.TargetGroupArn;
      }),
    );
    expect(lab.targetGroup?.TargetGroupName).toBe(LAB_TG);
  });

  it('keeps the target group that is the lab\'s by what it is when no listener forwards to it', () => {
    const lab = labOf(completeLabWith((s) => { labListeners(s)[0]!.DefaultActions = [{ Type: 'fixed-response' }]; }));
    expect(lab.targetGroup?.TargetGroupName).toBe(LAB_TG);
    expect(lab.choices.find((c) => c.resource === 'targetGroup')?.why).toBe(
      'it is HTTP, port 8000, IP targets, health check /health; ECS service sentiment-app-service registers its tasks in it',
    );
  });

  it('keeps the lab\'s target group when the listener forwards to another one, which is not what the lab asks for', () => {
    const lab = labOf(
      completeLabWith((s) => {
        if (!s.facts.targetGroups.ok) throw new Error('unreadable');
        const [labTg] = s.facts.targetGroups.data;
        const decoyArn = labTg!.TargetGroupArn!.replace('sentiment-app-target-group/6d0ecf831eec9f09', 'sentiment-web/7e1fd0942ffe0a1a');
        s.facts.targetGroups.data.push({ ...structuredClone(labTg!), TargetGroupArn: decoyArn, TargetGroupName: 'sentiment-web', Port: 80, TargetType: 'instance', HealthCheckPath: '/' });
        labTg!.LoadBalancerArns = [];
        labListeners(s)[0]!.DefaultActions = [{ Type: 'forward', TargetGroupArn: decoyArn }];
      }),
    );
    expect(lab.targetGroup?.TargetGroupName).toBe(LAB_TG);
    expect(lab.choices.find((c) => c.resource === 'targetGroup')).toMatchObject({
      candidates: 2,
      why: 'it is HTTP, port 8000, IP targets, health check /health; ECS service sentiment-app-service registers its tasks in it; chosen among 2 target groups unattached or attached to the lab\'s load balancer',
    });
  });

  it('without a load balancer, still picks an unattached target group but not one of another load balancer', () => {
    const unattached = labOf(
      completeLabWith((s) => {
        if (s.facts.loadBalancers.ok) s.facts.loadBalancers.data = [];
        if (s.facts.targetGroups.ok) s.facts.targetGroups.data[0]!.LoadBalancerArns = [];
      }),
    );
    expect(unattached.loadBalancer).toBeUndefined();
    expect(unattached.targetGroup?.TargetGroupName).toBe(LAB_TG);
    expect(unattached.choices.find((c) => c.resource === 'loadBalancer')).toMatchObject({ chosen: null, candidates: 0 });
  });

  it('says the load balancer, its listeners and target group are unreadable when the load balancers are, naming the call', () => {
    const lab = labOf(
      completeLabWith((s) => {
        s.facts.loadBalancers = denied('elasticloadbalancing:DescribeLoadBalancers');
      }),
    );
    for (const resource of ['loadBalancer', 'listeners', 'targetGroup'] as const) {
      expect(lab.resolved[resource]).toMatchObject({ state: 'unreadable', unread: { call: 'elasticloadbalancing:DescribeLoadBalancers', finding: "the lab's load balancer" } });
    }
    expect(() => lab.loadBalancer).toThrow('elasticloadbalancing:DescribeLoadBalancers failed (AccessDenied)');
    expect(lab.choices.find((c) => c.resource === 'loadBalancer')?.why).toBe(
      'elasticloadbalancing:DescribeLoadBalancers could not be read (AccessDenied), so nothing was chosen',
    );
    // The only live service is the lab's whatever its target group: it is still found.
    expect(lab.service?.serviceName).toBe('sentiment-app-service');
  });

  it('keeps the only load balancer when what ranks load balancers could not be read, and says less why', () => {
    const lab = labOf(completeLabWith((s) => void (s.facts.targetGroups = denied('elasticloadbalancing:DescribeTargetGroups'))));
    expect(lab.resolved.loadBalancer).toEqual({ state: 'found', value: expect.anything(), from: ['loadBalancers'] });
    expect(lab.choices.find((c) => c.resource === 'loadBalancer')?.why).toBe(
      'it is an internet-facing application load balancer; its name matches a hint (sentiment)',
    );
    expect(lab.resolved.targetGroup.state).toBe('unreadable');
  });

  it('keeps the only target group attached to the load balancer when the listeners could not be read', () => {
    const lab = labOf(
      completeLabWith((s) => {
        for (const arn of Object.keys(s.facts.listeners)) s.facts.listeners[arn] = denied('elasticloadbalancing:DescribeListeners');
      }),
    );
    expect(lab.resolved.listeners.state).toBe('unreadable');
    expect(lab.targetGroup?.TargetGroupName).toBe(LAB_TG);
    // The listeners only word the choice: what could not be read is left out of the words.
    expect(lab.choices.find((c) => c.resource === 'targetGroup')?.why).toBe(
      'it is HTTP, port 8000, IP targets, health check /health; ECS service sentiment-app-service registers its tasks in it',
    );
  });

  it('records the facts each resource was chosen from, not those that only word its choice', () => {
    const lab = labOf(example('complete-lab'));
    // The only load balancer is chosen whatever its target groups and services say; they only explain it.
    expect(lab.resolved.loadBalancer.from).toEqual(['loadBalancers']);
    expect(lab.choices.find((c) => c.resource === 'loadBalancer')?.why).toContain('its target group is used by ECS service sentiment-app-service');
    expect(lab.resolved.listeners.from).toEqual(expect.arrayContaining(['listeners', 'loadBalancers']));
    // Beside a second load balancer, what ties each to the lab decides.
    expect(labOf(completeLabWith(addSecondAlb)).resolved.loadBalancer.from).toEqual(['listeners', 'loadBalancers', 'services', 'targetGroups']);
  });

  it('reads only the listeners of the chosen load balancer', () => {
    const lab = labOf(completeLabWith(addSecondAlb));
    expect(lab.listeners.every((l) => l.LoadBalancerArn !== DECOY_ALB_ARN)).toBe(true);
  });
});
