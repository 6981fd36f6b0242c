// Gradescope autograder results.json, only the fields of its specification (gradescope/
// autograder_samples docs/specs.md): the score out of one fixed total for every profile (a step
// the profile makes not applicable counts as earned; the total itself is the assignment's
// autograder points, set in Gradescope), the bonus as extra credit, one test per step with an
// explicit status, Markdown output; `manualPoints: 'exclude'` leaves review shares to a manual question.
import type { Scorecard, StepResult } from '../grade/scorecard.js';
import { escapeMarkdownInline } from './safe-text.js';
import {
  allSteps,
  fixedPoints,
  fixedTotal,
  formatPoints,
  formatScore,
  hundredths,
  reviewShare,
  skipReason,
  statusText,
  integrityFlags,
  integrityHeadline,
  labElsewhereNotice,
  stepCauses,
  stepEvidence,
  stepHints,
  stepNotes,
  type ManualPoints,
  type Reporter,
  type ReportOptions,
} from './steps.js';

export interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  /** Always given: without it Gradescope fails a test whose score is below its max_score (a step waiting for a person). */
  status: 'passed' | 'failed';
  output: string;
  output_format: 'md';
}

/** No max_score: the specification has none; the assignment's autograder points are the denominator. */
export interface GradescopeResults {
  score: number;
  execution_time?: number;
  output: string;
  output_format: 'md';
  visibility: 'visible';
  stdout_visibility: 'visible' | 'hidden';
  tests: GradescopeTest[];
}

const md = escapeMarkdownInline;

function testOutput(step: StepResult, profile: string, manualPoints: ManualPoints): string {
  const lines = [`**Status:** ${md(statusText(step))}`];
  if (step.status === 'skip') {
    lines.push(`**Not applicable:** ${md(skipReason(step, profile))}; counted as earned, so every profile is graded out of the same total.`);
    return lines.join('\n\n');
  }
  const share = reviewShare(step);
  if (share > 0) {
    lines.push(
      manualPoints === 'exclude'
        ? `**Manual review:** ${formatPoints(share)} points of this step are graded by a person in the assignment's manual question, not here.`
        : `**Manual review:** ${formatPoints(share)} points of this step wait for a person; they are not awarded yet.`,
    );
  }
  const label = step.status === 'manual' ? 'Review' : 'Hint';
  const items = [
    ...stepCauses(step).map((cause) => `- **Cause:** ${md(cause)}`),
    ...(step.status === 'pass' ? [] : stepHints(step).map((hint) => `- **${label}:** ${md(hint)}`)),
    ...stepEvidence(step).map((line) => `- Observed: ${md(line)}`),
    ...stepNotes(step).map((note) => `- Note: ${md(note)}`),
  ];
  if (items.length > 0) lines.push(items.join('\n'));
  return lines.join('\n\n');
}

const STATUS: Record<StepResult['status'], GradescopeTest['status']> = {
  pass: 'passed',
  skip: 'passed',
  // The bonus is extra credit: not earning it is no failure.
  unearned: 'passed',
  // Every automatic part earned its points; the rest waits for a person, which is no failure either.
  manual: 'passed',
  partial: 'failed',
  fail: 'failed',
  error: 'failed',
};

function testName(step: StepResult): string {
  if (step.status === 'manual') return `${step.id} ${step.title} (manual review)`;
  if (step.status === 'unearned') return `${step.id} ${step.title} (extra credit, not earned)`;
  if (step.status === 'skip') return `${step.id} ${step.title} (not applicable)`;
  return `${step.id} ${step.title}`;
}

function test(step: StepResult, profile: string, manualPoints: ManualPoints): GradescopeTest {
  const points = fixedPoints(step, manualPoints);
  return {
    name: testName(step),
    number: step.id,
    score: points.earned,
    max_score: points.max,
    status: STATUS[step.status],
    output: testOutput(step, profile, manualPoints),
    output_format: 'md',
  };
}

export function gradescopeResults(scorecard: Scorecard, options: ReportOptions): GradescopeResults {
  const manualPoints = options.manualPoints ?? 'include';
  const graded = fixedTotal(scorecard, manualPoints);
  // Under --integrity strict a flagged student's points are withheld: the total says 0, the tests still show what the checks found.
  const total = scorecard.integrity?.withheld ? { ...graded, earned: 0 } : graded;
  const score = (hundredths(total.earned) + hundredths(scorecard.bonusPoints.earned)) / 100;
  const headline = integrityHeadline(scorecard);
  const elsewhere = labElsewhereNotice(scorecard);
  const waived = allSteps(scorecard)
    .filter((step) => step.status === 'skip')
    .reduce((sum, step) => sum + hundredths(fixedPoints(step).earned), 0);
  const notes = [`lab profile ${md(scorecard.profile)}`];
  if (waived > 0) notes.push(`${formatPoints(waived / 100)} points of steps not applicable to it counted as earned`);
  if (total.reviewed > 0) notes.push(`${formatPoints(total.reviewed)} points left to the manual question`);
  return {
    score,
    ...(options.executionTimeSeconds === undefined ? {} : { execution_time: Math.round(options.executionTimeSeconds) }),
    output: [
      scorecard.integrity?.heldForReview
        ? `${md(scorecard.lab)}: **held for review: ${formatScore(graded)} points shown, not counted**, bonus ${formatScore(scorecard.integrity.withheld!.bonusPoints)} (${notes.join('; ')})`
        : `${md(scorecard.lab)}: **${formatScore(total)} points**, bonus ${formatScore(scorecard.bonusPoints)} (${notes.join('; ')})`,
      ...(headline === undefined ? [] : ['', `**${md(headline)}**`]),
      ...integrityFlags(scorecard).flatMap((flag) => [`- ${md(flag.title)}`, ...flag.evidence.map((line) => `  - ${md(line)}`)]),
      ...(elsewhere === undefined ? [] : ['', `**${md(elsewhere.headline)}** ${md(elsewhere.command)}`]),
    ].join('\n'),
    output_format: 'md',
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests: allSteps(scorecard).map((step) => test(step, scorecard.profile, manualPoints)),
  };
}

export const gradescopeReporter: Reporter = {
  file: 'results.json',
  render: (scorecard, options) => `${JSON.stringify(gradescopeResults(scorecard, options), null, 2)}\n`,
};
