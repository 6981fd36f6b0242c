// Verification of snapshots someone else collected: pure, from each snapshot's evidence, the
// roster's accounts, the assignment window and the bundled examples to named flags.
import { EVIDENCE_ID_KINDS, type Evidence, type EvidenceIdKind, type IntegrityFlag } from './types.js';

export interface SubmittedEvidence {
  student: string;
  evidence: Evidence;
  /** The account the roster gives for the student. */
  expectedAccount?: string;
  /**
   * Read by the grader itself, through the student's role or profile: the assignment window
   * does not apply, and it outranks a snapshot handed in that holds the same ids.
   */
  live?: boolean;
}

export interface VerifyOptions {
  /** ISO date-times bounding when a snapshot may have been collected. */
  collectedAfter?: string;
  collectedBefore?: string;
  /** ISO date-time after which the lab's resources may not have been created or changed (`--deadline`), live or handed in. */
  deadline?: string;
  /** The bundled example snapshots, by the file name a person knows them by. */
  examples: readonly { name: string; evidence: Evidence }[];
}

const ID_WORDS: Record<EvidenceIdKind | 'account' | 'requestIds', string> = {
  account: 'account',
  requestIds: 'AWS request id',
  vpcs: 'VPC',
  subnets: 'subnet',
  routeTables: 'route table',
  securityGroups: 'security group',
  internetGateways: 'internet gateway',
  natGateways: 'NAT gateway',
  addresses: 'Elastic IP',
  networkInterfaces: 'network interface',
  loadBalancers: 'load balancer',
  targetGroups: 'target group',
  listeners: 'listener',
  repositories: 'ECR repository',
  buckets: 'S3 bucket',
  logGroups: 'log group',
  clusters: 'ECS cluster',
  services: 'ECS service',
  taskDefinitions: 'task definition',
  tasks: 'task',
};

type IdKind = EvidenceIdKind | 'account' | 'requestIds';

/** The kinds of identifying values, in the order a person reads them: the account, the resources, the request ids. */
const ID_KINDS: readonly IdKind[] = ['account', ...EVIDENCE_ID_KINDS, 'requestIds'];

/** The evidence's values of one kind. */
function idsOfKind(evidence: Evidence, kind: IdKind): readonly string[] {
  if (kind === 'account') return [evidence.account];
  if (kind === 'requestIds') return evidence.requestIds ?? [];
  return evidence.ids[kind] ?? [];
}

/** A value as a person reads it (`VPC vpc-0a1b...`), made only for what a flag shows. */
function labelled(kind: IdKind, id: string): string {
  return `${ID_WORDS[kind]} ${id}`;
}

/** Values by kind: the same text as two kinds (a task and a task definition) is two values. */
type IdsByKind = ReadonlyMap<IdKind, ReadonlySet<string>>;

function idsByKind(evidences: readonly Evidence[]): IdsByKind {
  return new Map(ID_KINDS.map((kind) => [kind, new Set(evidences.flatMap((evidence) => idsOfKind(evidence, kind)))]));
}

/** The evidence's values that `known` holds too, labelled, in reading order; with `firstOnly`, the first of them at most. */
function heldIn(evidence: Evidence, known: IdsByKind, firstOnly = false): string[] {
  const held: string[] = [];
  for (const kind of ID_KINDS) {
    const set = known.get(kind)!;
    if (set.size === 0) continue;
    for (const id of idsOfKind(evidence, kind)) {
      if (!set.has(id)) continue;
      held.push(labelled(kind, id));
      if (firstOnly) return held;
    }
  }
  return held;
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

function builtLateFlag(entry: SubmittedEvidence, options: VerifyOptions): IntegrityFlag | undefined {
  if (options.deadline === undefined) return undefined;
  const deadline = Date.parse(options.deadline);
  const late = (entry.evidence.labTimes ?? []).filter((time) => Date.parse(time.at) > deadline);
  if (late.length === 0) return undefined;
  return {
    kind: 'built-late',
    summary: `${late.length === 1 ? "one of the lab's resources was" : `${late.length} of the lab's resources were`} created or changed after the deadline ${options.deadline}, as AWS records it`,
    evidence: [...late.map((time) => `${time.resource}: ${time.event} ${time.at}`), `deadline: --deadline ${options.deadline}`],
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

/** Each bundled example's ids by kind, collected once per batch (not once per student and example). */
const exampleIds = new WeakMap<Evidence, IdsByKind>();

function idsOfExample(evidence: Evidence): IdsByKind {
  let ids = exampleIds.get(evidence);
  if (!ids) exampleIds.set(evidence, (ids = idsByKind([evidence])));
  return ids;
}

/** Each evidence found to hold none of a list of examples' ids, with that list. */
const clearOfExamples = new WeakMap<Evidence, VerifyOptions['examples']>();

function exampleFlag(entry: SubmittedEvidence, options: VerifyOptions): IntegrityFlag | undefined {
  // What the grader read live is the account itself, whatever ids it shares with a public example.
  if (entry.live) return undefined;
  const unchanged = options.examples.find((example) => example.evidence.sha256 === entry.evidence.sha256);
  if (unchanged) {
    return { kind: 'bundled-example', summary: `the bundled example ${unchanged.name}, unchanged`, evidence: [`sha256 ${entry.evidence.sha256}`] };
  }
  // Nearly every student holds none of the examples' ids: one look through them all (once per evidence
  // and list of examples: a batch verifies each student when they finish and with the class at the
  // end), then each example only for one who does.
  if (clearOfExamples.get(entry.evidence) === options.examples) return undefined;
  if (heldIn(entry.evidence, idsOfExamples(options.examples), true).length === 0) {
    clearOfExamples.set(entry.evidence, options.examples);
    return undefined;
  }
  for (const example of options.examples) {
    const shared = heldIn(entry.evidence, idsOfExample(example.evidence));
    if (shared.length > 0) {
      return { kind: 'bundled-example', summary: `derived from the bundled example ${example.name}: it holds the example's ids`, evidence: shared };
    }
  }
  return undefined;
}

function inconsistentFlag(entry: SubmittedEvidence): IntegrityFlag | undefined {
  // Only a file can be edited to contradict itself; an account may name another (a shared image, a cross-account role).
  if (entry.live || entry.evidence.inconsistencies.length === 0) return undefined;
  return {
    kind: 'inconsistent',
    summary: `ids or ARNs contradict the snapshot's own account ${entry.evidence.account} or region ${entry.evidence.region}`,
    evidence: entry.evidence.inconsistencies,
  };
}

const COPIED_NOTE = ' (AWS answers each request once: one snapshot was copied)';
/** Enough to show a person; a whole copied snapshot shares every id. */
const MAX_SHARED_LINES = 12;

function shown(lines: string[]): string[] {
  return lines.length > MAX_SHARED_LINES ? [...lines.slice(0, MAX_SHARED_LINES), `... and ${lines.length - MAX_SHARED_LINES} more ids shared`] : lines;
}

/** The bundled examples' ids, once per list of examples: a batch verifies each student against the same list. */
const exampleIdsOf = new WeakMap<VerifyOptions['examples'], IdsByKind>();

function idsOfExamples(examples: VerifyOptions['examples']): IdsByKind {
  let ids = exampleIdsOf.get(examples);
  if (!ids) exampleIdsOf.set(examples, (ids = idsByKind(examples.map((example) => example.evidence))));
  return ids;
}

/**
 * Per student, the flags for ids another student's evidence holds too; the examples' ids are
 * public and left to their own flag. Evidence the grader read live outranks evidence handed
 * in: a snapshot holding a live-read student's ids is `copied-from` them, and the live student
 * is not flagged for it. Where nothing shows who copied (two snapshots, or two live reads of
 * one account), both are `shared-evidence`.
 */
function sharedFlags(entries: readonly SubmittedEvidence[], options: VerifyOptions): Map<string, IntegrityFlag[]> {
  const exampleIds = idsOfExamples(options.examples);
  // Per kind, each value's holders, in the class's order.
  const holders = new Map(ID_KINDS.map((kind) => [kind, new Map<string, SubmittedEvidence[]>()]));
  // The students holding an id someone else holds too: nearly always none, and only they are looked at again.
  const sharing = new Set<SubmittedEvidence>();
  for (const entry of entries) {
    for (const kind of ID_KINDS) {
      const examples = exampleIds.get(kind)!;
      const ofKind = holders.get(kind)!;
      for (const id of idsOfKind(entry.evidence, kind)) {
        if (examples.has(id)) continue;
        const holding = ofKind.get(id);
        if (!holding) ofKind.set(id, [entry]);
        // The same id twice in one student's evidence holds it once.
        else if (holding.at(-1) !== entry) {
          holding.push(entry);
          for (const holder of holding) sharing.add(holder);
        }
      }
    }
  }
  const flags = new Map<string, IntegrityFlag[]>();
  for (const entry of entries) {
    if (!sharing.has(entry)) continue;
    const copied = { evidence: [] as string[], students: new Set<string>() };
    const shared = { evidence: [] as string[], students: new Set<string>() };
    for (const kind of ID_KINDS) {
      for (const value of new Set(idsOfKind(entry.evidence, kind))) {
        const holding = holders.get(kind)!.get(value);
        // Nearly every id is held by its student alone: nothing to say of it.
        if (holding === undefined || holding.length < 2) continue;
        const others = holding.filter((other) => other.student !== entry.student);
        const live = others.filter((other) => other.live).map((other) => other.student);
        const handedIn = others.filter((other) => !other.live).map((other) => other.student);
        const id = labelled(kind, value);
        const note = kind === 'requestIds' ? COPIED_NOTE : '';
        if (entry.live) {
          // A live read is the student's own account: only another live read of it is in question.
          if (live.length === 0) continue;
          live.forEach((student) => shared.students.add(student));
          shared.evidence.push(`${id}: also read live for ${live.join(', ')}`);
        } else if (live.length > 0) {
          live.forEach((student) => copied.students.add(student));
          copied.evidence.push(`${id}: read live from ${live.join(', ')}'s account by the grader${note}`);
        } else if (handedIn.length > 0) {
          handedIn.forEach((student) => shared.students.add(student));
          shared.evidence.push(`${id}: also in ${handedIn.join(', ')}${note}`);
        }
      }
    }
    const found: IntegrityFlag[] = [];
    if (copied.students.size > 0) {
      const students = [...copied.students];
      found.push({
        kind: 'copied-from',
        summary: `holds evidence the grader read live from ${students.join(', ')}'s account (ids AWS makes unique to an account, or request ids it gives once): what the grader read itself outranks a file handed in`,
        evidence: shown(copied.evidence),
        students,
      });
    }
    if (shared.students.size > 0) {
      const students = [...shared.students];
      found.push({
        kind: 'shared-evidence',
        summary: entry.live
          ? `the grader read the same account for ${students.join(', ')}: ids AWS makes unique to an account appear in both; nothing here shows whose account it is`
          : `the same evidence as ${students.join(', ')}: ids AWS makes unique to an account, or request ids it gives once, appear in both snapshots; nothing here shows who copied`,
        evidence: shown(shared.evidence),
        students,
      });
    }
    if (found.length > 0) flags.set(entry.student, found);
  }
  return flags;
}

/** Every student's flags (an empty list when nothing was found), in a fixed order. */
export function verifyClass(entries: readonly SubmittedEvidence[], options: VerifyOptions): Map<string, IntegrityFlag[]> {
  // One student shares evidence with no classmate: a batch verifies each student alone as they finish.
  const shared = entries.length > 1 ? sharedFlags(entries, options) : new Map<string, IntegrityFlag[]>();
  return new Map(
    entries.map((entry) => [
      entry.student,
      [accountFlag(entry), windowFlag(entry, options), exampleFlag(entry, options), ...(shared.get(entry.student) ?? []), builtLateFlag(entry, options), inconsistentFlag(entry)]
        .filter((flag): flag is IntegrityFlag => flag !== undefined)
        .map((flag) => withProvenanceNote(entry, flag)),
    ]),
  );
}

/** One snapshot on its own (`grade --snapshot`, Gradescope): everything but the comparison with classmates. */
export function verifySnapshot(entry: SubmittedEvidence, options: VerifyOptions): IntegrityFlag[] {
  return verifyClass([entry], options).get(entry.student) ?? [];
}
