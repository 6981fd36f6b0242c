// GitHub Classroom: the base64 JSON payload classroom-resources/autograding-grading-reporter
// reads from `<RUNNER-ID>_RESULTS`, the same shape its graders (autograding-command-grader...)
// write to their `result` output. Points out of the same fixed total as Gradescope.
import type { Scorecard, StepResult } from '../grade/scorecard.js';
import {
  allSteps,
  fixedPoints,
  fixedTotal,
  integrityHeadline,
  skipReason,
  statusText,
  stepCauses,
  stepHints,
  STATUS_WORDS,
  type Reporter,
  type ReportOptions,
} from './steps.js';

/** The grading reporter knows three outcomes; anything else would print as a failure. */
export type ClassroomStatus = 'pass' | 'fail' | 'error';

export interface ClassroomTest {
  name: string;
  status: ClassroomStatus;
  score: number;
  max_score: number;
  message: string;
  /** Printed under "Test code:" by the reporter: the lab-grader checks that graded the step. */
  test_code: string;
}

export interface ClassroomResults {
  version: 1;
  status: ClassroomStatus;
  max_score: number;
  tests: ClassroomTest[];
}

/** Only a step that lost points fails the run; a bonus not earned, a step not applicable or waiting for a person does not. */
const STATUS: Record<StepResult['status'], ClassroomStatus> = {
  pass: 'pass',
  partial: 'fail',
  fail: 'fail',
  error: 'error',
  manual: 'pass',
  skip: 'pass',
  unearned: 'pass',
};

function message(step: StepResult, profile: string): string {
  switch (step.status) {
    case 'pass':
      return STATUS_WORDS.pass;
    case 'skip':
      return `${skipReason(step, profile)}: counted as earned, so every profile has the same total`;
    case 'error':
      return [...stepCauses(step), ...stepHints(step)].join(' ');
    case 'manual':
      return `${statusText(step)}; a person judges the rest: ${stepHints(step).join(' ')}`;
    case 'unearned':
      return `${STATUS_WORDS.unearned} (extra credit): ${stepHints(step).join(' ')}`;
    case 'partial':
    case 'fail':
      return `${statusText(step)}: ${stepHints(step).join(' ')}`;
  }
}

export function classroomResults(scorecard: Scorecard, options: ReportOptions): ClassroomResults {
  const manualPoints = options.manualPoints ?? 'include';
  // The reporter adds the tests' scores, so under --integrity strict each test scores 0 and says
  // why; under warn the points stand and the flags are left to the Markdown job summary.
  const withheld = scorecard.integrity?.withheld !== undefined;
  const headline = withheld ? integrityHeadline(scorecard) : undefined;
  const tests = allSteps(scorecard).map((step): ClassroomTest => {
    const points = fixedPoints(step, manualPoints);
    const said = message(step, scorecard.profile).trim();
    return {
      name: `${step.id} ${step.title}`,
      status: STATUS[step.status],
      score: withheld ? 0 : points.earned,
      max_score: points.max,
      message: headline === undefined ? said : `${headline} ${said}`,
      test_code: `lab-grader checks: ${step.checks.map((check) => check.id).join(', ')}`,
    };
  });
  const statuses = new Set(tests.map((test) => test.status));
  return {
    version: 1,
    status: statuses.has('fail') ? 'fail' : statuses.has('error') ? 'error' : 'pass',
    max_score: fixedTotal(scorecard, manualPoints).max,
    tests,
  };
}

export const classroomReporter: Reporter = {
  file: 'classroom.b64',
  // One line, no newline: the workflow hands it on as a step output.
  render: (scorecard, options) => Buffer.from(JSON.stringify(classroomResults(scorecard, options)), 'utf8').toString('base64'),
};
