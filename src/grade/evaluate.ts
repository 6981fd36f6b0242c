// Runs one check against the lab: an unreadable fact becomes `error` with its cause,
// never a `fail` (the student is not marked down for the grader's blindness).
import type { CheckDefinition, CheckStatus, UnreadFact, Verdict } from '../check/define.js';
import { causeHint, unreadCause } from '../snapshot/error-class.js';
import { FactUnavailable } from '../resolve/facts.js';
import type { LabParams } from '../rubric/params.js';
import { labView, type Lab } from '../resolve/lab.js';
import type { FactKey } from '../snapshot/types.js';

export interface Evaluation {
  status: CheckStatus;
  /** Share of the check's points, 0..1. */
  fraction: number;
  evidence: string[];
  hint?: string;
  notes?: string[];
  cause?: string;
  /**
   * The facts the verdict rests on: every fact the check read, itself or through the
   * resources it read (the facts each was chosen from), readable or not. Not reported.
   */
  restsOn?: ReadonlySet<FactKey>;
}

function unavailable(error: FactUnavailable): Evaluation {
  return {
    status: 'error',
    fraction: 0,
    evidence: [],
    cause: unreadCause(error.fact, error.call, error.code, error.awsMessage, error.finding),
    hint: error.hint ?? causeHint(error.call, error.code, error.awsMessage),
  };
}

/** The check's hint followed by the rubric's words for the step (the lab's quote); checks know no step. */
export function withRubricHint(evaluation: Evaluation, rubricHint: string | undefined): Evaluation {
  if (rubricHint === undefined || evaluation.hint === undefined || evaluation.status === 'error') return evaluation;
  return { ...evaluation, hint: `${evaluation.hint} ${rubricHint}` };
}

export function evaluateCheck(check: CheckDefinition, lab: Lab, params: LabParams): Evaluation {
  // The check reads the lab through a view that records what it read: the facts its verdict rests on.
  const restsOn = new Set<FactKey>();
  let verdict: Verdict;
  try {
    verdict = check.run(labView(lab, (key) => restsOn.add(key)), params);
  } catch (error) {
    if (error instanceof FactUnavailable) return { ...unavailable(error), restsOn };
    throw error;
  }
  if (verdict.unread) return { ...partlyUnreadEvaluation(verdict, verdict.unread), restsOn };
  return judged(verdict, restsOn);
}

/**
 * The verdict as an evaluation. Its fields one by one: a spread of verdicts of every shape the
 * checks build is V8's slow, generic copy, once per check of every student.
 */
function judged(verdict: Verdict, restsOn: ReadonlySet<FactKey>): Evaluation {
  const evaluation: Evaluation = { status: verdict.status, fraction: verdict.fraction, evidence: verdict.evidence };
  if (verdict.hint !== undefined) evaluation.hint = verdict.hint;
  if (verdict.notes !== undefined) evaluation.notes = verdict.notes;
  evaluation.restsOn = restsOn;
  return evaluation;
}

/** A verdict that judged only part of the check: `error` for the rest, the judged share kept. */
function partlyUnreadEvaluation(verdict: Verdict, unread: UnreadFact): Evaluation {
  return {
    status: 'error',
    fraction: verdict.fraction,
    evidence: verdict.evidence,
    ...(verdict.notes?.length ? { notes: verdict.notes } : {}),
    cause: `${unreadCause(unread.fact, unread.call, unread.code, unread.message, unread.finding)}; the ${verdict.fraction > 0 ? 'points not yet earned are' : 'points are'} ungraded, not withheld`,
    hint: causeHint(unread.call, unread.code, unread.message),
  };
}
