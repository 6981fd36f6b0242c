// The gradebook: one CSV row per student, one column per step, written atomically so a
// spreadsheet never opens half a file.
import type { ScorecardSummary } from '../grade/summary.js';
import { flagNames } from '../integrity/apply.js';
import { formatPoints } from '../report/steps.js';
import type { Rubric } from '../rubric/types.js';
import { csvLine } from './csv.js';

export interface GradebookRow {
  student: string;
  name?: string;
  email?: string;
  /** The roster's own columns (an LMS or SIS id...), passed through. */
  extra?: Record<string, string>;
  /** Absent when the student could not be graded. A whole scorecard is one too. */
  scorecard?: ScorecardSummary;
  error?: string;
  /** The batch was interrupted before it graded the student. */
  notGradedYet?: boolean;
}

/** The lab's step ids in rubric order: their columns add up to `total` (the bonus has its own column). */
export function gradebookSteps(rubric: Rubric): string[] {
  return rubric.sections.flatMap((section) => section.steps.map((step) => step.id));
}

/** `bundled-example; strict: 0 points (...)`: what verification found and did, for the `integrity` column. */
function integrityCell(card: ScorecardSummary): string {
  if (!card.integrity) return '';
  const names = flagNames(card.integrity.flags);
  const withheld = card.integrity.withheld;
  if (!withheld) return names;
  const gave = `the checks gave ${formatPoints(withheld.total.earned)}, bonus ${formatPoints(withheld.bonusPoints.earned)}`;
  return card.integrity.heldForReview ? `${names}; strict: held for review (${gave}; not counted until a person decides)` : `${names}; strict: 0 points (${gave})`;
}

/**
 * Columns: student, name, email, the roster's extra columns, total, max, bonus, one per step
 * (points earned; empty when the profile makes the step not applicable; 0 when --integrity
 * strict gave 0, so they still add up to total), status (ok, held: held for review under
 * strict, the total and bonus empty and the steps' points shown; error; not graded yet when
 * the batch was interrupted first), error,
 * integrity (verification's flags), graded_at (when the snapshot was collected), rubric_sha256
 * and grader_version (what graded it: a rerun grades a row of another rubric or release again).
 */
export function renderGradebook(steps: readonly string[], rows: readonly GradebookRow[]): string {
  const extraColumns = [...new Set(rows.flatMap((row) => Object.keys(row.extra ?? {})))];
  const header = ['student', 'name', 'email', ...extraColumns, 'total', 'max', 'bonus', ...steps, 'status', 'error', 'integrity', 'graded_at', 'rubric_sha256', 'grader_version'];
  const lines = rows.map((row) => {
    const who = [row.student, row.name, row.email, ...extraColumns.map((column) => row.extra?.[column])];
    const card = row.scorecard;
    if (!card) return csvLine([...who, '', '', '', ...steps.map(() => ''), row.notGradedYet ? 'not graded yet' : 'error', row.notGradedYet ? '' : (row.error ?? 'not graded'), '', '', '', '']);
    // Held for review: each step's points are shown, the total is left empty so no import counts it.
    const held = card.integrity?.heldForReview === true;
    const zeroed = card.integrity?.withheld !== undefined && !held;
    const earned = new Map<string, string>();
    for (const section of card.sections) {
      for (const step of section.steps) earned.set(step.id, step.status === 'skip' ? '' : formatPoints(zeroed ? 0 : step.points.earned));
    }
    return csvLine([
      ...who,
      held ? '' : formatPoints(card.total.earned),
      formatPoints(card.total.max),
      held ? '' : formatPoints(card.bonusPoints.earned),
      ...steps.map((step) => earned.get(step) ?? ''),
      held ? 'held' : 'ok',
      '',
      integrityCell(card),
      card.subject.collectedAt,
      card.rubric.sha256,
      card.grader.version,
    ]);
  });
  return [csvLine(header), ...lines].join('');
}
