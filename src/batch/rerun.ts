// The rerun rules. A student graded by an earlier run keeps that grade only while it still
// holds: made with this rubric (its SHA-256), these params, their lab profile and this
// lab-grader release. Otherwise they are graded again from the evidence kept (the roster's
// snapshot file, or the snapshot the batch saved when it read their account); only
// --recollect reads an account again.
import type { Grading } from '../grade/grading.js';
import type { Scorecard } from '../grade/scorecard.js';

/** A scorecard.json read back from a student's folder: written by any lab-grader, so nothing in it is taken for granted. */
export type KeptScorecard = Partial<Omit<Scorecard, 'rubric' | 'grader'>> & {
  rubric?: Partial<Scorecard['rubric']>;
  grader?: Partial<Scorecard['grader']>;
};

/** Why a kept scorecard no longer holds for this grading, in a few words each; none when it holds. */
export function staleBecause(kept: KeptScorecard, grading: Grading): string[] {
  // Written by a lab-grader whose statuses meant something else.
  if (kept.schemaVersion !== 2) return ['an earlier lab-grader wrote it'];
  const reasons: string[] = [];
  if (kept.rubric?.sha256 !== grading.rubric.sha256) reasons.push('rubric changed');
  // A scorecard without the params' hash comes from an earlier release, which says so below.
  if (kept.rubric?.paramsSha256 !== undefined && kept.rubric.paramsSha256 !== grading.paramsSha256) reasons.push('params changed');
  if (kept.profile !== grading.profile.name) reasons.push(`lab profile ${kept.profile ?? 'unknown'} → ${grading.profile.name}`);
  const version = kept.grader?.version;
  if (version !== grading.graderVersion) reasons.push(version === undefined ? 'graded by an earlier lab-grader' : `graded by lab-grader ${version}`);
  return reasons;
}

/** `rubric changed: 28, graded by lab-grader 0.1.0: 2`: how many students each reason applied to, most first. */
export function countReasons(reasons: readonly (readonly string[])[]): string {
  const counts = new Map<string, number>();
  for (const why of reasons) for (const reason of why) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([reason, count]) => `${reason}: ${count}`)
    .join(', ');
}
