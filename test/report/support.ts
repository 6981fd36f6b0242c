// The reporter tests' scorecards, graded from the bundled examples by the real engine, so a
// reporter is tested on what the grader actually produces:
// - complete: examples/complete-lab.snapshot.json with the student's tests in examples/submission;
// - mixed: examples/mistakes.snapshot.json on the academy profile (not-applicable steps are
//   skipped), with its log events unreadable (an error) and the probe target overridden by a
//   person, so every step status shows.
import { fileURLToPath } from 'node:url';
import { checksById } from '../../checks/index.js';
import { grade } from '../../src/grade/engine.js';
import type { Scorecard } from '../../src/grade/scorecard.js';
import { loadRubric } from '../../src/rubric/load.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { scanSubmission } from '../../src/submission/scan.js';
import { denied, example } from '../support/fixtures.js';

export const FIXTURES = ['complete', 'mixed'] as const;
export type FixtureName = (typeof FIXTURES)[number];

const root = fileURLToPath(new URL('../../', import.meta.url));
const rubric = loadRubric(`${root}rubric.yaml`, 'rubric.yaml');
const submission = await scanSubmission(`${root}examples/submission`);

function mixedSnapshot(): Snapshot {
  const snapshot = example('mistakes');
  snapshot.probes.target = { url: 'http://127.0.0.1:8000', source: 'override' };
  for (const group of Object.keys(snapshot.facts.logEvents)) snapshot.facts.logEvents[group] = denied('logs:GetLogEvents');
  return snapshot;
}

const GRADED: Record<FixtureName, () => Scorecard> = {
  complete: () => grade({ rubric, rubricFile: 'rubric.yaml', snapshot: example('complete-lab'), submission, checks: checksById }),
  mixed: () => grade({ rubric, rubricFile: 'rubric.yaml', snapshot: mixedSnapshot(), profile: 'academy', checks: checksById }),
};

/** A fresh, mutable scorecard graded by the engine (the engine's own is frozen). */
export function scorecard(name: FixtureName): Scorecard {
  return structuredClone(GRADED[name]());
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
