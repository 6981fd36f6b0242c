// Puts verification's flags on a scorecard. Flags never change points silently: under
// `strict` a flagged student's totals become 0 and the scorecard keeps what was withheld.
import type { Scorecard } from '../grade/scorecard.js';
import type { IntegrityFlag, IntegrityMode } from './types.js';

/** The scorecard with these flags (none: as the checks graded it); a kept scorecard is re-verified from what the checks gave. */
export function withIntegrity(scorecard: Scorecard, flags: readonly IntegrityFlag[], mode: IntegrityMode): Scorecard {
  const { integrity: previous, ...graded } = scorecard;
  const total = previous?.withheld?.total ?? graded.total;
  const bonusPoints = previous?.withheld?.bonusPoints ?? graded.bonusPoints;
  if (flags.length === 0) return { ...graded, total, bonusPoints };
  const zeroed = mode === 'strict';
  return {
    ...graded,
    total: zeroed ? { earned: 0, max: total.max } : total,
    bonusPoints: zeroed ? { earned: 0, max: bonusPoints.max } : bonusPoints,
    integrity: { mode, flags: [...flags], ...(zeroed ? { withheld: { total, bonusPoints } } : {}) },
  };
}

/** `bundled-example, shared-evidence (with bob)`: the flags on one line, for a table cell. */
export function flagNames(flags: readonly IntegrityFlag[]): string {
  return flags.map((flag) => (flag.students ? `${flag.kind} (with ${flag.students.join(', ')})` : flag.kind)).join(', ');
}
