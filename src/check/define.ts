// The shape of a check: one exported definition per file under checks/<service>/.
import { FactUnavailable } from '../resolve/facts.js';
import { briefAnswer } from '../snapshot/error-class.js';
import type { LabParams } from '../rubric/params.js';
import type { Lab } from '../resolve/lab.js';

/** What a check may conclude. `error` and `skip` are the engine's to give, not a check's. */
export type VerdictStatus = 'pass' | 'partial' | 'fail' | 'manual';
export type CheckStatus = VerdictStatus | 'error' | 'skip';

export interface Verdict {
  status: VerdictStatus;
  /** Share of the check's points earned, 0..1: 1 for pass, 0 for fail and manual. */
  fraction: number;
  /** What was observed, one fact a line, naming resources. */
  evidence: string[];
  /** When not passing: what the lab asks for and which resource to fix. */
  hint?: string;
  /** Observations that take no points (e.g. root access keys present). */
  notes?: string[];
  /**
   * The fact the rest of the points depended on and could not be read: the engine reports
   * the check `error` with this cause, keeping `fraction` for the share that was judged.
   */
  unread?: UnreadFact;
}

/** A fact a check could judge without, but not fully: which one, and what its call answered. */
export interface UnreadFact {
  fact: string;
  call: string;
  code: string;
  message: string;
  /** The lab resource it was read to find, in words, when the resolver read it. */
  finding?: string;
}

export interface CheckDefinition {
  /** `<service>.<what>`, e.g. `vpc.cidr`; the file is checks/<service>/<what>.ts. */
  id: string;
  /**
   * What the check wants, in the lab's words. Where it names a value the params set (a port, a
   * path), write it from them (`(params) => \`HTTP on port ${params.network.appPort}\``), so a
   * grade under `--param network.appPort=8080` says 8080.
   */
  title: string | ((params: LabParams) => string);
  /**
   * The verdict, from the resolved lab: `lab.vpc`, `lab.read('routeTables')`... A fact or
   * resource that could not be read throws, and the engine reports the check `error` with
   * its cause; to judge without it, read it through `attempt`.
   */
  run(lab: Lab, params: LabParams): Verdict;
}

/** Check id → check: the registry a rubric's check ids are looked up in (checks/index.ts for the lab). */
export type CheckRegistry = ReadonlyMap<string, CheckDefinition>;

export function defineCheck(definition: CheckDefinition): CheckDefinition {
  return definition;
}

/** The check's title with the params in force. */
export function checkTitle(check: Pick<CheckDefinition, 'title'>, params: LabParams): string {
  return typeof check.title === 'string' ? check.title : check.title(params);
}

// The verdicts are built field by field: a conditional spread is V8's slow, generic copy, and
// every check of every student makes one.

export function pass(evidence: string[], notes?: string[]): Verdict {
  const verdict: Verdict = { status: 'pass', fraction: 1, evidence };
  if (notes?.length) verdict.notes = notes;
  return verdict;
}

export function fail(hint: string, evidence: string[], notes?: string[]): Verdict {
  const verdict: Verdict = { status: 'fail', fraction: 0, evidence, hint };
  if (notes?.length) verdict.notes = notes;
  return verdict;
}

/** Some of the check's parts hold: `fraction` of its points, with a hint for the rest. */
export function partial(fraction: number, hint: string, evidence: string[], notes?: string[]): Verdict {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`partial fraction must be in (0, 1), got ${fraction}`);
  const verdict: Verdict = { status: 'partial', fraction, evidence, hint };
  if (notes?.length) verdict.notes = notes;
  return verdict;
}

/**
 * Part of the check was judged (`fraction` earned) and the rest rests on a fact that could not
 * be read: the engine reports `error` for the unread share instead of withholding it as a miss.
 */
export function partlyUnread(fraction: number, unread: UnreadFact, evidence: string[], notes?: string[]): Verdict {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`partlyUnread fraction must be in [0, 1), got ${fraction}`);
  return { status: 'partial', fraction, evidence, unread, ...(notes?.length ? { notes } : {}) };
}

/**
 * Evidence a check can judge without: its value, or which fact could not be read and why.
 * A check that goes on without it must not fail the student for it: pass on other evidence,
 * or `partlyUnread` for the share it decided.
 */
export function attempt<T>(read: () => T): { ok: true; value: T } | { ok: false; unread: UnreadFact } {
  try {
    return { ok: true, value: read() };
  } catch (error) {
    if (!(error instanceof FactUnavailable)) throw error;
    const { fact, call, code, awsMessage: message, finding } = error;
    return { ok: false, unread: { fact, call, code, message, ...(finding === undefined ? {} : { finding }) } };
  }
}

/** What the call of an unread fact answered, for evidence: `cloudtrail:LookupEvents answered AccessDenied`. */
export function answered(unread: UnreadFact): string {
  return `${unread.call} answered ${briefAnswer(unread.code, unread.message)}`;
}

/** Only a person can judge: no points until they do; the evidence is listed for them. */
export function manual(reason: string, evidence: string[]): Verdict {
  return { status: 'manual', fraction: 0, evidence, hint: reason };
}
