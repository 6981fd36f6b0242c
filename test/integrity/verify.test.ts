import { describe, expect, it } from 'vitest';
import { snapshotEvidence } from '../../src/integrity/evidence.js';
import { NO_REQUEST_IDS, verifyClass, verifySnapshot, type SubmittedEvidence } from '../../src/integrity/verify.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { anotherAccount, example } from '../support/fixtures.js';

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
    expect(other.ids.vpcs.some((id) => snapshotEvidence(example('complete-lab')).ids.vpcs.includes(id))).toBe(false);
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
  const early = anotherAccount(3);
  early.collectedAt = '2026-10-15T09:00:00.000Z';
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
    expect(flag!.kind).toBe('shared-evidence');
    expect(flag!.evidence.at(-1)).toBe(NO_REQUEST_IDS);
    const [live] = verifyClass([{ student: 'eve', evidence: snapshotEvidence(copy), live: true }, { student: 'dan', evidence: snapshotEvidence(copy) }], { examples: [] }).get('eve')!;
    expect(live!.evidence).not.toContain(NO_REQUEST_IDS);
  });
});
