// Puts verification's flags on a scorecard. Flags never change points silently: under
// `strict` a flagged student's totals become 0 and the scorecard keeps what was withheld.
import type { Scorecard } from '../grade/scorecard.js';
import type { IntegrityFlag, IntegrityMode } from './types.js';

export function withIntegrity(scorecard: Scorecard, flags: readonly IntegrityFlag[], mode: IntegrityMode): Scorecard {
  const { integrity: _previous, ...graded } = scorecard;
  // A scorecard kept from an earlier run may already be zeroed: start again from what the checks gave.
  const total = _previous?.withheld?.total ?? graded.total;
  const bonusPoints = _previous?.withheld?.bonusPoints ?? graded.bonusPoints;
  const zeroed = mode === 'strict' && flags.length > 0;
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
