// One meaning of a step's status, used by every report: what the points and the checks say,
// not the worst check alone (a step that earned 0.15 of 0.25 is partial, never failed).
import type { CheckStatus } from '../check/define.js';

/**
 * - `pass`: full points. `partial`: some points. `fail`: none, and the student is at fault.
 * - `manual`: every automatic part earned its points; a person judges the rest.
 * - `error`: the grader could not read what the step needs. `skip`: not applicable to the profile.
 * - `unearned`: the bonus, not earned; never a failure.
 */
export type StepStatus = CheckStatus | 'unearned';

/** Every status, in the order tallies list them. */
export const STEP_STATUSES: readonly StepStatus[] = ['pass', 'partial', 'fail', 'unearned', 'error', 'manual', 'skip'];

/** A graded part (a check of a step, a step of a section): its status and points in hundredths. */
export interface GradedPart {
  status: StepStatus;
  earned: number;
  max: number;
}

const LOST: ReadonlySet<StepStatus> = new Set(['fail', 'partial', 'unearned']);

/**
 * The status of a whole made of graded parts. An unreadable part makes it `error`; a part
 * that lost points makes it `partial` or `fail` (`unearned` for the bonus); then a part
 * waiting for a person makes it `manual`; else `pass`.
 */
export function combineStatus(parts: readonly GradedPart[], options: { bonus?: boolean } = {}): StepStatus {
  const applicable = parts.filter((part) => part.status !== 'skip');
  if (applicable.length === 0) return 'skip';
  if (applicable.some((part) => part.status === 'error')) return 'error';
  if (applicable.some((part) => LOST.has(part.status))) {
    const earned = applicable.reduce((sum, part) => sum + part.earned, 0);
    if (earned > 0) return 'partial';
    return options.bonus ? 'unearned' : 'fail';
  }
  if (applicable.some((part) => part.status === 'manual')) return 'manual';
  return 'pass';
}
