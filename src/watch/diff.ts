// What changed between two gradings of the same account: the steps that went up or down,
// and the points delta, for watch mode's "since the last round" display.
import type { Points, Scorecard, StepResult, StepStatus } from '../grade/scorecard.js';

export interface StepState {
  status: StepStatus;
  points: Points;
}

export interface StepChange {
  id: string;
  title: string;
  /** Absent when the step is new (another rubric or profile). */
  before?: StepState;
  after?: StepState;
  /** Points earned after minus before; 0 when only the status changed. */
  delta: number;
  direction: 'up' | 'down' | 'same';
}

export interface ScorecardDiff {
  /** Steps whose points or status changed, in rubric order. */
  steps: StepChange[];
  total: { before: Points; after: Points; delta: number };
  bonus: { before: Points; after: Points; delta: number };
}

// Points have two decimals: comparing hundredths keeps 0.1 + 0.2 from looking like a change.
const hundredths = (points: number): number => Math.round(points * 100);
const difference = (after: number, before: number): number => (hundredths(after) - hundredths(before)) / 100;

function stepsOf(scorecard: Scorecard): StepResult[] {
  return [...scorecard.sections.flatMap((section) => section.steps), ...scorecard.bonus];
}

function state(step: StepResult | undefined): StepState | undefined {
  return step ? { status: step.status, points: step.points } : undefined;
}

export function diffScorecards(before: Scorecard, after: Scorecard): ScorecardDiff {
  const earlier = new Map(stepsOf(before).map((step) => [step.id, step]));
  const later = stepsOf(after);
  const ids = [...later.map((step) => step.id), ...[...earlier.keys()].filter((id) => !later.some((step) => step.id === id))];
  const laterById = new Map(later.map((step) => [step.id, step]));
  const steps: StepChange[] = [];
  for (const id of ids) {
    const was = earlier.get(id);
    const now = laterById.get(id);
    const delta = difference(now?.points.earned ?? 0, was?.points.earned ?? 0);
    if (delta === 0 && was?.status === now?.status && hundredths(was?.points.max ?? 0) === hundredths(now?.points.max ?? 0)) continue;
    const change: StepChange = {
      id,
      title: (now ?? was)!.title,
      delta,
      direction: delta > 0 ? 'up' : delta < 0 ? 'down' : 'same',
    };
    const beforeState = state(was);
    const afterState = state(now);
    if (beforeState) change.before = beforeState;
    if (afterState) change.after = afterState;
    steps.push(change);
  }
  return {
    steps,
    total: { before: before.total, after: after.total, delta: difference(after.total.earned, before.total.earned) },
    bonus: { before: before.bonusPoints, after: after.bonusPoints, delta: difference(after.bonusPoints.earned, before.bonusPoints.earned) },
  };
}
