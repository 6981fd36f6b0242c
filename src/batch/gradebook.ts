// The gradebook: one CSV row per student, one column per step, written atomically so a
// spreadsheet never opens half a file.
import type { Scorecard } from '../grade/scorecard.js';
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
  /** Absent when the student could not be graded. */
  scorecard?: Scorecard;
  error?: string;
}

/** The lab's step ids in rubric order: their columns add up to `total` (the bonus has its own column). */
export function gradebookSteps(rubric: Rubric): string[] {
  return rubric.sections.flatMap((section) => section.steps.map((step) => step.id));
}

/** `bundled-example (strict: 0 points)`: what verification found, for the `integrity` column. */
function integrityCell(card: Scorecard): string {
  if (!card.integrity) return '';
  const names = flagNames(card.integrity.flags);
  const withheld = card.integrity.withheld;
  return withheld ? `${names}; strict: 0 points (the checks gave ${formatPoints(withheld.total.earned)}, bonus ${formatPoints(withheld.bonusPoints.earned)})` : names;
}

/**
 * Columns: student, name, email, the roster's extra columns, total, max, bonus, one per step
 * (points earned; empty when the profile makes the step not applicable; 0 when --integrity
 * strict withheld the points, so they still add up to total), status (ok/error), error,
 * integrity (verification's flags), graded_at (when the snapshot was collected), rubric_sha256
 * and grader_version (what graded it: a rerun grades a row of another rubric or release again).
 */
export function renderGradebook(steps: readonly string[], rows: readonly GradebookRow[]): string {
  const extraColumns = [...new Set(rows.flatMap((row) => Object.keys(row.extra ?? {})))];
  const header = ['student', 'name', 'email', ...extraColumns, 'total', 'max', 'bonus', ...steps, 'status', 'error', 'integrity', 'graded_at', 'rubric_sha256', 'grader_version'];
  const lines = rows.map((row) => {
    const who = [row.student, row.name, row.email, ...extraColumns.map((column) => row.extra?.[column])];
    const card = row.scorecard;
    if (!card) return csvLine([...who, '', '', '', ...steps.map(() => ''), 'error', row.error ?? 'not graded', '', '', '', '']);
    const withheld = card.integrity?.withheld !== undefined;
    const earned = new Map(
      card.sections
        .flatMap((section) => section.steps)
        .map((step) => [step.id, step.status === 'skip' ? '' : formatPoints(withheld ? 0 : step.points.earned)]),
    );
    return csvLine([
      ...who,
      formatPoints(card.total.earned),
      formatPoints(card.total.max),
      formatPoints(card.bonusPoints.earned),
      ...steps.map((step) => earned.get(step) ?? ''),
      'ok',
      '',
      integrityCell(card),
      card.subject.collectedAt,
      card.rubric.sha256,
      card.grader.version,
    ]);
  });
  return [csvLine(header), ...lines].join('');
}
