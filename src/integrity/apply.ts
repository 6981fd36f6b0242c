// Puts verification's flags on a scorecard. Flags never change points silently: under
// `strict` a flag that convicts the student makes the totals 0, flags that cannot tell who
// copied hold the points for a person; the scorecard keeps what was withheld either way.
import type { Scorecard } from '../grade/scorecard.js';
import type { IntegrityFlag, IntegrityFlagKind, IntegrityMode } from './types.js';

/**
 * Flags that show this student's own evidence is not theirs (a bundled example, another
 * account, the wrong time, self-contradicting, copied from a live-read classmate, built after
 * the deadline). `shared-evidence` is not one: between two handed-in snapshots nothing shows
 * who copied, so it never zeroes anyone.
 */
export const CONVICTING_FLAGS: ReadonlySet<IntegrityFlagKind> = new Set(['bundled-example', 'roster-account', 'outside-window', 'inconsistent', 'copied-from', 'built-late']);

/** What verification changes of a scorecard (or of the summary a batch keeps of one). */
type Verified = Pick<Scorecard, 'total' | 'bonusPoints' | 'integrity'>;

/** The scorecard with these flags (none: as the checks graded it); a kept scorecard is re-verified from what the checks gave. */
export function withIntegrity<T extends Verified>(scorecard: T, flags: readonly IntegrityFlag[], mode: IntegrityMode): T {
  const { integrity: previous, ...graded } = scorecard;
  const total = previous?.withheld?.total ?? graded.total;
  const bonusPoints = previous?.withheld?.bonusPoints ?? graded.bonusPoints;
  if (flags.length === 0) return { ...graded, total, bonusPoints } as T;
  if (mode === 'warn') return { ...graded, total, bonusPoints, integrity: { mode, flags: [...flags] } } as T;
  const convicted = flags.some((flag) => CONVICTING_FLAGS.has(flag.kind));
  return {
    ...graded,
    total: { earned: 0, max: total.max },
    bonusPoints: { earned: 0, max: bonusPoints.max },
    integrity: { mode, flags: [...flags], withheld: { total, bonusPoints }, ...(convicted ? {} : { heldForReview: true as const }) },
  } as T;
}

/** `bundled-example, shared-evidence (with bob), copied-from (alice)`: the flags on one line, for a table cell. */
export function flagNames(flags: readonly IntegrityFlag[]): string {
  return flags
    .map((flag) => (flag.students ? `${flag.kind} (${flag.kind === 'shared-evidence' ? 'with ' : ''}${flag.students.join(', ')})` : flag.kind))
    .join(', ');
}
