import { afterEach, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/collect/index.js';
import { readLiveAccount } from '../../src/live/index.js';
import type { Probes } from '../../src/snapshot/types.js';
import { mockAccount, type MockedAccount } from '../collect/mock-account.js';
import { example, labParams } from '../support/fixtures.js';

let account: MockedAccount | undefined;
afterEach(() => {
  account?.restore();
  account = undefined;
});

describe('the live path: collect, then resolve the probe target, then probe', () => {
  it('collection alone probes nothing; the composition probes the load balancer the resolver chose', async () => {
    account = mockAccount(example('complete-lab'));
    const collected = await collectSnapshot({ params: labParams(), region: 'eu-west-1' });
    expect(collected.probes).toEqual({ target: null, skipped: 'not probed: collection only', results: [] });

    const targets: Probes['target'][] = [];
    const live = await readLiveAccount({
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
  });
});
