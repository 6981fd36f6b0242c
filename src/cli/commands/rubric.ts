// `lab-grader rubric lint` and `lab-grader rubric show`.
import { checksById } from '../../../checks/index.js';
import { UsageError } from '../../errors.js';
import { pickProfile } from '../../rubric/profile.js';
import { addPoints, formatPoints, type Hundredths } from '../../rubric/points.js';
import { formatProblem, lintRubric } from '../../rubric/lint.js';
import type { Rubric, RubricProfile, RubricStep } from '../../rubric/types.js';
import { loadGradingRubric } from '../prepared.js';

/** Two decimals everywhere in the table, so the points column lines up. */
const fixed = (points: Hundredths): string => (points / 100).toFixed(2);

export interface RubricLintOptions {
  rubric?: string;
}

export interface RubricShowOptions {
  rubric?: string;
  /** The rubric profile (--lab-profile). */
  labProfile?: string;
}

function allSteps(rubric: Rubric): RubricStep[] {
  return [...rubric.sections.flatMap((section) => section.steps), ...rubric.bonus];
}

/** Exit 0 when the rubric is clean; otherwise a UsageError listing every problem at file:line:col. */
export async function rubricLintCommand(options: RubricLintOptions): Promise<number> {
  const rubric = await loadGradingRubric(options.rubric);
  const problems = lintRubric(rubric, checksById.keys());
  if (problems.length > 0) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    throw new UsageError(`${rubric.file}: ${count}:\n${problems.map(formatProblem).join('\n')}`);
  }
  const steps = allSteps(rubric);
  const checks = new Set(steps.flatMap((step) => step.checks.map((check) => check.check)));
  const total = addPoints(...rubric.sections.map((section) => section.points));
  const bonus = addPoints(...rubric.bonus.map((step) => step.points));
  process.stdout.write(
    `${rubric.file}: ok: ${steps.length - rubric.bonus.length} steps worth ${formatPoints(total)} points, ` +
      `bonus ${formatPoints(bonus)}, ${checks.size} checks, profiles: ${rubric.profiles.map((profile) => profile.name).join(', ')}\n`,
  );
  return 0;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

/** Step rows: the step with its first check, then one row per further check. */
function stepRows(step: RubricStep, profile: RubricProfile | undefined): { rows: string[][]; max: Hundredths } {
  const skipped = profile?.notApplicable.includes(step.id) ?? false;
  const max = skipped && profile?.maximum === 'reduce' ? 0 : step.points;
  const label = skipped ? `${fixed(step.points)} (n/a)` : fixed(step.points);
  const rows = step.checks.map((check, index) => [
    index === 0 ? `  ${step.id}` : '',
    index === 0 ? step.title : '',
    index === 0 ? label : '',
    `${check.check} ${fixed(check.points)}`,
  ]);
  return { rows, max };
}

/** The rubric as a table: sections, steps, points and the checks that grade each step. */
export async function rubricShowCommand(options: RubricShowOptions): Promise<number> {
  const rubric = await loadGradingRubric(options.rubric);
  const profile = options.labProfile === undefined ? undefined : pickProfile(rubric, options.labProfile);
  const rows: string[][] = [['Step', 'Title', 'Points', 'Checks (points)']];
  let total: Hundredths = 0;
  for (const section of rubric.sections) {
    const steps = section.steps.map((step) => stepRows(step, profile));
    const max = addPoints(...steps.map((step) => step.max));
    total += max;
    rows.push([section.id, section.title, fixed(max), '']);
    rows.push(...steps.flatMap((step) => step.rows));
  }
  const bonus = rubric.bonus.map((step) => stepRows(step, profile));
  const bonusMax = addPoints(...bonus.map((step) => step.max));
  if (bonus.length > 0) {
    rows.push(['Bonus', '', fixed(bonusMax), '']);
    rows.push(...bonus.flatMap((step) => step.rows));
  }
  const lines = [
    `${rubric.lab} (${rubric.file}${profile ? `, profile ${profile.name}` : ''})`,
    '',
    table(rows),
    '',
    `Total: ${fixed(total)} points + bonus ${fixed(bonusMax)}` +
      (profile && profile.notApplicable.length > 0
        ? ` (not applicable with ${profile.name}: ${profile.notApplicable.join(', ')}; maximum: ${profile.maximum})`
        : ''),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
