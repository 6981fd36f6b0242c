// What a batch keeps of each scorecard: everything but the checks' results and the choices.
import { describe, expect, it } from 'vitest';
import { summarizeScorecard } from '../../src/grade/summary.js';
import { sampleScorecard } from '../html/sample-scorecard.js';

describe('a scorecard summary', () => {
  it('keeps every step, total and flag of the scorecard and drops only the checks and the choices', () => {
    const scorecard = sampleScorecard({ earned: [0.25, 0.1, 0.5, 1] });
    const summary = summarizeScorecard(scorecard);
    const { choices: _choices, sections, bonus, ...rest } = scorecard;
    expect(summary).toEqual({
      ...rest,
      sections: sections.map((section) => ({ ...section, steps: section.steps.map(({ checks: _checks, ...step }) => step) })),
      bonus: bonus.map(({ checks: _checks, ...step }) => step),
    });
    expect(JSON.stringify(summary)).not.toContain('"checks"');
    expect(JSON.stringify(summary)).not.toContain('"choices"');
    // The scorecard itself is left as it was.
    expect(scorecard.sections[0]!.steps[0]!.checks.length).toBeGreaterThan(0);
  });
});
