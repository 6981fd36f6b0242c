// What every reporter says about a step, derived only from the frozen Scorecard so the
// formats never disagree with each other.
import type { Points, Scorecard, StepResult, StepStatus } from '../grade/scorecard.js';
import type { ScorecardSummary, StepSummary } from '../grade/summary.js';
import { STEP_STATUSES } from '../grade/status.js';
import { flagNames } from '../integrity/apply.js';

/** `include`: the autograder's total holds every point; `exclude`: the shares a person judges are left to a manual question. */
export type ManualPoints = 'include' | 'exclude';

export interface ReportOptions {
  /** Wall-clock seconds the grading took; only the Gradescope report prints it. */
  executionTimeSeconds?: number;
  /** ANSI colour in the console report; the CLI decides from the TTY and --no-color. */
  color?: boolean;
  /** Whether the autograder formats (Gradescope) count the points a person still has to judge; `include` when absent. */
  manualPoints?: ManualPoints;
  /** Columns of the console report (default 100); the CLI passes the terminal's. */
  width?: number;
  /** Console only: list just the steps that lost points or need a person (watch's compact view). */
  missesOnly?: boolean;
  /** The AWS credentials profile a live grade read the account with (`--profile`), for the header. */
  awsProfile?: string;
}

/** One output format: a pure function of the scorecard, and the file it is written to. */
export interface Reporter {
  /** File name under --out; absent when the report goes to stdout. */
  file?: string;
  render(scorecard: Scorecard, options: ReportOptions): string;
}

/** `AWS profile student · lab profile own-account`: the AWS profile only when a live grade named one. */
export function profilesText(scorecard: Scorecard, options: Pick<ReportOptions, 'awsProfile'> = {}): string {
  const lab = `lab profile ${scorecard.profile}`;
  return options.awsProfile === undefined ? lab : `AWS profile ${options.awsProfile} · ${lab}`;
}

/**
 * When the graded region holds none of the lab and the search found it in another: what every
 * report opens with (and the console also closes with), so no one reads the checklist as the lab's.
 */
export function labElsewhereNotice(scorecard: Scorecard): { headline: string; detail: string; command: string } | undefined {
  const elsewhere = scorecard.labElsewhere;
  if (elsewhere === undefined) return undefined;
  return {
    headline: `Region ${elsewhere.graded} holds none of the lab: it appears to be in ${elsewhere.region}.`,
    detail: `The steps below are ${elsewhere.graded}'s; ${elsewhere.region} holds non-default VPC ${elsewhere.vpcIds.join(', ')}.`,
    command: `Grade it with --region ${elsewhere.region}.`,
  };
}

/** A group of steps as reporters show it: the lab's sections, then the bonus. */
export interface StepGroup {
  id: string;
  title: string;
  points: Points;
  steps: StepResult[];
}

export const BONUS_TITLE = 'Bonus';

/** The sections in rubric order, then the bonus steps as one more group when there are any. */
export function stepGroups(scorecard: Scorecard): StepGroup[] {
  const groups: StepGroup[] = scorecard.sections.map(({ id, title, points, steps }) => ({ id, title, points, steps }));
  if (scorecard.bonus.length > 0) {
    groups.push({ id: 'bonus', title: BONUS_TITLE, points: scorecard.bonusPoints, steps: scorecard.bonus });
  }
  return groups;
}

/** Points as the rubric writes them: exact hundredths, always two decimals. */
export function formatPoints(value: number): string {
  return value.toFixed(2);
}

export function formatScore(points: Points): string {
  return `${formatPoints(points.earned)}/${formatPoints(points.max)}`;
}

/** A step that did not earn everything it could, or that a person still has to look at. */
export function isMiss(step: StepResult): boolean {
  return step.status !== 'pass' && step.status !== 'skip';
}

/** Distinct, in order: a step whose checks share a hint shows it once. */
function distinct(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== undefined && value !== ''))];
}

/** What the lab asks for, from each check of the step that did not pass. */
export function stepHints(step: StepResult): string[] {
  return distinct(step.checks.filter((check) => check.status !== 'pass').map((check) => check.hint));
}

/** Why the grader could not judge: the failed call and what AWS said, for `error` checks. */
export function stepCauses(step: StepResult): string[] {
  return distinct(step.checks.filter((check) => check.status === 'error').map((check) => check.cause));
}

/** What was observed, across the step's checks. */
export function stepEvidence(step: StepResult): string[] {
  return distinct(step.checks.flatMap((check) => check.evidence));
}

/** Observations that take no points, across the step's checks. */
export function stepNotes(step: StepResult): string[] {
  return distinct(step.checks.flatMap((check) => check.notes ?? []));
}

/** Why a step was skipped: its checks' hint or note (the engine says which profile), else the profile. */
export function skipReason(step: StepResult, profile: string): string {
  const reasons = [...stepHints(step), ...stepNotes(step)];
  return reasons.length > 0 ? reasons.join(' ') : `not applicable with the ${profile} profile`;
}

/** The words for a status, for formats that spell it out. */
export const STATUS_WORDS: Record<StepStatus, string> = {
  pass: 'passed',
  partial: 'partial',
  fail: 'failed',
  unearned: 'bonus not earned',
  error: 'error',
  skip: 'not applicable',
  manual: 'manual review',
};

/** The status in words, with what a manual step has already earned: "manual review, 0.50/1.00 earned so far". */
export function statusText(step: StepResult): string {
  return step.status === 'manual' ? `${STATUS_WORDS.manual}, ${formatScore(step.points)} earned so far` : STATUS_WORDS[step.status];
}

/** How many steps have each status, in a fixed order. */
export function countStatuses(steps: StepResult[]): Record<StepStatus, number> {
  const counts = Object.fromEntries(STEP_STATUSES.map((status) => [status, 0])) as Record<StepStatus, number>;
  for (const step of steps) counts[step.status] += 1;
  return counts;
}

/** "16 passed", "2 partial"...: how many steps have each status, leaving out those none has. */
export function statusTally(steps: StepResult[]): string[] {
  const counts = countStatuses(steps);
  return STEP_STATUSES.filter((status) => counts[status] > 0).map((status) => `${counts[status]} ${STATUS_WORDS[status]}`);
}

/** Points in hundredths, so sums of reported points never drift. */
export const hundredths = (points: number): number => Math.round(points * 100);

/** Points a person still has to judge in this step: the shares of its checks waiting for review. */
export function reviewShare(step: StepResult): number {
  return step.checks.filter((check) => check.status === 'manual').reduce((sum, check) => sum + hundredths(check.points.max), 0) / 100;
}

/**
 * A step's points out of one fixed total whatever the profile, as an LMS gradebook needs: a
 * step the profile makes not applicable counts as earned (the lab lets those students omit
 * it), and with `manualPoints: 'exclude'` the shares a person judges leave the step.
 */
export function fixedPoints(step: StepSummary): Points;
export function fixedPoints(step: StepResult, manualPoints?: ManualPoints): Points;
export function fixedPoints(step: StepSummary | StepResult, manualPoints: ManualPoints = 'include'): Points {
  if (step.status === 'skip') {
    const max = step.notApplicablePoints ?? step.points.max;
    return { earned: max, max };
  }
  // Only a whole step's checks tell the share a person judges (the overloads ask for one then).
  const excluded = manualPoints === 'exclude' ? hundredths(reviewShare(step as StepResult)) : 0;
  return { earned: step.points.earned, max: (hundredths(step.points.max) - excluded) / 100 };
}

/** The lab's points out of the fixed total (bonus apart), and the points left to a person under `exclude`. */
export function fixedTotal(scorecard: ScorecardSummary): Points & { reviewed: number };
export function fixedTotal(scorecard: Scorecard, manualPoints?: ManualPoints): Points & { reviewed: number };
export function fixedTotal(scorecard: ScorecardSummary | Scorecard, manualPoints: ManualPoints = 'include'): Points & { reviewed: number } {
  // Under `exclude` the overloads ask for a whole scorecard, whose steps hold their checks.
  const steps = scorecard.sections.flatMap((section) => section.steps) as StepResult[];
  const earned = steps.reduce((sum, step) => sum + hundredths(fixedPoints(step, manualPoints).earned), 0);
  const reviewed = manualPoints === 'exclude' ? steps.reduce((sum, step) => sum + hundredths(reviewShare(step)), 0) : 0;
  return { earned: earned / 100, max: (hundredths(scorecard.rubricMax) - reviewed) / 100, reviewed: reviewed / 100 };
}

export function allSteps<Step = StepResult>(scorecard: { sections: readonly { steps: readonly Step[] }[]; bonus: readonly Step[] }): Step[] {
  // Loops, not a spread of flatMap: a class overview asks this twice of every student.
  const steps: Step[] = [];
  for (const section of scorecard.sections) for (const step of section.steps) steps.push(step);
  for (const step of scorecard.bonus) steps.push(step);
  return steps;
}

/** The points the checks gave a student held for review (shown, not counted); undefined otherwise. */
export function heldPoints(scorecard: Pick<Scorecard, 'integrity'>): { total: Points; bonusPoints: Points } | undefined {
  return scorecard.integrity?.heldForReview ? scorecard.integrity.withheld : undefined;
}

/** The one-line total every report opens or closes with. */
export function totalLine(scorecard: Scorecard): string {
  const held = heldPoints(scorecard);
  const { total, bonusPoints } = held ?? scorecard;
  const points = `${formatPoints(total.earned)} / ${formatPoints(total.max)} points, bonus ${formatPoints(bonusPoints.earned)} / ${formatPoints(bonusPoints.max)}`;
  return held ? `held for review: ${points}, not counted` : points;
}

/** What verification found and what it did to the points, in a sentence; undefined when nothing was flagged. */
export function integrityHeadline(scorecard: Scorecard): string | undefined {
  const integrity = scorecard.integrity;
  if (!integrity || integrity.flags.length === 0) return undefined;
  const count = integrity.flags.length === 1 ? 'Integrity flag' : `${integrity.flags.length} integrity flags`;
  if (integrity.withheld) {
    const { total, bonusPoints } = integrity.withheld;
    const gave = `the checks gave ${formatPoints(total.earned)} / ${formatPoints(total.max)}, bonus ${formatPoints(bonusPoints.earned)}`;
    if (integrity.heldForReview) {
      return `${count} (${flagNames(integrity.flags)}): held for review under --integrity strict: ${gave}, shown but not counted until a person decides (nothing shows who copied).`;
    }
    return `${count} (${flagNames(integrity.flags)}): 0 points under --integrity strict; ${gave}.`;
  }
  return `${count} (${flagNames(integrity.flags)}): points kept under --integrity warn; a person should look before the grade counts.`;
}

/** Each flag as `kind: summary`, followed by its evidence. */
export function integrityFlags(scorecard: Scorecard): { title: string; evidence: string[] }[] {
  return (scorecard.integrity?.flags ?? []).map((flag) => ({ title: `${flag.kind}: ${flag.summary}`, evidence: flag.evidence }));
}

/** The probe target as a sentence, saying when a person chose it instead of the ALB's DNS name. */
export function targetLine(scorecard: Scorecard): string {
  if (scorecard.target === null) return 'Probe target: none (no load balancer found to probe)';
  if (scorecard.target.overridden) {
    return `Probe target: ${scorecard.target.url} (overridden by a person, not the ALB's DNS name)`;
  }
  return `Probe target: ${scorecard.target.url}`;
}
