// The rubric as loaded from rubric.yaml: the lab's sections, steps, points and the checks
// that grade each step, its expected values and its profiles. Points are exact hundredths.
import type { Hundredths } from './points.js';
import type { LabParams } from './params.js';

/** Where something was written in the rubric file, for messages a person can follow. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** `rubric.yaml:12:5`: a location as editors and terminals link it. */
export function formatLocation(at: SourceLocation): string {
  return `${at.file}:${at.line}:${at.column}`;
}

/** One check grading a step, and the share of the step's points it carries. */
export interface RubricCheck {
  check: string;
  points: Hundredths;
  /** The lab's own words for this check's part of the step, added after the check's hint when it misses. */
  hint?: string;
  at: SourceLocation;
}

export interface RubricStep {
  /** The lab's step number (`4.2`) or `bonus`. */
  id: string;
  title: string;
  points: Hundredths;
  checks: RubricCheck[];
  at: SourceLocation;
}

export interface RubricSection {
  id: string;
  title: string;
  points: Hundredths;
  steps: RubricStep[];
  at: SourceLocation;
}

export interface RubricProfile {
  name: string;
  description: string;
  default: boolean;
  /** Step ids the profile makes not applicable: they are graded `skip`. */
  notApplicable: string[];
  /** `reduce`: not-applicable steps leave the maximum; `keep`: they stay in it and earn nothing. */
  maximum: 'reduce' | 'keep';
  /** Dotted-key overrides of the rubric's params (`ecs.requiredRoleName: LabRole`). */
  params: Record<string, unknown>;
  at: SourceLocation;
}

export interface Rubric {
  version: 1;
  lab: string;
  /** The file as it was given (relative paths stay relative). */
  file: string;
  /** SHA-256 of the file's bytes, hex. */
  sha256: string;
  params: LabParams;
  profiles: RubricProfile[];
  sections: RubricSection[];
  bonus: RubricStep[];
}
