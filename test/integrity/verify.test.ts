import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checksById } from '../../checks/index.js';
import { grade } from '../../src/grade/engine.js';
import { withIntegrity } from '../../src/integrity/apply.js';
import { loadRubric } from '../../src/rubric/load.js';
import { snapshotEvidence } from '../../src/integrity/evidence.js';
import { NO_REQUEST_IDS, verifyClass, verifySnapshot, type SubmittedEvidence } from '../../src/integrity/verify.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { anotherAccount, collectedOn, example } from '../support/fixtures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLES = [
  { name: 'examples/complete-lab.snapshot.json', evidence: snapshotEvidence(example('complete-lab')) },
  { name: 'examples/mistakes.snapshot.json', evidence: snapshotEvidence(example('mistakes')) },
];
const WINDOW = { collectedAfter: '2026-11-01T00:00:00.000Z', collectedBefore: '2026-12-01T00:00:00.000Z' };

function entry(student: string, snapshot: Snapshot, expectedAccount?: string): SubmittedEvidence {
  return { student, evidence: snapshotEvidence(snapshot), ...(expectedAccount === undefined ? {} : { expectedAccount }) };
}

describe('snapshot evidence', () => {
  it('keeps the account, the random ids and a hash that an unchanged copy shares', () => {
    const evidence = snapshotEvidence(example('complete-lab'));
    expect(evidence.account).toBe('123456789012');
    expect(evidence.ids.vpcs).toEqual(['vpc-0a1b2c3d4e5f60718', 'vpc-0f9e8d7c6b5a40312']);
    expect(evidence.ids.natGateways).toEqual(['nat-0e1f2a3b4c5d6e7f8']);
    expect(evidence.ids.loadBalancers).toHaveLength(1);
    expect(evidence.ids.tasks).toHaveLength(1);
    expect(evidence.inconsistencies).toEqual([]);
    expect(snapshotEvidence(example('complete-lab')).sha256).toBe(evidence.sha256);
    expect(snapshotEvidence(anotherAccount(1)).sha256).not.toBe(evidence.sha256);
  });

  it('another account has none of the example ids', () => {
    const other = snapshotEvidence(anotherAccount(1));
    expect(other.account).not.toBe('123456789012');
    expect(other.ids.vpcs!.some((id) => snapshotEvidence(example('complete-lab')).ids.vpcs!.includes(id))).toBe(false);
    expect(other.inconsistencies).toEqual([]);
  });
});

describe('verification of a class', () => {
  // Three hand in the bundled example (one edited), two share one real snapshot, one is from
  // another account than the roster says, one was collected before the window; three are honest.
  const edited = example('complete-lab');
  edited.collectedAt = '2026-11-20T18:00:00.000Z';
  const shared = anotherAccount(1);
  const wrongAccount = anotherAccount(2);
  wrongAccount.provenance = { requestIds: [{ call: 'sts:GetCallerIdentity', requestId: '5f0c2a8e-7d41-4b3e-9a6f-1c2d3e4f5a6b' }] };
  const early = collectedOn(anotherAccount(3), '2026-10-15T09:00:00.000Z');
  const entries = [
    entry('ex-1', example('complete-lab')),
    entry('ex-2', example('mistakes')),
    entry('ex-3', edited),
    entry('copy-a', shared),
    entry('copy-b', structuredClone(shared)),
    entry('wrong-account', wrongAccount, '999988887777'),
    entry('early', early),
    entry('honest-1', anotherAccount(4), anotherAccount(4).account),
    entry('honest-2', anotherAccount(5)),
    entry('honest-3', anotherAccount(6)),
  ];
  const flags = verifyClass(entries, { ...WINDOW, examples: EXAMPLES });
  const kinds = Object.fromEntries([...flags].map(([student, list]) => [student, list.map((flag) => flag.kind)]));

  it('flags each exactly once, as what it is, and nobody else', () => {
    expect(kinds).toEqual({
      'ex-1': ['bundled-example'],
      'ex-2': ['bundled-example'],
      'ex-3': ['bundled-example'],
      'copy-a': ['shared-evidence'],
      'copy-b': ['shared-evidence'],
      'wrong-account': ['roster-account'],
      early: ['outside-window'],
      'honest-1': [],
      'honest-2': [],
      'honest-3': [],
    });
  });

  it('gives the evidence: unchanged or derived, which ids, which students, which times', () => {
    const flagOf = (student: string) => flags.get(student)![0]!;
    expect(flagOf('ex-1').summary).toBe('the bundled example examples/complete-lab.snapshot.json, unchanged');
    expect(flagOf('ex-2').summary).toBe('the bundled example examples/mistakes.snapshot.json, unchanged');
    expect(flagOf('ex-3').summary).toBe("derived from the bundled example examples/complete-lab.snapshot.json: it holds the example's ids");
    expect(flagOf('ex-3').evidence).toContain('account 123456789012');
    expect(flagOf('ex-3').evidence).toContain('VPC vpc-0a1b2c3d4e5f60718');
    expect(flagOf('copy-a').students).toEqual(['copy-b']);
    expect(flagOf('copy-b').students).toEqual(['copy-a']);
    expect(flagOf('copy-a').evidence).toContain(`account ${shared.account}: also in copy-b`);
    expect(flagOf('copy-a').evidence).toContain(`NAT gateway ${shared.facts.natGateways!.ok && shared.facts.natGateways.data[0]!.NatGatewayId}: also in copy-b`);
    expect(flagOf('wrong-account').evidence).toEqual([`snapshot account ${wrongAccount.account}`, 'roster account 999988887777']);
    // The early snapshot carries no request ids, and its flag says so; the wrong account's does.
    expect(flagOf('early').evidence).toEqual(['collectedAt 2026-10-15T09:00:00.000Z', 'window: --collected-after 2026-11-01T00:00:00.000Z', NO_REQUEST_IDS]);
  });

  it('names a snapshot collected after the window closed', () => {
    const late = anotherAccount(8);
    late.collectedAt = '2026-12-03T00:00:00.000Z';
    expect(verifySnapshot(entry('late', late), { ...WINDOW, examples: EXAMPLES })[0]).toMatchObject({
      kind: 'outside-window',
      summary: 'collected after the assignment window closed',
    });
  });

  it('does not hold the window against a live collection', () => {
    expect(verifySnapshot({ ...entry('live', early), live: true }, { ...WINDOW, examples: EXAMPLES })).toEqual([]);
  });

  it('flags ids and ARNs from another account or region than the snapshot says', () => {
    const forged = anotherAccount(9);
    forged.account = '111111111111';
    const regionMoved = anotherAccount(10);
    regionMoved.region = 'us-east-1';
    const forgedFlags = verifySnapshot(entry('forged', forged), { examples: EXAMPLES });
    expect(forgedFlags.map((flag) => flag.kind)).toEqual(['inconsistent']);
    expect(forgedFlags[0]!.evidence.some((line) => / names account \d{12}, not the snapshot's 111111111111$/.test(line))).toBe(true);
    const movedFlags = verifySnapshot(entry('moved', regionMoved), { examples: EXAMPLES });
    expect(movedFlags[0]!.evidence.some((line) => line.includes('is in eu-west-1, not the snapshot\'s region us-east-1'))).toBe(true);
  });
});

describe('ids and ARNs that contradict the snapshot, wherever a string holds them', () => {
  // The evidence first looks for them in the snapshot's compact JSON, then walks its values only
  // when that finds one: an ARN behind an escaped line break, quote or tab is still found.
  const tagged = (value: string, owner?: string): Snapshot => {
    const snapshot = anotherAccount(21);
    const vpc = snapshot.facts.vpcs!.ok ? snapshot.facts.vpcs!.data[0]! : undefined;
    vpc!.Tags = [...(vpc!.Tags ?? []), { Key: 'note', Value: value }];
    if (owner !== undefined) vpc!.OwnerId = owner;
    return snapshot;
  };
  const account = anotherAccount(21).account;

  it.each([
    ['after a line break', `arn:aws:s3:::shared\narn:aws:iam::999999999999:role/x`, 'arn:aws:iam::999999999999:role/x names account 999999999999'],
    ['after a quote', `see "arn:aws:iam::999999999999:role/y"`, 'arn:aws:iam::999999999999:role/y names account 999999999999'],
    ['in another region, after a tab', `x\tarn:aws:ecs:us-east-2:${account}:cluster/z`, `arn:aws:ecs:us-east-2:${account}:cluster/z is in us-east-2`],
  ])('finds an ARN %s', (_where, value, expected) => {
    expect(snapshotEvidence(tagged(value)).inconsistencies.some((line) => line.startsWith(expected))).toBe(true);
  });

  it('finds an owner field naming another account, and nothing in a snapshot without one', () => {
    expect(snapshotEvidence(tagged('plain', '999999999999')).inconsistencies).toEqual([`OwnerId 999999999999 is not the snapshot's account ${account}`]);
    expect(snapshotEvidence(tagged('plain')).inconsistencies).toEqual([]);
  });

  it('reads an ARN as the walk over values does: one that runs on into another without a break is one ARN', () => {
    expect(snapshotEvidence(tagged(`arn:aws:s3:::a,arn:aws:ecs:us-east-2:${account}:cluster/z`)).inconsistencies).toEqual([]);
  });
});

describe('provenance request ids', () => {
  const withIds = (snapshot: Snapshot, ...ids: string[]): Snapshot => ({
    ...snapshot,
    provenance: { rubricSha256: 'a'.repeat(64), requestIds: ids.map((requestId, index) => ({ call: index === 0 ? 'sts:GetCallerIdentity' : 'ec2:DescribeVpcs', requestId })) },
  });

  it('are part of the evidence, sorted; a snapshot without provenance has none', () => {
    expect(snapshotEvidence(withIds(anotherAccount(1), 'b-2', 'a-1')).requestIds).toEqual(['a-1', 'b-2']);
    expect(snapshotEvidence(anotherAccount(1)).requestIds).toEqual([]);
  });

  it('the same request id in two snapshots of different accounts flags both, each naming the other', () => {
    // Everything else differs (accounts, VPCs, NAT gateways, tasks): only the request id was copied.
    const flags = verifyClass(
      [
        { student: 'amy', evidence: snapshotEvidence(withIds(anotherAccount(7), '7c1d2e3f-0000-4000-8000-00000000aaaa', 'EC2-1111')) },
        { student: 'ben', evidence: snapshotEvidence(withIds(anotherAccount(8), '7c1d2e3f-0000-4000-8000-00000000aaaa', 'EC2-2222')) },
        { student: 'cat', evidence: snapshotEvidence(withIds(anotherAccount(9), 'b0b0b0b0-0000-4000-8000-00000000bbbb')) },
      ],
      { examples: [] },
    );
    const amy = flags.get('amy')!;
    expect(amy.map((flag) => flag.kind)).toEqual(['shared-evidence']);
    expect(amy[0]!.students).toEqual(['ben']);
    expect(amy[0]!.evidence).toEqual(['AWS request id 7c1d2e3f-0000-4000-8000-00000000aaaa: also in ben (AWS answers each request once: one snapshot was copied)']);
    expect(flags.get('ben')![0]!.students).toEqual(['amy']);
    expect(flags.get('cat')).toEqual([]);
  });

  it('a flagged snapshot without request ids says so in its evidence; a live collection is not held to it', () => {
    const copy = anotherAccount(1);
    const [flag] = verifyClass(
      [
        { student: 'dan', evidence: snapshotEvidence(copy) },
        { student: 'eve', evidence: snapshotEvidence(structuredClone(copy)), live: true },
      ],
      { examples: [] },
    ).get('dan')!;
    expect(flag!.kind).toBe('copied-from');
    expect(flag!.evidence.at(-1)).toBe(NO_REQUEST_IDS);
    const [live] = verifyClass(
      [
        { student: 'eve', evidence: snapshotEvidence(copy), live: true },
        { student: 'fay', evidence: snapshotEvidence(copy), live: true },
      ],
      { examples: [] },
    ).get('eve')!;
    expect(live!.kind).toBe('shared-evidence');
    expect(live!.evidence).not.toContain(NO_REQUEST_IDS);
  });
});

describe('evidence ranks: what the grader read itself outranks what is handed in', () => {
  // eve hands in a copy of bob's snapshot with alice's account id, while alice is graded live.
  const alice = anotherAccount(11);
  const bobsSnapshot = anotherAccount(12);
  const forged = JSON.parse(JSON.stringify(bobsSnapshot).replaceAll(bobsSnapshot.account, alice.account)) as Snapshot;

  it('flags only the snapshot, copied-from the live student, and never the live student', () => {
    const flags = verifyClass([{ student: 'alice', evidence: snapshotEvidence(alice), live: true }, entry('eve', forged)], { examples: [] });
    expect(flags.get('alice')).toEqual([]);
    const eve = flags.get('eve')!;
    expect(eve.map((flag) => flag.kind)).toEqual(['copied-from']);
    expect(eve[0]!.students).toEqual(['alice']);
    expect(eve[0]!.evidence[0]).toBe(`account ${alice.account}: read live from alice's account by the grader`);
  });

  it('a snapshot that copies a live student and shares more with another snapshot is flagged for both, each by what shows it', () => {
    const flags = verifyClass([{ student: 'alice', evidence: snapshotEvidence(alice), live: true }, entry('eve', forged), entry('bob', bobsSnapshot)], { examples: [] });
    expect(flags.get('alice')).toEqual([]);
    expect(flags.get('eve')!.map((flag) => [flag.kind, flag.students])).toEqual([
      ['copied-from', ['alice']],
      ['shared-evidence', ['bob']],
    ]);
    // bob's evidence is in a copy eve handed in: nothing shows who copied whom.
    expect(flags.get('bob')!.map((flag) => [flag.kind, flag.students])).toEqual([['shared-evidence', ['eve']]]);
  });

  it('two handed-in snapshots that share evidence are both shared-evidence, each naming the other', () => {
    const copy = anotherAccount(13);
    const flags = verifyClass([entry('amy', copy), entry('ben', structuredClone(copy))], { examples: [] });
    expect(flags.get('amy')!.map((flag) => [flag.kind, flag.students])).toEqual([['shared-evidence', ['ben']]]);
    expect(flags.get('ben')!.map((flag) => [flag.kind, flag.students])).toEqual([['shared-evidence', ['amy']]]);
  });

  it("a live read is the account itself: never a bundled example or inconsistent, whatever ids it holds", () => {
    const read = example('complete-lab');
    read.facts.vpcs = { ok: true, data: [{ VpcId: 'vpc-0a1b2c3d4e5f60718', OwnerId: '999988887777' }] } as never;
    expect(verifySnapshot({ student: 'sam', evidence: snapshotEvidence(read), live: true }, { examples: EXAMPLES })).toEqual([]);
    expect(verifySnapshot({ student: 'sam', evidence: snapshotEvidence(read) }, { examples: EXAMPLES }).map((flag) => flag.kind)).toEqual(['bundled-example', 'inconsistent']);
  });

  it('two live reads of one account are both shared-evidence: nothing shows whose account it is', () => {
    const account = anotherAccount(14);
    const flags = verifyClass(
      [
        { student: 'cat', evidence: snapshotEvidence(account), live: true },
        { student: 'dov', evidence: snapshotEvidence(account), live: true },
      ],
      { examples: [] },
    );
    expect(flags.get('cat')!.map((flag) => [flag.kind, flag.students])).toEqual([['shared-evidence', ['dov']]]);
    expect(flags.get('cat')![0]!.evidence[0]).toBe(`account ${account.account}: also read live for dov`);
  });
});

describe('strict: 0 only for a flag that convicts one student', () => {
  const graded = () => grade({ rubric: loadRubric(join(root, 'rubric.yaml'), 'rubric.yaml'), rubricFile: 'rubric.yaml', snapshot: anotherAccount(21), profile: 'own-account', paramOverrides: {}, submission: null, checks: checksById });
  const shared = { kind: 'shared-evidence' as const, summary: 'the same evidence as ben', evidence: ['account 1: also in ben'], students: ['ben'] };
  const copied = { kind: 'copied-from' as const, summary: 'holds evidence read live from alice', evidence: ['account 1: read live from alice'], students: ['alice'] };

  it('holds shared evidence alone for review: the totals uncounted (0), the checks\' points kept to show', () => {
    const card = graded();
    const held = withIntegrity(card, [shared], 'strict');
    expect(held.total).toEqual({ earned: 0, max: card.total.max });
    expect(held.integrity).toEqual({ mode: 'strict', flags: [shared], withheld: { total: card.total, bonusPoints: card.bonusPoints }, heldForReview: true });
    // The steps still show what the checks gave.
    expect(held.sections).toEqual(card.sections);
  });

  it.each(['bundled-example', 'roster-account', 'outside-window', 'inconsistent', 'copied-from', 'built-late'] as const)('gives 0 for %s, with or without shared evidence beside it', (kind) => {
    const card = graded();
    const flag = { ...copied, kind };
    for (const flags of [[flag], [flag, shared]]) {
      const zeroed = withIntegrity(card, flags, 'strict');
      expect(zeroed.total.earned).toBe(0);
      expect(zeroed.integrity?.withheld?.total).toEqual(card.total);
      expect(zeroed.integrity?.heldForReview).toBeUndefined();
    }
  });

  it('warn keeps the points whatever the flag', () => {
    const card = graded();
    expect(withIntegrity(card, [copied, shared], 'warn')).toMatchObject({ total: card.total, integrity: { mode: 'warn', flags: [copied, shared] } });
  });
});

describe('shared evidence compares every resource id a snapshot holds', () => {
  it('keeps subnets, route tables, security groups, gateways, addresses, interfaces, target groups, listeners, repositories, buckets, log groups and task definitions', () => {
    const ids = snapshotEvidence(anotherAccount(41)).ids;
    for (const kind of ['subnets', 'routeTables', 'securityGroups', 'internetGateways', 'addresses', 'networkInterfaces', 'targetGroups', 'listeners', 'repositories', 'buckets', 'logGroups', 'taskDefinitions'] as const) {
      expect(ids[kind]?.length, kind).toBeGreaterThan(0);
    }
  });

  it('flags a copy whose VPC, load balancer, NAT gateway, task ids and account were rewritten but whose subnets were kept', () => {
    const original = anotherAccount(42);
    const rewritten = new Set([
      ...(snapshotEvidence(original).ids.vpcs ?? []),
      ...(snapshotEvidence(original).ids.natGateways ?? []),
    ]);
    let text = JSON.stringify(original).replaceAll(original.account, '210999999999');
    for (const id of rewritten) text = text.replaceAll(id, `${id.slice(0, -4)}beef`);
    // Load balancer and task ARNs end in random hex: rewrite those too.
    text = text.replace(/(loadbalancer\/app\/[\w-]+\/|task\/[\w-]+\/)([0-9a-f]{8})/g, '$1deadbeef');
    const copy = JSON.parse(text) as Snapshot;
    const copyIds = snapshotEvidence(copy).ids;
    expect(copyIds.vpcs!.some((id) => snapshotEvidence(original).ids.vpcs!.includes(id))).toBe(false);
    expect(copyIds.loadBalancers!.some((id) => snapshotEvidence(original).ids.loadBalancers!.includes(id))).toBe(false);

    const flags = verifyClass([entry('orig', original), entry('copy', copy)], { examples: EXAMPLES });
    const [flag] = flags.get('copy')!;
    expect(flag!.kind).toBe('shared-evidence');
    expect(flag!.students).toEqual(['orig']);
    expect(flag!.evidence.some((line) => /^subnet subnet-[0-9a-f]+: also in orig$/.test(line))).toBe(true);
    expect(flag!.evidence.some((line) => /^(VPC|NAT gateway|load balancer|task) /.test(line))).toBe(false);
  });
});

describe('verifying one evidence again', () => {
  // A batch verifies each student when they finish and again with the whole class: what the first
  // look found must not decide the second against another list of examples or another class.
  it('answers each list of examples for itself', () => {
    const derived = example('complete-lab');
    derived.collectedAt = '2026-11-21T10:00:00.000Z';
    const student = entry('derived', derived);
    expect(verifySnapshot(student, { examples: [] })).toEqual([]);
    expect(verifySnapshot(student, { examples: EXAMPLES }).map((flag) => flag.kind)).toEqual(['bundled-example']);
    expect(verifySnapshot(student, { examples: [{ name: 'another', evidence: snapshotEvidence(anotherAccount(46)) }] })).toEqual([]);
    expect(verifyClass([student, entry('honest', anotherAccount(43))], { examples: EXAMPLES }).get('derived')!.map((flag) => flag.kind)).toEqual(['bundled-example']);
  });

  it('a student whose evidence names an id twice holds it once: one line per id, each classmate once', () => {
    const original = anotherAccount(44);
    const twice = snapshotEvidence(original);
    twice.ids.subnets = [...twice.ids.subnets!, twice.ids.subnets![0]!];
    const flags = verifyClass(
      [{ student: 'twice', evidence: twice }, entry('once', structuredClone(original)), entry('honest', anotherAccount(45))],
      { examples: EXAMPLES },
    );
    const [flag] = flags.get('twice')!;
    expect(flag!.students).toEqual(['once']);
    const line = `subnet ${twice.ids.subnets[0]}: also in once`;
    expect(flag!.evidence.filter((shown) => shown === line)).toHaveLength(1);
    expect(flags.get('once')![0]!.evidence.filter((shown) => shown === `subnet ${twice.ids.subnets![0]}: also in twice`)).toHaveLength(1);
    expect(flags.get('honest')).toEqual([]);
  });
});

describe('values of different kinds', () => {
  it('are different values, even when their labels would read alike: a task named "definition X" is not the task definition X', () => {
    const base = snapshotEvidence(anotherAccount(47));
    const definition = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/app:1';
    const one = { ...base, account: '210000000001', requestIds: [], ids: { taskDefinitions: [definition] } };
    const other = { ...base, account: '210000000002', requestIds: [], ids: { tasks: [`definition ${definition}`] } };
    const flags = verifyClass([{ student: 'one', evidence: one }, { student: 'other', evidence: other }], { examples: EXAMPLES });
    expect(flags.get('one')).toEqual([]);
    expect(flags.get('other')).toEqual([]);
    const same = verifyClass([{ student: 'one', evidence: one }, { student: 'again', evidence: { ...one, account: '210000000003' } }], { examples: EXAMPLES });
    expect(same.get('again')![0]!.evidence).toEqual([`task definition ${definition}: also in one`, NO_REQUEST_IDS]);
  });
});
