// The probes start while the collection goes on only when their target cannot change: the
// target named once the load balancers are read is the one the resolver then chooses, for every
// fact the grader could not read, for both lab profiles, and for load balancers of every kind.
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, describe, expect, it } from 'vitest';
import { earlyProbeTarget, probeTarget, readLiveAccount } from '../../src/live/index.js';
import { resolveLab } from '../../src/resolve/index.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { mockAccount, revive, type MockedAccount } from '../collect/mock-account.js';
import { completeLabWith, denied, example, labParams } from '../support/fixtures.js';

let account: MockedAccount | undefined;
afterEach(() => {
  account?.restore();
  account = undefined;
});

type LoadBalancers = Extract<Snapshot['facts']['loadBalancers'], { ok: true }>['data'];
const complete = example('complete-lab');
const onlyLoadBalancer = (complete.facts.loadBalancers.ok ? complete.facts.loadBalancers.data : [])[0]!;

/** Snapshots whose load balancers and other facts vary: one lab, none, several, every kind, every other fact unreadable. */
function variants(): [string, Snapshot][] {
  const withLoadBalancers = (name: string, data: LoadBalancers): [string, Snapshot] => [name, completeLabWith((s) => (s.facts.loadBalancers = { ok: true, data }))];
  const unreadable = Object.keys(complete.facts)
    .filter((key) => key !== 'loadBalancers')
    .map((key): [string, Snapshot] => [
      `${key} unreadable`,
      completeLabWith((s) => {
        const facts = s.facts as Record<string, unknown>;
        const fact = facts[key] as object;
        facts[key] = 'ok' in fact ? denied(`test:${key}`) : Object.fromEntries(Object.keys(fact).map((resource) => [resource, denied(`test:${key}`)]));
      }),
    ]);
  return [
    ['the complete lab', complete],
    ['the mistakes example', example('mistakes')],
    ['load balancers unreadable', completeLabWith((s) => (s.facts.loadBalancers = denied('elasticloadbalancing:DescribeLoadBalancers')))],
    withLoadBalancers('no load balancer', []),
    withLoadBalancers('an internal one', [{ ...onlyLoadBalancer, Scheme: 'internal' }]),
    withLoadBalancers('a network load balancer', [{ ...onlyLoadBalancer, Type: 'network' }]),
    withLoadBalancers('one without a DNS name', [{ ...onlyLoadBalancer, DNSName: undefined } as never]),
    withLoadBalancers('another name', [{ ...onlyLoadBalancer, LoadBalancerName: 'unrelated' }]),
    withLoadBalancers('two', [onlyLoadBalancer, { ...onlyLoadBalancer, LoadBalancerName: 'old', LoadBalancerArn: `${onlyLoadBalancer.LoadBalancerArn}-old`, DNSName: 'old.example' }]),
    ...unreadable,
  ];
}

describe('the probe target named once the load balancers are read', () => {
  it.each(['own-account', 'academy'])('is the target the resolver chooses, or none (%s profile)', (profile) => {
    const params = labParams({}, profile);
    let early = 0;
    for (const [name, snapshot] of variants()) {
      const target = earlyProbeTarget(snapshot.facts.loadBalancers, { params });
      if (target === null) continue;
      early += 1;
      const lab = resolveLab(snapshot, params, { profile, submission: null });
      expect(target, name).toEqual(probeTarget(lab, { params }).target);
    }
    // Most variants hold one load balancer: the comparison ran.
    expect(early).toBeGreaterThan(40);
  });

  it('waits for the resolver when the account holds several load balancers, none, or they could not be read', () => {
    const params = labParams();
    const [, two] = variants().find(([name]) => name === 'two')!;
    expect(earlyProbeTarget(two.facts.loadBalancers, { params })).toBeNull();
    expect(earlyProbeTarget({ ok: true, data: [] }, { params })).toBeNull();
    expect(earlyProbeTarget(denied('elasticloadbalancing:DescribeLoadBalancers'), { params })).toBeNull();
  });

  it("is a person's override whatever the account holds", () => {
    expect(earlyProbeTarget({ ok: true, data: [] }, { params: labParams(), albUrl: 'http://127.0.0.1:8000' })).toEqual({ url: 'http://127.0.0.1:8000', source: 'override' });
  });
});

describe('a live read', () => {
  /** Reads the mocked account live: the snapshot, and how many DescribeServices calls were sent when the probes began. */
  async function readProbing(account: MockedAccount) {
    const servicesDescribed: number[] = [];
    const { snapshot } = await readLiveAccount({
      params: labParams(),
      region: 'eu-west-1',
      probe: async (target) => {
        servicesDescribed.push(account.ecs.commandCalls(DescribeServicesCommand).length);
        return { target, results: [] };
      },
    });
    return { snapshot, servicesDescribed };
  }

  it("probes the account's only load balancer while the rest is collected, and keeps those probes", async () => {
    account = mockAccount(complete, { delayMs: 5 });
    const { snapshot, servicesDescribed } = await readProbing(account);
    // Describing the services waits on ListClusters and ListServices: not sent yet when the probes began.
    expect(servicesDescribed).toEqual([0]);
    expect(account.ecs.commandCalls(DescribeServicesCommand)).toHaveLength(1);
    expect(snapshot.probes.target).toEqual({ url: `http://${onlyLoadBalancer.DNSName}`, source: 'alb-dns-name', loadBalancerArn: onlyLoadBalancer.LoadBalancerArn });
  });

  it('probes once the resolver has chosen when the account holds several load balancers', async () => {
    account = mockAccount(complete, { delayMs: 5 });
    const second = { ...revive(onlyLoadBalancer), LoadBalancerName: 'old', LoadBalancerArn: `${onlyLoadBalancer.LoadBalancerArn}-old`, DNSName: 'old.example' };
    account.elb.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [revive(onlyLoadBalancer), second] as never });
    account.elb.on(DescribeListenersCommand, { LoadBalancerArn: second.LoadBalancerArn }).resolves({ Listeners: [] });
    const { snapshot, servicesDescribed } = await readProbing(account);
    expect(servicesDescribed).toEqual([1]);
    expect(snapshot.probes.target?.url).toBe(`http://${onlyLoadBalancer.DNSName}`);
  });
});
