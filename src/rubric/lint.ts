// Consistency of a loaded rubric with itself, with the lab and with the check registry.
import { addPoints, formatPoints } from './points.js';
import { formatLocation, type Rubric, type RubricStep, type SourceLocation } from './types.js';

/** The graded lab is worth ten points, plus a bonus point declared as its own step. */
export const LAB_TOTAL_HUNDREDTHS = 1000;

export type LintRule =
  | 'section-points'
  | 'step-points'
  | 'unknown-check'
  | 'unused-check'
  | 'duplicate-step'
  | 'duplicate-section'
  | 'lab-total'
  | 'bonus-missing';

export interface LintProblem {
  rule: LintRule;
  at: SourceLocation;
  message: string;
}

/** Rules without which points cannot be computed; the others concern the lab as a whole. */
export const GRADING_RULES: ReadonlySet<LintRule> = new Set<LintRule>([
  'section-points',
  'step-points',
  'unknown-check',
  'duplicate-step',
  'duplicate-section',
]);

export function formatProblem(problem: LintProblem): string {
  return `${formatLocation(problem.at)}: ${problem.message} [${problem.rule}]`;
}

function stepProblems(step: RubricStep, registered: ReadonlySet<string>): LintProblem[] {
  const problems: LintProblem[] = [];
  const checksSum = addPoints(...step.checks.map((check) => check.points));
  if (checksSum !== step.points) {
    problems.push({
      rule: 'step-points',
      at: step.at,
      message: `step ${step.id} is worth ${formatPoints(step.points)} but its checks add up to ${formatPoints(checksSum)}: make them agree`,
    });
  }
  for (const check of step.checks) {
    if (!registered.has(check.check)) {
      problems.push({
        rule: 'unknown-check',
        at: check.at,
        message: `step ${step.id} uses check "${check.check}", which is not registered: add checks/${check.check.replace('.', '/')}.ts to its service index, or fix the id`,
      });
    }
  }
  return problems;
}

/** Every problem of the rubric, in file order within each rule. */
export function lintRubric(rubric: Rubric, registeredIds: Iterable<string>): LintProblem[] {
  const registered = new Set(registeredIds);
  const problems: LintProblem[] = [];
  const seenSections = new Map<string, SourceLocation>();
  const seenSteps = new Map<string, SourceLocation>();
  const steps = [...rubric.sections.flatMap((section) => section.steps), ...rubric.bonus];

  for (const section of rubric.sections) {
    const first = seenSections.get(section.id);
    if (first) {
      problems.push({ rule: 'duplicate-section', at: section.at, message: `section ${section.id} is declared twice (first at line ${first.line}): give it another id` });
    } else {
      seenSections.set(section.id, section.at);
    }
    const stepsSum = addPoints(...section.steps.map((step) => step.points));
    if (stepsSum !== section.points) {
      problems.push({
        rule: 'section-points',
        at: section.at,
        message: `section ${section.id} is worth ${formatPoints(section.points)} but its steps add up to ${formatPoints(stepsSum)}: make them agree`,
      });
    }
  }
  for (const step of steps) {
    const first = seenSteps.get(step.id);
    if (first) {
      problems.push({ rule: 'duplicate-step', at: step.at, message: `step ${step.id} is declared twice (first at line ${first.line}): give it another id` });
    } else {
      seenSteps.set(step.id, step.at);
    }
    problems.push(...stepProblems(step, registered));
  }

  const total = addPoints(...rubric.sections.map((section) => section.points));
  if (total !== LAB_TOTAL_HUNDREDTHS) {
    problems.push({
      rule: 'lab-total',
      at: rubric.sections[0]?.at ?? { file: rubric.file, line: 1, column: 1 },
      message: `the sections add up to ${formatPoints(total)} points; the lab is graded out of ${formatPoints(LAB_TOTAL_HUNDREDTHS)}`,
    });
  }
  if (rubric.bonus.length === 0) {
    problems.push({
      rule: 'bonus-missing',
      at: { file: rubric.file, line: 1, column: 1 },
      message: 'no bonus step: the lab has "10 points + 1 bonus point"; declare it under `bonus:`',
    });
  }

  const used = new Set(steps.flatMap((step) => step.checks.map((check) => check.check)));
  for (const id of [...registered].sort()) {
    if (!used.has(id)) {
      problems.push({
        rule: 'unused-check',
        at: { file: rubric.file, line: 1, column: 1 },
        message: `check "${id}" is registered but no step uses it: add it to a step or remove it from the registry`,
      });
    }
  }
  return problems;
}
