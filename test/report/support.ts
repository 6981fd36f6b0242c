// Fixture scorecards for the reporter tests: a complete lab, and one with every status.
import { readFileSync } from 'node:fs';
import type { Scorecard } from '../../src/grade/scorecard.js';

export const FIXTURES = ['complete', 'mixed'] as const;
export type FixtureName = (typeof FIXTURES)[number];

/** A fresh deep copy, so a test can mutate it. */
export function scorecard(name: FixtureName): Scorecard {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.scorecard.json`, import.meta.url), 'utf8')) as Scorecard;
}

/** The mixed scorecard with one step's first check replaced, for escaping and edge cases. */
export function withStep(
  name: FixtureName,
  stepId: string,
  change: (step: Scorecard['sections'][number]['steps'][number]) => void,
): Scorecard {
  const card = scorecard(name);
  const step = [...card.sections.flatMap((section) => section.steps), ...card.bonus].find((candidate) => candidate.id === stepId);
  if (!step) throw new Error(`fixture ${name} has no step ${stepId}`);
  change(step);
  return card;
}

// eslint-disable-next-line no-control-regex
export const ANSI_ESCAPE = /\u001b\[[0-9;]*m/g;
