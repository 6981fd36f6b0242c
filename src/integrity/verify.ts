// Verification of snapshots someone else collected: pure, from each snapshot's evidence, the
// roster's accounts, the assignment window and the bundled examples to named flags.
import type { Evidence, EvidenceIdKind, IntegrityFlag } from './types.js';

export interface SubmittedEvidence {
  student: string;
  evidence: Evidence;
  /** The account the roster gives for the student. */
  expectedAccount?: string;
  /** Collected by the grader itself just now: the assignment window does not apply. */
  live?: boolean;
}

export interface VerifyOptions {
  /** ISO date-times bounding when a snapshot may have been collected. */
  collectedAfter?: string;
  collectedBefore?: string;
  /** The bundled example snapshots, by the file name a person knows them by. */
  examples: readonly { name: string; evidence: Evidence }[];
}

const ID_WORDS: Record<EvidenceIdKind | 'account' | 'requestIds', string> = {
  account: 'account',
  requestIds: 'AWS request id',
  vpcs: 'VPC',
  loadBalancers: 'load balancer',
  natGateways: 'NAT gateway',
  tasks: 'task',
};

/** The evidence's identifying values, each labelled as a person reads it (`VPC vpc-0a1b...`). */
function labelledIds(evidence: Evidence): string[] {
  return [
    `${ID_WORDS.account} ${evidence.account}`,
    ...(Object.keys(evidence.ids) as EvidenceIdKind[]).flatMap((kind) => evidence.ids[kind].map((id) => `${ID_WORDS[kind]} ${id}`)),
    ...(evidence.requestIds ?? []).map((id) => `${ID_WORDS.requestIds} ${id}`),
  ];
}

/** Said on every flag of a snapshot that carries no request ids: nothing in it shows AWS answered its collector. */
export const NO_REQUEST_IDS =
  'no AWS request ids in its provenance: collected by a grader that did not record them, or edited; nothing in it shows AWS answered its collection';

function withProvenanceNote(entry: SubmittedEvidence, flag: IntegrityFlag): IntegrityFlag {
  if (entry.live || (entry.evidence.requestIds ?? []).length > 0) return flag;
  return { ...flag, evidence: [...flag.evidence, NO_REQUEST_IDS] };
}

function windowFlag(entry: SubmittedEvidence, options: VerifyOptions): IntegrityFlag | undefined {
  if (entry.live) return undefined;
  const collected = Date.parse(entry.evidence.collectedAt);
  const before = options.collectedAfter !== undefined && collected < Date.parse(options.collectedAfter);
  const after = options.collectedBefore !== undefined && collected > Date.parse(options.collectedBefore);
  if (!before && !after) return undefined;
  const bound = before ? `--collected-after ${options.collectedAfter}` : `--collected-before ${options.collectedBefore}`;
  return {
    kind: 'outside-window',
    summary: `collected ${before ? 'before the assignment window opened' : 'after the assignment window closed'}`,
    evidence: [`collectedAt ${entry.evidence.collectedAt}`, `window: ${bound}`],
  };
}

function accountFlag(entry: SubmittedEvidence): IntegrityFlag | undefined {
  if (entry.expectedAccount === undefined || entry.expectedAccount === entry.evidence.account) return undefined;
  return {
    kind: 'roster-account',
    summary: `the snapshot is from account ${entry.evidence.account}, not the student's account ${entry.expectedAccount} in the roster`,
    evidence: [`snapshot account ${entry.evidence.account}`, `roster account ${entry.expectedAccount}`],
  };
}

function exampleFlag(entry: SubmittedEvidence, options: VerifyOptions): IntegrityFlag | undefined {
  const unchanged = options.examples.find((example) => example.evidence.sha256 === entry.evidence.sha256);
  if (unchanged) {
    return { kind: 'bundled-example', summary: `the bundled example ${unchanged.name}, unchanged`, evidence: [`sha256 ${entry.evidence.sha256}`] };
  }
  for (const example of options.examples) {
    const known = new Set(labelledIds(example.evidence));
    const shared = labelledIds(entry.evidence).filter((id) => known.has(id));
    if (shared.length > 0) {
      return { kind: 'bundled-example', summary: `derived from the bundled example ${example.name}: it holds the example's ids`, evidence: shared };
    }
  }
  return undefined;
}

function inconsistentFlag(entry: SubmittedEvidence): IntegrityFlag | undefined {
  if (entry.evidence.inconsistencies.length === 0) return undefined;
  return {
    kind: 'inconsistent',
    summary: `ids or ARNs contradict the snapshot's own account ${entry.evidence.account} or region ${entry.evidence.region}`,
    evidence: entry.evidence.inconsistencies,
  };
}

/** Per student, the others whose snapshots hold the same id; the examples' ids are public and left to their own flag. */
function sharedFlags(entries: readonly SubmittedEvidence[], options: VerifyOptions): Map<string, IntegrityFlag> {
  const exampleIds = new Set(options.examples.flatMap((example) => labelledIds(example.evidence)));
  const holders = new Map<string, string[]>();
  for (const entry of entries) {
    for (const id of new Set(labelledIds(entry.evidence))) {
      if (exampleIds.has(id)) continue;
      holders.set(id, [...(holders.get(id) ?? []), entry.student]);
    }
  }
  const flags = new Map<string, IntegrityFlag>();
  for (const entry of entries) {
    const evidence: string[] = [];
    const others = new Set<string>();
    for (const id of new Set(labelledIds(entry.evidence))) {
      const sharing = (holders.get(id) ?? []).filter((student) => student !== entry.student);
      if (sharing.length === 0) continue;
      sharing.forEach((student) => others.add(student));
      evidence.push(`${id}: also in ${sharing.join(', ')}${id.startsWith(ID_WORDS.requestIds) ? ' (AWS answers each request once: one snapshot was copied)' : ''}`);
    }
    if (others.size === 0) continue;
    const students = [...others];
    flags.set(entry.student, {
      kind: 'shared-evidence',
      summary: `the same evidence as ${students.join(', ')}: ids AWS makes random per account, or request ids it gives once, appear in both snapshots`,
      evidence,
      students,
    });
  }
  return flags;
}

/** Every student's flags (an empty list when nothing was found), in a fixed order. */
export function verifyClass(entries: readonly SubmittedEvidence[], options: VerifyOptions): Map<string, IntegrityFlag[]> {
  const shared = sharedFlags(entries, options);
  return new Map(
    entries.map((entry) => [
      entry.student,
      [accountFlag(entry), windowFlag(entry, options), exampleFlag(entry, options), shared.get(entry.student), inconsistentFlag(entry)]
        .filter((flag): flag is IntegrityFlag => flag !== undefined)
        .map((flag) => withProvenanceNote(entry, flag)),
    ]),
  );
}

/** One snapshot on its own (`grade --snapshot`, Gradescope): everything but the comparison with classmates. */
export function verifySnapshot(entry: SubmittedEvidence, options: VerifyOptions): IntegrityFlag[] {
  return verifyClass([entry], options).get(entry.student) ?? [];
}
