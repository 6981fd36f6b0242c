import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { readLiveAccount, type LiveOptions } from '../../src/live/index.js';
import { AwsAccessError } from '../../src/errors.js';
import { defineCheck, pass } from '../../src/check/define.js';
import { evaluateCheck } from '../../src/grade/evaluate.js';
import { resolveLab } from '../../src/resolve/index.js';
import { FACT_CALLS, KEYED_FACTS } from '../../src/snapshot/facts.js';
import type { FactKey, Probes, Snapshot } from '../../src/snapshot/types.js';
import { grade } from '../../src/grade/engine.js';
import { checksById } from '../../checks/index.js';
import { loadRubric } from '../../src/rubric/load.js';
import { parseSnapshot } from '../../src/snapshot/load.js';
import { example, labParams } from '../support/fixtures.js';
import { awsError, mockAccount, revive, type MockedAccount } from './mock-account.js';
import { createClients } from '../../src/aws/clients.js';
import { stubTestCredentials } from '../support/aws-env.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

let account: MockedAccount | undefined;
afterEach(() => {
  account?.restore();
  account = undefined;
});

const probed: Probes['target'][] = [];
async function stubProbe(target: Probes['target']): Promise<Probes> {
  probed.push(target);
  return { target, results: [] };
}

// As the commands read an account: collect, resolve the lab, probe (stubbed).
async function collect(options: Partial<LiveOptions> = {}): Promise<Snapshot> {
  return (await readLiveAccount({ params: labParams(), region: 'eu-west-1', probe: stubProbe, ...options })).snapshot;
}

/** A snapshot where every list fact is empty and every keyed fact has no entries. */
function emptyAccount(): Snapshot {
  const snapshot = example('complete-lab');
  for (const key of Object.keys(snapshot.facts) as FactKey[]) {
    if (key === 'callerIdentity') continue;
    (snapshot.facts as unknown as Record<string, unknown>)[key] = KEYED_FACTS.has(key)
      ? {}
      : { ok: true, data: key === 'accountSummary' ? {} : key === 'accountPublicAccessBlock' ? null : [] };
  }
  return snapshot;
}

describe('collectSnapshot on a mocked complete lab', () => {
  it('records provenance: the rubric hash and the first request id of STS, EC2, ELB and ECS, which load back', async () => {
    const expected = example('complete-lab');
    account = mockAccount(expected);
    const identity = expected.facts.callerIdentity.ok ? expected.facts.callerIdentity.data : undefined;
    account.sts.on(GetCallerIdentityCommand).resolves({ ...identity, $metadata: { httpStatusCode: 200, requestId: '0f1e2d3c-4b5a-4968-8776-655443322110' } });
    const vpcs = expected.facts.vpcs.ok ? expected.facts.vpcs.data : [];
    account.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: vpcs, $metadata: { httpStatusCode: 200, requestId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' } });
    // Not a request id's shape: never kept.
    account.elb.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [], $metadata: { requestId: 'AKIAFAKEEXAMPLEKEY01 and more' } });
    const rubricSha256 = loadRubric(`${root}rubric.yaml`).sha256;
    const snapshot = await collect({ rubricSha256 });
    expect(snapshot.provenance).toEqual({
      rubricSha256,
      requestIds: [
        { call: 'sts:GetCallerIdentity', requestId: '0f1e2d3c-4b5a-4968-8776-655443322110' },
        { call: 'ec2:DescribeVpcs', requestId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' },
      ],
    });
    expect(JSON.stringify(snapshot.provenance)).not.toContain('AKIA');
    expect(parseSnapshot(JSON.stringify(snapshot), 'collected.json').provenance).toEqual(snapshot.provenance);
  });

  it('collects facts that deep-equal the example snapshot, in at most 4 rounds', async () => {
    const expected = example('complete-lab');
    account = mockAccount(expected);
    const snapshot = await collect();
    expect(snapshot.facts).toEqual(expected.facts);
    expect(Object.keys(snapshot.facts).sort()).toEqual(Object.keys(FACT_CALLS).sort());
    expect(snapshot.account).toBe('123456789012');
    expect(snapshot.caller).toBe('arn:aws:iam::123456789012:user/student-admin');
    expect(snapshot.region).toBe('eu-west-1');
    expect(snapshot.collector.rounds).toBeLessThanOrEqual(4);
    expect(snapshot.collector.calls).toBeGreaterThan(40);
    expect(snapshot.schemaVersion).toBe(1);
  });

  it("dates the snapshot by AWS's clock, as the SDK measured it, not a wrong local clock", async () => {
    account = mockAccount(example('complete-lab'));
    stubTestCredentials();
    const clients = createClients({ region: 'eu-west-1' });
    // What the SDK sets from the answers' Date header when this machine's clock runs two hours late.
    (clients.sts.config as { systemClockOffset: number }).systemClockOffset = 2 * 3_600_000;
    const before = Date.now();
    try {
      const snapshot = await collect({ clients });
      expect(Date.parse(snapshot.collectedAt) - before).toBeGreaterThanOrEqual(2 * 3_600_000);
      expect(Date.parse(snapshot.collectedAt) - Date.now()).toBeLessThanOrEqual(2 * 3_600_000);
    } finally {
      clients.destroy();
      vi.unstubAllEnvs();
    }
  });

  it("records the package's own version as the collector's (one source: package.json)", async () => {
    account = mockAccount(example('complete-lab'));
    const snapshot = await collect();
    const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
    expect(snapshot.collector).toMatchObject({ name, version });
  });

  it('probes the lab load balancer by its AWS DNS name, or the override with private addresses allowed', async () => {
    account = mockAccount(example('complete-lab'));
    probed.length = 0;
    await collect();
    expect(probed[0]).toEqual({
      url: 'http://sentiment-app-alb-1234567890.eu-west-1.elb.amazonaws.com',
      source: 'alb-dns-name',
      loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/sentiment-app-alb/50dc6c495c0c9188',
    });
    const options: unknown[] = [];
    await collect({
      albUrl: 'http://127.0.0.1:8080',
      probe: async (target, _params, probeOptions) => {
        options.push(probeOptions);
        return { target, results: [] };
      },
    });
    // The override is probed once the load balancers are read, while the rest is collected: stoppable if the collection fails.
    expect(options).toEqual([{ allowPrivateAddresses: true, signal: expect.any(AbortSignal) }]);
  });

  it('writes a snapshot that reads back identical and grades identically', async () => {
    account = mockAccount(example('complete-lab'));
    const snapshot = await collect();
    // As --save-snapshot writes it and --snapshot reads it back (validated).
    const reread = parseSnapshot(`${JSON.stringify(snapshot, null, 2)}\n`, 'saved.snapshot.json');
    expect(reread).toEqual(snapshot);
    const rubric = loadRubric(`${root}rubric.yaml`, 'rubric.yaml');
    const scorecard = grade({ rubric, rubricFile: 'rubric.yaml', snapshot, checks: checksById });
    expect(grade({ rubric, rubricFile: 'rubric.yaml', snapshot: reread, checks: checksById })).toEqual(scorecard);
    expect(scorecard.total.earned).toBeGreaterThan(0);
  });

  it('reports progress for every fact it reads', async () => {
    account = mockAccount(example('complete-lab'));
    const events: { done: number; total: number; label: string }[] = [];
    await collect({ onProgress: (event) => events.push(event) });
    expect(events.length).toBeGreaterThan(40);
    expect(events.every((e) => e.done <= e.total)).toBe(true);
    expect(events.map((e) => e.label)).toContain('vpcs');
  });
});

describe('errors are facts', () => {
  it('AccessDenied on ELBv2: its facts name the call, everything else is still collected, dependent checks error', async () => {
    account = mockAccount(example('complete-lab'));
    account.elb.on(DescribeLoadBalancersCommand).rejects(awsError('AccessDenied', 'User is not authorized to perform: elasticloadbalancing:DescribeLoadBalancers'));
    const snapshot = await collect();
    expect(snapshot.facts.loadBalancers).toEqual({
      ok: false,
      error: {
        call: 'elasticloadbalancing:DescribeLoadBalancers',
        code: 'AccessDenied',
        message: 'User is not authorized to perform: elasticloadbalancing:DescribeLoadBalancers',
      },
    });
    expect(snapshot.facts.listeners).toEqual({});
    expect(snapshot.facts.vpcs.ok).toBe(true);
    expect(snapshot.facts.targetGroups.ok).toBe(true);
    expect(Object.keys(snapshot.facts.services)).toHaveLength(1);
    const check = defineCheck({ id: 'elb.example', title: 'an ALB', run: (lab) => pass([`found ${lab.loadBalancer?.LoadBalancerName}`]) });
    const params = labParams();
    const evaluation = evaluateCheck(check, resolveLab(snapshot, params, { profile: 'own-account' }), params);
    expect(evaluation.status).toBe('error');
    expect(evaluation.cause).toContain('elasticloadbalancing:DescribeLoadBalancers');
  });

  it('a throttling error that persists after retries is recorded on its fact', async () => {
    account = mockAccount(example('complete-lab'));
    account.ec2.on(DescribeSubnetsCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const snapshot = await collect();
    expect(snapshot.facts.subnets).toEqual({ ok: false, error: { call: 'ec2:DescribeSubnets', code: 'ThrottlingException', message: 'Rate exceeded' } });
    expect(snapshot.facts.vpcs.ok).toBe(true);
  });

  it('records "none" answers as null data, not errors', async () => {
    account = mockAccount(example('complete-lab'));
    const snapshot = await collect();
    expect(snapshot.facts.accountPublicAccessBlock).toEqual({ ok: true, data: null });
    expect(snapshot.facts.bucketPolicyStatus['sentiment-models-123456789012']).toEqual({ ok: true, data: null });
  });

  it('an empty account collects without error into empty facts', async () => {
    const empty = emptyAccount();
    account = mockAccount(empty);
    probed.length = 0;
    const snapshot = await collect();
    expect(snapshot.facts).toEqual(empty.facts);
    expect(probed).toEqual([]);
    expect(snapshot.probes.target).toBeNull();
    expect(snapshot.probes.skipped).toMatch(/no load balancer/);
  });
});

describe('paging', () => {
  it('follows NextToken across two pages of subnets and of log groups', async () => {
    const complete = example('complete-lab');
    account = mockAccount(complete);
    const subnets = revive(complete.facts.subnets.ok ? complete.facts.subnets.data : []);
    account.ec2
      .on(DescribeSubnetsCommand)
      .callsFake((input: { NextToken?: string }) =>
        input.NextToken === 'page-2' ? { Subnets: subnets.slice(3) } : { Subnets: subnets.slice(0, 3), NextToken: 'page-2' },
      );
    const groups = revive(complete.facts.logGroups.ok ? complete.facts.logGroups.data : []);
    const extra = { ...groups[0], logGroupName: '/aws/lambda/other', arn: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/other:*' };
    account.logs
      .on(DescribeLogGroupsCommand)
      .callsFake((input: { nextToken?: string }) => (input.nextToken ? { logGroups: [extra] } : { logGroups: groups, nextToken: 't2' }));
    const snapshot = await collect();
    expect(snapshot.facts.subnets).toEqual(complete.facts.subnets);
    expect(snapshot.facts.logGroups.ok && snapshot.facts.logGroups.data.map((g) => g.logGroupName)).toEqual([
      '/ecs/sentiment-app-task',
      '/aws/lambda/other',
    ]);
    expect(account.ec2.commandCalls(DescribeSubnetsCommand)).toHaveLength(2);
  });
});

describe('credentials', () => {
  it('an expired token stops the collection with exit 3 and what to do', async () => {
    account = mockAccount(example('complete-lab'));
    account.sts.on(GetCallerIdentityCommand).rejects(awsError('ExpiredToken', 'The security token included in the request is expired'));
    const error = await collect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsAccessError);
    expect((error as AwsAccessError).exitCode).toBe(3);
    expect((error as Error).message).toMatch(/expired/);
    expect((error as Error).message).toMatch(/Learner Lab session ended/);
    expect(account.ec2.calls()).toHaveLength(0);
  });

  it('missing credentials stop the collection with how to configure them', async () => {
    account = mockAccount(example('complete-lab'));
    account.sts.on(GetCallerIdentityCommand).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
    );
    const error = await collect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsAccessError);
    expect((error as Error).message).toMatch(/No AWS credentials were found/);
    expect((error as Error).message).toMatch(/CloudShell/);
  });

  it('never repeats an access key id in a message', async () => {
    account = mockAccount(example('complete-lab'));
    account.sts.on(GetCallerIdentityCommand).rejects(awsError('InvalidClientTokenId', 'The key AKIAFAKEEXAMPLEKEY01 is invalid'));
    const error = (await collect().catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(AwsAccessError);
    expect(error.message).not.toContain('AKIAFAKEEXAMPLEKEY01');
  });
});

describe('watch mode: refresh', () => {
  it('copies the facts refresh declines from the previous snapshot without calling for them', async () => {
    const complete = example('complete-lab');
    account = mockAccount(complete);
    const previous = await collect();
    account.restore();
    account = mockAccount(complete);
    const staticFacts = new Set<FactKey>(['groups', 'groupPolicies', 'groupMembers', 'users', 'budgets', 'budgetNotifications', 'vpcs']);
    const refresh = vi.fn((key: FactKey) => !staticFacts.has(key));
    const snapshot = await collect({ previous, refresh });
    expect(snapshot.facts).toEqual(previous.facts);
    expect(snapshot.collector.calls).toBeLessThan(previous.collector.calls);
    expect(account.ec2.commandCalls(DescribeVpcsCommand)).toHaveLength(0);
    expect(account.budgets.calls()).toHaveLength(0);
    expect(account.iam.calls().map((c) => (c.args[0] as object).constructor.name).sort()).toEqual([
      'GetAccountSummaryCommand',
      'ListAccessKeysCommand',
      'ListAccountAliasesCommand',
      'ListMFADevicesCommand',
    ]);
  });
});
