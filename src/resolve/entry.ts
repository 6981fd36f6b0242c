// The lab's entry point: the load balancer the world reaches, its listeners, and the
// target group it forwards to. Compute resolution starts from `lab.targetGroup`.
import type { Service } from '@aws-sdk/client-ecs';
import type { Listener, LoadBalancer, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LabParams } from '../rubric/params.js';
import type { Json } from '../snapshot/types.js';
import { allServices, entryIfRead, lazy, rankBy, servicesOfTargetGroup } from './graph.js';
import type { Choice, FactReader } from './lab.js';
import { FactUnavailable } from './facts.js';
import { unlessUnreadable, type Step } from './stage.js';
import { matchesHint } from '../facts/names.js';

/** Target groups a listener's default actions forward to (single or weighted forward). */
export function forwardedTargetGroupArns(listener: Json<Listener>): string[] {
  const arns = new Set<string>();
  for (const action of listener.DefaultActions ?? []) {
    if (action.Type !== 'forward') continue;
    if (action.TargetGroupArn) arns.add(action.TargetGroupArn);
    for (const weighted of action.ForwardConfig?.TargetGroups ?? []) {
      if (weighted.TargetGroupArn) arns.add(weighted.TargetGroupArn);
    }
  }
  return [...arns];
}

/**
 * What ties one load balancer to the lab, as ranking keys and as words for the evidence.
 * What its listeners and target groups say is read only when the ranking asks.
 */
interface LoadBalancerFit {
  loadBalancer: Json<LoadBalancer>;
  servedBy: () => Json<Service>[];
  servesAppPort: () => boolean;
  internetFacingApplication: boolean;
  nameHint: boolean;
  createdMs: number;
}

/** Target groups by ARN and by the load balancers they are attached to, so busy accounts resolve in linear time. */
interface TargetGroupIndex {
  byArn: Map<string, Json<TargetGroup>>;
  byLoadBalancer: Map<string, Json<TargetGroup>[]>;
}

function indexTargetGroups(targetGroups: readonly Json<TargetGroup>[]): TargetGroupIndex {
  const index: TargetGroupIndex = { byArn: new Map(), byLoadBalancer: new Map() };
  for (const tg of targetGroups) {
    if (tg.TargetGroupArn) index.byArn.set(tg.TargetGroupArn, tg);
    for (const lbArn of tg.LoadBalancerArns ?? []) index.byLoadBalancer.set(lbArn, [...(index.byLoadBalancer.get(lbArn) ?? []), tg]);
  }
  return index;
}

function fitOf(
  loadBalancer: Json<LoadBalancer>,
  facts: FactReader,
  targetGroups: () => TargetGroupIndex,
  services: () => readonly Json<Service>[],
  params: LabParams,
): LoadBalancerFit {
  const arn = loadBalancer.LoadBalancerArn;
  const reached = lazy(() => {
    const index = targetGroups();
    const forwarded = entryIfRead(facts, 'listeners', arn, [])
      .flatMap(forwardedTargetGroupArns)
      .map((tgArn) => index.byArn.get(tgArn))
      .filter((tg) => tg !== undefined);
    return [...new Set([...forwarded, ...(index.byLoadBalancer.get(arn ?? '') ?? [])])];
  });
  return {
    loadBalancer,
    servedBy: lazy(() => reached().flatMap((tg) => servicesOfTargetGroup(services(), tg.TargetGroupArn))),
    servesAppPort: lazy(() => reached().some((tg) => tg.Port === params.network.appPort)),
    internetFacingApplication: loadBalancer.Type === 'application' && loadBalancer.Scheme === 'internet-facing',
    nameHint: matchesHint(loadBalancer.LoadBalancerName, params.loadBalancer.nameHints),
    createdMs: loadBalancer.CreatedTime ? Date.parse(loadBalancer.CreatedTime) : 0,
  };
}

const fitKeys: ((fit: LoadBalancerFit) => boolean | number | string)[] = [
  (fit) => fit.servedBy().length > 0,
  (fit) => fit.servesAppPort(),
  (fit) => fit.internetFacingApplication,
  (fit) => fit.nameHint,
  // The newest of otherwise equal load balancers is the student's latest attempt.
  (fit) => -fit.createdMs,
  (fit) => fit.loadBalancer.LoadBalancerArn ?? '',
];

function reasonsFor(fit: LoadBalancerFit, params: LabParams): string[] {
  const reasons: string[] = [];
  const service = unlessUnreadable(() => fit.servedBy()[0], undefined);
  if (service) reasons.push(`its target group is used by ECS service ${service.serviceName}`);
  if (unlessUnreadable(fit.servesAppPort, false)) reasons.push(`it forwards to a target group on port ${params.network.appPort}`);
  if (fit.internetFacingApplication) reasons.push('it is an internet-facing application load balancer');
  if (fit.nameHint) reasons.push(`its name matches a hint (${params.loadBalancer.nameHints.join(', ')})`);
  return reasons;
}

function chooseLoadBalancer(fits: LoadBalancerFit[], params: LabParams): Choice & { fit?: LoadBalancerFit } {
  const [best, runnerUp, ...rest] = rankBy(fits, fitKeys);
  if (!best) return { resource: 'loadBalancer', chosen: null, candidates: 0, why: 'the account has no load balancer in this region' };
  const reasons = reasonsFor(best, params);
  const why = [reasons.length ? reasons.join('; ') : 'the only load balancer, though nothing ties it to the lab'];
  if (runnerUp) {
    // The ranking read these keys of both to place them.
    const tiedOnEvidence = fitKeys.slice(0, 4).every((key) => key(best) === key(runnerUp));
    const others = [runnerUp, ...rest].map((fit) => fit.loadBalancer.LoadBalancerName).join(', ');
    why.push(
      tiedOnEvidence
        ? `${fits.length} load balancers fit equally; chose the newest (then by ARN) over ${others}`
        : `ranked above ${others}`,
    );
  }
  return {
    resource: 'loadBalancer',
    chosen: best.loadBalancer.LoadBalancerName ?? best.loadBalancer.LoadBalancerArn ?? null,
    candidates: fits.length,
    why: why.join('; '),
    fit: best,
  };
}

interface TargetGroupFit {
  targetGroup: Json<TargetGroup>;
  /** Ports of the chosen load balancer's listeners that forward to it. */
  listenerPorts: number[];
  registered: boolean;
  servedBy: () => Json<Service>[];
}

function chooseTargetGroup(
  loadBalancer: Json<LoadBalancer> | undefined,
  listeners: readonly Json<Listener>[],
  targetGroups: readonly Json<TargetGroup>[],
  services: () => readonly Json<Service>[],
  params: LabParams,
): { targetGroup?: Json<TargetGroup>; choice: Choice } {
  const lbArn = loadBalancer?.LoadBalancerArn;
  const fits: TargetGroupFit[] = targetGroups.map((targetGroup) => ({
    targetGroup,
    listenerPorts: listeners
      .filter((listener) => forwardedTargetGroupArns(listener).includes(targetGroup.TargetGroupArn ?? ''))
      .map((listener) => listener.Port ?? 0),
    registered: lbArn !== undefined && (targetGroup.LoadBalancerArns ?? []).includes(lbArn),
    servedBy: lazy(() => servicesOfTargetGroup(services(), targetGroup.TargetGroupArn)),
  }));
  const forwarded = fits.filter((fit) => fit.listenerPorts.length > 0);
  const registered = fits.filter((fit) => fit.registered);
  // A target group attached to another load balancer belongs to that one, not to a lab whose ALB is missing.
  const unattached = fits.filter((fit) => (fit.targetGroup.LoadBalancerArns ?? []).length === 0);
  const [pool, how] = forwarded.length
    ? [forwarded, `a listener of ${loadBalancer?.LoadBalancerName} forwards to it`]
    : registered.length
      ? [registered, `it is attached to ${loadBalancer?.LoadBalancerName}`]
      : [
          loadBalancer ? unattached : fits,
          loadBalancer
            ? `no listener of ${loadBalancer.LoadBalancerName} forwards to a target group; it is not attached to any load balancer`
            : 'there is no lab load balancer to start from',
        ];
  const [best] = rankBy(pool, [
    (fit) => fit.listenerPorts.includes(params.network.albPort),
    (fit) => fit.servedBy().length > 0,
    (fit) => fit.targetGroup.Port === params.network.appPort,
    (fit) => matchesHint(fit.targetGroup.TargetGroupName, params.loadBalancer.targetGroupNameHints),
    (fit) => fit.targetGroup.TargetGroupArn ?? '',
  ]);
  if (!best) {
    return {
      choice: {
        resource: 'targetGroup',
        chosen: null,
        candidates: targetGroups.length,
        why: targetGroups.length
          ? `none of the ${targetGroups.length} target groups is reached from the lab's load balancer or unattached`
          : 'the region has no target group',
      },
    };
  }
  const reasons = [how];
  if (best.listenerPorts.length) reasons.push(`listener port ${best.listenerPorts.join(', ')}`);
  const service = unlessUnreadable(() => best.servedBy()[0], undefined);
  if (service) reasons.push(`ECS service ${service.serviceName} registers its tasks in it`);
  if (best.targetGroup.Port === params.network.appPort) reasons.push(`port ${params.network.appPort}`);
  if (pool.length > 1) reasons.push(`chosen among ${pool.length} such target groups`);
  return {
    targetGroup: best.targetGroup,
    choice: {
      resource: 'targetGroup',
      chosen: best.targetGroup.TargetGroupName ?? best.targetGroup.TargetGroupArn ?? null,
      candidates: targetGroups.length,
      why: reasons.join('; '),
    },
  };
}

const loadBalancerStep: Step<'loadBalancer'> = {
  resources: ['loadBalancer'],
  choose({ lab, params }) {
    const targetGroups = lazy(() => indexTargetGroups(lab.read('targetGroups')));
    const services = lazy(() => allServices(lab));
    const fits = lab.read('loadBalancers').map((lb) => fitOf(lb, lab, targetGroups, services, params));
    const { fit, ...choice } = chooseLoadBalancer(fits, params);
    return { resolved: { loadBalancer: fit?.loadBalancer }, choices: [choice] };
  },
};

const listenersStep: Step<'listeners'> = {
  resources: ['listeners'],
  choose({ lab }) {
    const arn = lab.loadBalancer?.LoadBalancerArn;
    return { resolved: { listeners: arn === undefined ? [] : lab.readKeyed('listeners', arn) }, choices: [] };
  },
};

const targetGroupStep: Step<'targetGroup'> = {
  resources: ['targetGroup'],
  choose({ lab, params }) {
    const loadBalancer = lab.loadBalancer;
    const targetGroups = lab.read('targetGroups');
    const services = lazy(() => allServices(lab));
    try {
      const { targetGroup, choice } = chooseTargetGroup(loadBalancer, lab.listeners, targetGroups, services, params);
      return { resolved: { targetGroup }, choices: [choice] };
    } catch (error) {
      // Without the listeners, the only target group, attached to the lab's load balancer, is still the one every rule picks.
      const [only] = targetGroups;
      const lbArn = loadBalancer?.LoadBalancerArn;
      if (!(error instanceof FactUnavailable) || targetGroups.length !== 1 || !only || !lbArn || !(only.LoadBalancerArns ?? []).includes(lbArn)) throw error;
      return {
        resolved: { targetGroup: only },
        choices: [
          {
            resource: 'targetGroup',
            chosen: only.TargetGroupName ?? only.TargetGroupArn ?? null,
            candidates: 1,
            why: `the only target group, attached to ${loadBalancer?.LoadBalancerName} (${error.call} could not be read)`,
          },
        ],
      };
    }
  },
};

/** The lab's entry point: the load balancer, its listeners, the target group it forwards to. */
export const entrySteps = [loadBalancerStep, listenersStep, targetGroupStep] as const;
