// What a class's own reports need of a student's scorecard (the gradebook, the overview, the LMS
// file, the progress line and the summary): every step's status and points, the totals and the
// flags, without each check's result. A batch keeps this of every student; the whole scorecard
// is in the student's folder (scorecard.json).
import type { Scorecard, SectionResult, StepResult } from './scorecard.js';

export type StepSummary = Omit<StepResult, 'checks'>;

export interface SectionSummary extends Omit<SectionResult, 'steps'> {
  steps: StepSummary[];
}

export interface ScorecardSummary extends Omit<Scorecard, 'sections' | 'bonus' | 'choices'> {
  sections: SectionSummary[];
  bonus: StepSummary[];
}

function stepSummary({ checks: _checks, ...step }: StepResult): StepSummary {
  return step;
}

/** The scorecard without its checks' results and the resolver's choices. */
export function summarizeScorecard(scorecard: Scorecard): ScorecardSummary {
  const { choices: _choices, sections, bonus, ...rest } = scorecard;
  return {
    ...rest,
    sections: sections.map(({ steps, ...section }) => ({ ...section, steps: steps.map(stepSummary) })),
    bonus: bonus.map(stepSummary),
  };
}
