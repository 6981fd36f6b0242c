// The graded result every reporter reads. Frozen once built; points are exact decimals
// (computed in hundredths of a point, written as numbers with at most two decimals).
import type { CheckStatus } from '../check/define.js';
import type { Choice } from '../resolve/lab.js';
import type { CostNotice } from '../cost/estimate.js';
import type { LabElsewhere } from '../snapshot/region-search.js';
import type { StepStatus } from './status.js';

export type { StepStatus } from './status.js';

export interface Points {
  earned: number;
  max: number;
}

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  points: Points;
  evidence: string[];
  hint?: string;
  notes?: string[];
  /** For `error`: the call that failed and what AWS said. */
  cause?: string;
  /** Milliseconds of the HTTP probes this check cites as evidence (from the snapshot); absent when it cites none. */
  probeMs?: number;
}

export interface StepResult {
  /** The lab's step number, e.g. `4.2`, or `bonus`. */
  id: string;
  title: string;
  status: StepStatus;
  points: Points;
  /** For `skip` under a profile that reduces the maximum: the rubric's points for the step, left out of `points.max`. */
  notApplicablePoints?: number;
  checks: CheckResult[];
}

export interface SectionResult {
  id: string;
  title: string;
  status: StepStatus;
  points: Points;
  steps: StepResult[];
}

export interface Scorecard {
  /** 2: step statuses from points (partial, manual with points, unearned), collection time, rubricMax. */
  schemaVersion: 2;
  lab: string;
  /** The rubric graded with: its file as given, the SHA-256 of its bytes and of the params as graded (profile and `--param` applied). */
  rubric: { file: string; sha256: string; paramsSha256: string };
  /** The lab-grader release that graded: a batch grades a kept scorecard of another again. */
  grader: { version: string };
  profile: string;
  subject: {
    account: string;
    region: string;
    caller: string;
    collectedAt: string;
  };
  /** How long the collection took (AWS calls and probes), from the snapshot. */
  collection: { durationMs: number };
  /** Where the HTTP probes went; `overridden` when a person set the URL. */
  target: { url: string; overridden: boolean } | null;
  sections: SectionResult[];
  bonus: StepResult[];
  /** Points of the ten-point lab (bonus excluded); max reduced by steps the profile makes not applicable. */
  total: Points;
  /** The rubric's ten-point maximum whatever the profile, for consumers that need one fixed total (Gradescope, Classroom). */
  rubricMax: number;
  bonusPoints: Points;
  counts: Record<StepStatus, number>;
  choices: Choice[];
  /** What the billable resources in the snapshot cost per hour while left running, and how to tear them down. */
  cost?: CostNotice;
  /** The graded region holds none of the lab, which appears to be in another region: every report says so first and last. */
  labElsewhere?: LabElsewhere;
  /** What verification found in a snapshot someone else collected, and what it did to the points. */
  integrity?: IntegrityResult;
}

// What verification (src/integrity/) found in a snapshot someone else collected: named
// flags with their evidence, and what the grade did about them.

export const INTEGRITY_FLAG_KINDS = ['roster-account', 'outside-window', 'bundled-example', 'copied-from', 'shared-evidence', 'built-late', 'inconsistent'] as const;

export type IntegrityFlagKind = (typeof INTEGRITY_FLAG_KINDS)[number];

export interface IntegrityFlag {
  kind: IntegrityFlagKind;
  /** One line a person can act on. */
  summary: string;
  /** What was observed, one item a line (ids, times, files). */
  evidence: string[];
  /**
   * For `shared-evidence`: the other students whose evidence holds the same ids; for
   * `copied-from`: the students whose accounts the grader read live and the snapshot copies.
   */
  students?: string[];
}

/**
 * `warn` shows flags and keeps the points; `strict` gives 0 for a flag that convicts the
 * student and holds the points for a person when the flags cannot tell who copied.
 */
export type IntegrityMode = 'warn' | 'strict';

/** Carried by a scorecard once its snapshot was verified. */
export interface IntegrityResult {
  mode: IntegrityMode;
  flags: IntegrityFlag[];
  /** Under `strict` with flags: the points the checks gave, withheld (the totals are 0, so nothing counts them). */
  withheld?: { total: { earned: number; max: number }; bonusPoints: { earned: number; max: number } };
  /**
   * Under `strict` when no flag convicts this student (only `shared-evidence`, which cannot
   * tell who copied): the withheld points are held for a person to review, not a grade of 0.
   */
  heldForReview?: true;
}
