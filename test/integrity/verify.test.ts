import { describe, expect, it } from 'vitest';
import { snapshotEvidence } from '../../src/integrity/evidence.js';
import { verifyClass, verifySnapshot, type SubmittedEvidence } from '../../src/integrity/verify.js';
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
    expect(flagOf('early').evidence).toEqual(['collectedAt 2026-10-15T09:00:00.000Z', 'window: --collected-after 2026-11-01T00:00:00.000Z']);
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
