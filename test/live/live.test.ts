import { afterEach, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/collect/index.js';
import { readLiveAccount } from '../../src/live/index.js';
import { parseSnapshot } from '../../src/snapshot/load.js';
import type { Probes } from '../../src/snapshot/types.js';
import { mockAccount, type MockedAccount } from '../collect/mock-account.js';
import { completeLabRenamed, example, labParams, PROTOTYPE_NAMES } from '../support/fixtures.js';

let account: MockedAccount | undefined;
afterEach(() => {
  account?.restore();
  account = undefined;
});

describe('the live path: collect, then resolve the lab, then probe its load balancer', () => {
  it('collection alone probes nothing; the composition probes the load balancer the resolver chose', async () => {
    account = mockAccount(example('complete-lab'));
    const collected = await collectSnapshot({ params: labParams(), region: 'eu-west-1' });
    expect(collected.probes).toEqual({ target: null, skipped: 'not probed: collection only', results: [] });

    const targets: Probes['target'][] = [];
    const { snapshot: live, lab } = await readLiveAccount({
      params: labParams(),
      region: 'eu-west-1',
      probe: async (target) => {
        targets.push(target);
        return { target, results: [] };
      },
    });
    expect(targets).toHaveLength(1);
    expect(live.probes.target?.source).toBe('alb-dns-name');
    expect(live.facts).toEqual(collected.facts);
    // The lab handed on is the one the probe target came from, and it sees the probes.
    expect(targets[0]?.url).toBe(`http://${lab.loadBalancer?.DNSName}`);
    expect(lab.snapshot).toBe(live);
  });
});

describe('names are data in a live snapshot', () => {
  it.each(PROTOTYPE_NAMES)('an admin group and an admin user named %s keep their policies, members, keys and MFA devices', async (name) => {
    const built = completeLabRenamed(['student-admin', name], ['admin', name]);
    account = mockAccount(built);
    const { snapshot: live } = await readLiveAccount({ params: labParams({ 'iam.adminGroup': name }), region: 'eu-west-1', probe: async (target) => ({ target, results: [] }) });
    // Saved and loaded again, as --save-snapshot and --snapshot do.
    const { facts } = parseSnapshot(JSON.stringify(live), 'live.json');
    for (const [fact, key] of [['groupPolicies', name], ['groupMembers', name], ['userAccessKeys', name], ['userMfaDevices', name]] as const) {
      expect(Object.hasOwn(facts[fact], key), `${fact} ${key}`).toBe(true);
      expect(facts[fact][key]).toEqual(built.facts[fact][key]);
    }
    expect(facts.groupMembers[name]).toMatchObject({ ok: true, data: [{ UserName: name }] });
  });
});
