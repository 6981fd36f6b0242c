// Gradescope autograder results.json: the total (bonus as extra credit) and one test per step.
import { addPoints, toPoints, type Hundredths } from '../rubric/points.js';
import type { Scorecard, StepResult } from '../grade/scorecard.js';
import {
  allSteps,
  stepCauses,
  stepEvidence,
  stepHints,
  stepNotes,
  STATUS_WORDS,
  totalLine,
  type Reporter,
  type ReportOptions,
} from './steps.js';

export interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
}

export interface GradescopeResults {
  score: number;
  max_score: number;
  execution_time?: number;
  output: string;
  visibility: 'visible';
  stdout_visibility: 'visible' | 'hidden';
  tests: GradescopeTest[];
}

/** Back to the engine's exact hundredths, so the lab's and the bonus points add without float drift. */
const hundredths = (points: number): Hundredths => Math.round(points * 100);

function testOutput(step: StepResult): string {
  const lines = [`Status: ${STATUS_WORDS[step.status]}`];
  for (const cause of stepCauses(step)) lines.push(`Cause: ${cause}`);
  for (const line of stepEvidence(step)) lines.push(`Observed: ${line}`);
  for (const note of stepNotes(step)) lines.push(`Note: ${note}`);
  if (step.status !== 'pass' && step.status !== 'skip') {
    const label = step.status === 'manual' ? 'Review' : 'Hint';
    for (const hint of stepHints(step)) lines.push(`${label}: ${hint}`);
  }
  return lines.join('\n');
}

function test(step: StepResult): GradescopeTest {
  return {
    name: `${step.id} ${step.title}`,
    number: step.id,
    score: step.points.earned,
    max_score: step.points.max,
    // A step the profile makes not applicable asks nothing of the student, so it is not a failure.
    status: step.status === 'pass' || step.status === 'skip' ? 'passed' : 'failed',
    output: testOutput(step),
  };
}

export function gradescopeResults(scorecard: Scorecard, options: ReportOptions): GradescopeResults {
  return {
    score: toPoints(addPoints(hundredths(scorecard.total.earned), hundredths(scorecard.bonusPoints.earned))),
    max_score: scorecard.total.max,
    ...(options.executionTimeSeconds === undefined ? {} : { execution_time: Math.round(options.executionTimeSeconds) }),
    output: `${scorecard.lab}: ${totalLine(scorecard)} (profile ${scorecard.profile})`,
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests: allSteps(scorecard).map(test),
  };
}

export const gradescopeReporter: Reporter = {
  file: 'results.json',
  render: (scorecard, options) => `${JSON.stringify(gradescopeResults(scorecard, options), null, 2)}\n`,
};
