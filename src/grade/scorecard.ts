// The graded result every reporter reads. Frozen once built; points are exact decimals
// (computed in hundredths of a point, written as numbers with at most two decimals).
import type { CheckStatus } from '../check/define.js';
import type { Choice } from '../resolve/lab.js';
import type { CostNotice } from '../cost/estimate.js';

export type StepStatus = CheckStatus;

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
}

export interface StepResult {
  /** The lab's step number, e.g. `4.2`, or `bonus`. */
  id: string;
  title: string;
  status: StepStatus;
  points: Points;
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
  schemaVersion: 1;
  lab: string;
  rubric: { file: string; sha256: string };
  profile: string;
  subject: {
    account: string;
    region: string;
    caller: string;
    collectedAt: string;
  };
  /** Where the HTTP probes went; `overridden` when a person set the URL. */
  target: { url: string; overridden: boolean } | null;
  sections: SectionResult[];
  bonus: StepResult[];
  /** Points of the ten-point lab (bonus excluded); max reduced by steps the profile makes not applicable. */
  total: Points;
  bonusPoints: Points;
  counts: Record<StepStatus, number>;
  choices: Choice[];
  /** What the billable resources in the snapshot cost per hour while left running, and how to tear them down. */
  cost?: CostNotice;
}
