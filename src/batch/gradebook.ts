// The gradebook: one CSV row per student, one column per step, written atomically so a
// spreadsheet never opens half a file.
import type { Scorecard } from '../grade/scorecard.js';
import { formatPoints } from '../report/steps.js';
import type { Rubric } from '../rubric/types.js';
import { csvLine } from './csv.js';

export interface GradebookRow {
  student: string;
  name?: string;
  /** Absent when the student could not be graded. */
  scorecard?: Scorecard;
  error?: string;
}

/** The lab's step ids in rubric order: their columns add up to `total` (the bonus has its own column). */
export function gradebookSteps(rubric: Rubric): string[] {
  return rubric.sections.flatMap((section) => section.steps.map((step) => step.id));
}

/**
 * Columns: student, name, total, max, bonus, one per step (points earned; empty when the
 * profile makes the step not applicable), status (ok/error), error, graded_at (when the
 * snapshot was collected).
 */
export function renderGradebook(steps: readonly string[], rows: readonly GradebookRow[]): string {
  const header = ['student', 'name', 'total', 'max', 'bonus', ...steps, 'status', 'error', 'graded_at'];
  const lines = rows.map((row) => {
    const card = row.scorecard;
    if (!card) return csvLine([row.student, row.name, '', '', '', ...steps.map(() => ''), 'error', row.error ?? 'not graded', '']);
    const earned = new Map(
      card.sections.flatMap((section) => section.steps).map((step) => [step.id, step.status === 'skip' ? '' : formatPoints(step.points.earned)]),
    );
    return csvLine([
      row.student,
      row.name,
      formatPoints(card.total.earned),
      formatPoints(card.total.max),
      formatPoints(card.bonusPoints.earned),
      ...steps.map((step) => earned.get(step) ?? ''),
      'ok',
      '',
      card.subject.collectedAt,
    ]);
  });
  return [csvLine(header), ...lines].join('');
}

