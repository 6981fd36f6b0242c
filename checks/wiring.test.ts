// Every wiring of the lab pointed at another of its resources, of the wrong role: the step
// that wires it (4.7 for the load balancer, 5.3 for the service) pays, the step that made the
// resource keeps its points, and the hint names the resource to use instead, by name and id.
import { describe, expect, it } from 'vitest';
import { checksById } from './index.js';
import { grade } from '../src/grade/engine.js';
import type { Scorecard } from '../src/grade/scorecard.js';
import type { Snapshot } from '../src/snapshot/types.js';
import { addWebTargetGroup, WEB_TG_ARN } from '../test/fixtures/network/decoys.js';
import {
  ALB_SG,
  alb,
  APP_SG,
  LOAD_BALANCER,
  listener,
  networkOf,
  PRIVATE_1,
  PRIVATE_2,
  PUBLIC_SUBNETS,
  serviceOf,
  TARGET_GROUP,
  targetGroup,
} from '../test/support/complete-lab.js';
import { completeLabWith, dataOf, example, labRubric } from '../test/support/fixtures.js';

function graded(snapshot: Snapshot): Scorecard {
  return grade({ rubric: labRubric, rubricFile: 'rubric.yaml', snapshot, checks: checksById });
}

/** Each step's points earned, and its hint words (every check's hint), by step id. */
function steps(scorecard: Scorecard): Map<string, { earned: number; hints: string }> {
  return new Map(
    [...scorecard.sections.flatMap((section) => section.steps), ...scorecard.bonus].map((step) => [
      step.id,
      { earned: step.points.earned, hints: step.checks.map((check) => check.hint ?? '').join(' ') },
    ]),
  );
}

const complete = steps(graded(example('complete-lab')));

interface Wiring {
  wiring: string;
  /** The wiring pointed at a resource of the lab with another role. */
  mutate: (snapshot: Snapshot) => void;
  /** The step that wires it, which alone loses points. */
  wiredIn: '4.7' | '5.3';
  /** The step that made the resource, and the check of it that keeps full points. */
  madeIn: string;
  /** The resource to use instead, as the hint must name it. */
  names: string[];
}

const wirings: Wiring[] = [
  {
    wiring: "the load balancer's security groups: the resource group",
    mutate: (s) => void (alb(s).SecurityGroups = [APP_SG]),
    wiredIn: '4.7',
    madeIn: '4.6',
    names: [`sentiment-app-alb-sg (${ALB_SG})`],
  },
  {
    wiring: "the service's security groups: the load balancer's group",
    mutate: (s) => networkOf(s).forEach((network) => network && (network.securityGroups = [ALB_SG])),
    wiredIn: '5.3',
    madeIn: '4.6',
    names: [`sentiment-app-sg (${APP_SG})`],
  },
  {
    wiring: "the load balancer's subnets: the private subnets",
    mutate: (s) => {
      alb(s).AvailabilityZones = [
        { ZoneName: 'eu-west-1a', SubnetId: PRIVATE_1 },
        { ZoneName: 'eu-west-1b', SubnetId: PRIVATE_2 },
      ];
    },
    wiredIn: '4.7',
    madeIn: '4.2',
    names: [`public-subnet-1 (${PUBLIC_SUBNETS[0]})`, `public-subnet-2 (${PUBLIC_SUBNETS[1]})`],
  },
  {
    wiring: "the service's subnets: the public subnets",
    mutate: (s) => networkOf(s).forEach((network) => network && (network.subnets = [...PUBLIC_SUBNETS])),
    wiredIn: '5.3',
    madeIn: '4.2',
    names: [`private-subnet-1 (${PRIVATE_1})`, `private-subnet-2 (${PRIVATE_2})`],
  },
  {
    wiring: "the listener's target group: a port-80 target group of instances",
    mutate: (s) => {
      addWebTargetGroup(s);
      // As AWS reports it: a target group lists the load balancers whose listeners forward to it.
      dataOf(s.facts.targetGroups).find((tg) => tg.TargetGroupArn === WEB_TG_ARN)!.LoadBalancerArns = [LOAD_BALANCER];
      targetGroup(s).LoadBalancerArns = [];
      listener(s).DefaultActions = [{ Type: 'forward', TargetGroupArn: WEB_TG_ARN }];
    },
    wiredIn: '4.7',
    madeIn: '4.7',
    names: [`sentiment-app-target-group (${TARGET_GROUP})`],
  },
  {
    wiring: "the service's target group: a port-80 target group of instances",
    mutate: (s) => {
      addWebTargetGroup(s);
      // ECS registers a service only with a target group a load balancer forwards to: here a second listener on 8080.
      dataOf(s.facts.targetGroups).find((tg) => tg.TargetGroupArn === WEB_TG_ARN)!.LoadBalancerArns = [LOAD_BALANCER];
      dataOf(s.facts.listeners[LOAD_BALANCER]!).push({
        ...structuredClone(listener(s)),
        ListenerArn: `${listener(s).ListenerArn}-8080`,
        Port: 8080,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: WEB_TG_ARN }],
      });
      serviceOf(s).loadBalancers![0]!.targetGroupArn = WEB_TG_ARN;
      // The service's tasks are now the web target group's targets.
      s.facts.targetHealth[WEB_TG_ARN] = s.facts.targetHealth[TARGET_GROUP]!;
      s.facts.targetHealth[TARGET_GROUP] = { ok: true, data: [] };
    },
    wiredIn: '5.3',
    madeIn: '4.7',
    names: [`sentiment-app-target-group (${TARGET_GROUP})`],
  },
];

/** The check of the step that made each kind of resource, which must keep full points. */
const MADE_BY: Record<string, string> = {
  '4.6': 'vpc.security-groups',
  '4.2': 'vpc.public-subnets',
  '4.7': 'elb.target-group',
};

describe('every wiring of the lab, pointed at a resource of the wrong role', () => {
  it.each(wirings)('$wiring: only $wiredIn loses points, $madeIn keeps them, and the hint names the resource to use', ({ mutate, wiredIn, madeIn, names }) => {
    const scorecard = graded(completeLabWith(mutate));
    const after = steps(scorecard);
    for (const [id, step] of after) {
      const was = complete.get(id)!;
      if (id === wiredIn) expect(step.earned, `step ${id} pays for the wiring`).toBeLessThan(was.earned);
      else expect({ id, earned: step.earned }).toEqual({ id, earned: was.earned });
    }
    const made = scorecard.sections.flatMap((section) => section.steps).find((step) => step.id === madeIn)!;
    expect(made.checks.find((check) => check.id === MADE_BY[madeIn])).toMatchObject({ status: 'pass' });
    if (madeIn !== wiredIn) expect(made.points.earned).toBe(made.points.max);
    for (const words of names) expect(after.get(wiredIn)!.hints).toContain(words);
  });

  it('the service in the load balancer\'s group while the resource group sits unused: 4.6 keeps 0.25, 5.3 pays and names the resource group', () => {
    const scorecard = graded(completeLabWith(wirings[1]!.mutate));
    const step = (id: string) => scorecard.sections.flatMap((section) => section.steps).find((candidate) => candidate.id === id)!;
    expect(step('4.6').points).toEqual({ earned: 0.25, max: 0.25 });
    expect(step('5.3').points.earned).toBeLessThan(0.75);
    expect(step('5.3').checks.find((check) => check.id === 'ecs.service-network')?.hint).toContain(
      `Give service sentiment-app-service the resource security group sentiment-app-sg (${APP_SG}) instead of sentiment-app-alb-sg (${ALB_SG})`,
    );
  });

  it('grades the complete lab with the port-80 target group beside it, wired nowhere, as the complete lab', () => {
    expect(steps(graded(completeLabWith(addWebTargetGroup)))).toEqual(complete);
  });
});
