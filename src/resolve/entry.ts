// The lab's entry point: the load balancer the world reaches, its listeners, and the lab's
// target group. Compute resolution starts from `lab.targetGroup`.
import type { Service } from '@aws-sdk/client-ecs';
import type { Listener, LoadBalancer, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LabParams } from '../rubric/params.js';
import type { Json } from '../snapshot/types.js';
import { allServices, bestBy, entryIfRead, lazy, rankBy, servicesOfTargetGroup } from './graph.js';
import type { Choice, FactReader, Lab } from './lab.js';
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

/** A target group as a hint names it: its name and its ARN, the id the console and the CLI take. */
export function targetGroupLabel(targetGroup: Json<TargetGroup>): string {
  return targetGroup.TargetGroupName ? `${targetGroup.TargetGroupName} (${targetGroup.TargetGroupArn})` : (targetGroup.TargetGroupArn ?? 'unnamed');
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

function chooseLoadBalancer(
  fits: LoadBalancerFit[],
  params: LabParams,
  explain: (loadBalancer: Json<LoadBalancer>) => LoadBalancerFit,
): Choice & { fit?: LoadBalancerFit } {
  const [best, runnerUp, ...rest] = rankBy(fits, fitKeys);
  if (!best) return { resource: 'loadBalancer', chosen: null, candidates: 0, why: 'the account has no load balancer in this region' };
  const reasons = reasonsFor(explain(best.loadBalancer), params);
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

/** How the lab's load balancer, its listeners and the services are wired to target groups, each read when first asked. */
interface TargetGroupWiring {
  loadBalancer: () => Json<LoadBalancer> | undefined;
  listeners: () => readonly Json<Listener>[];
  services: () => readonly Json<Service>[];
}

/** What the lab's target group is (step 4.7): HTTP on the app port, IP targets, health checks on the health path. */
function labShape(targetGroup: Json<TargetGroup>, params: LabParams): string[] {
  return [
    ...(targetGroup.Protocol === 'HTTP' ? ['HTTP'] : []),
    ...(targetGroup.Port === params.network.appPort ? [`port ${params.network.appPort}`] : []),
    ...(targetGroup.TargetType === 'ip' ? ['IP targets'] : []),
    ...(targetGroup.HealthCheckPath === params.loadBalancer.healthCheckPath ? [`health check ${params.loadBalancer.healthCheckPath}`] : []),
  ];
}

/**
 * The lab's target group: what it is decides (protocol, port, target type, health check), its
 * name breaks ties, and only then whether the load balancer's listener forwards to it or the
 * service registers in it, so a listener or a service wired to another target group is judged
 * in the step that wires it (4.7, 5.3). One attached to another load balancer is that one's.
 */
function chooseTargetGroup(
  targetGroups: readonly Json<TargetGroup>[],
  wiring: TargetGroupWiring,
  /** The same, for the words of the choice only. */
  told: TargetGroupWiring,
  params: LabParams,
): { targetGroup?: Json<TargetGroup>; choice: Choice } {
  const lbArn = () => wiring.loadBalancer()?.LoadBalancerArn;
  // Whose a target group attached to load balancers is: read only for one that is attached.
  const candidates = targetGroups.filter((tg) => {
    const attached = tg.LoadBalancerArns ?? [];
    return attached.length === 0 || attached.includes(lbArn() ?? '');
  });
  const listenerPorts = (tg: Json<TargetGroup>, { listeners }: TargetGroupWiring = wiring) =>
    listeners()
      .filter((listener) => forwardedTargetGroupArns(listener).includes(tg.TargetGroupArn ?? ''))
      .map((listener) => listener.Port ?? 0);
  const servedBy = (tg: Json<TargetGroup>, { services }: TargetGroupWiring = wiring) => servicesOfTargetGroup(services(), tg.TargetGroupArn);
  const best = bestBy(candidates, [
    (tg) => -labShape(tg, params).length,
    (tg) => matchesHint(tg.TargetGroupName, params.loadBalancer.targetGroupNameHints),
    (tg) => listenerPorts(tg).includes(params.network.albPort),
    (tg) => listenerPorts(tg).length > 0,
    (tg) => servedBy(tg).length > 0,
    (tg) => tg.TargetGroupArn ?? '',
  ]);
  if (!best) {
    return {
      choice: {
        resource: 'targetGroup',
        chosen: null,
        candidates: targetGroups.length,
        why: targetGroups.length
          ? `none of the ${targetGroups.length} target groups is unattached or attached to the lab's load balancer`
          : 'the region has no target group',
      },
    };
  }
  const shape = labShape(best, params);
  // How the lab wires it, for the words only: what could not be read is left out.
  const ports = unlessUnreadable(() => listenerPorts(best, told), []);
  const service = unlessUnreadable(() => servedBy(best, told)[0], undefined);
  const name = unlessUnreadable(() => told.loadBalancer()?.LoadBalancerName, undefined);
  const reasons = [
    shape.length ? `it is ${shape.join(', ')}` : 'nothing of it is as the lab asks',
    ...(ports.length ? [`a listener of ${name} forwards to it on port ${ports.join(', ')}`] : []),
    ...(service ? [`ECS service ${service.serviceName} registers its tasks in it`] : []),
    ...(candidates.length > 1 ? [`chosen among ${candidates.length} target groups unattached or attached to the lab's load balancer`] : []),
  ];
  return {
    targetGroup: best,
    choice: {
      resource: 'targetGroup',
      chosen: best.TargetGroupName ?? best.TargetGroupArn ?? null,
      candidates: targetGroups.length,
      why: reasons.join('; '),
    },
  };
}

const loadBalancerStep: Step<'loadBalancer'> = {
  resources: ['loadBalancer'],
  choose({ lab, params, words }) {
    const fitsIn = (view: Lab) => {
      const targetGroups = lazy(() => indexTargetGroups(view.read('targetGroups')));
      const services = lazy(() => allServices(view));
      return (lb: Json<LoadBalancer>) => fitOf(lb, view, targetGroups, services, params);
    };
    const fits = lab.read('loadBalancers').map(fitsIn(lab));
    const { fit, ...choice } = chooseLoadBalancer(fits, params, fitsIn(words));
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
  choose({ lab, params, words }) {
    const wiring = (view: Lab): TargetGroupWiring => {
      const services = lazy(() => allServices(view));
      return { loadBalancer: () => view.loadBalancer, listeners: () => view.listeners, services };
    };
    const { targetGroup, choice } = chooseTargetGroup(lab.read('targetGroups'), wiring(lab), wiring(words), params);
    return { resolved: { targetGroup }, choices: [choice] };
  },
};

/** The lab's entry point: the load balancer, its listeners, the target group it forwards to. */
export const entrySteps = [loadBalancerStep, listenersStep, targetGroupStep] as const;
