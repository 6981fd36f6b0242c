// GitHub Classroom: the base64 JSON payload classroom-resources/autograding-grading-reporter
// reads from `<RUNNER-ID>_RESULTS`, the same shape its graders (autograding-command-grader...)
// write to their `result` output. Points out of the same fixed total as Gradescope.
//
// Shaped for what the reporter's own code prints: a test's name and `test_code` for every
// test, its `message` only for an error (in place of the name), " - line N" unless `line_no`
// is 0; the gradebook gets "Points <sum of scores>/<max_score>", added as floating-point
// numbers. Its "Total points" line counts tests passed, not points, so a last test says which
// number is the grade.
import type { Points, Scorecard, StepResult } from '../grade/scorecard.js';
import {
  allSteps,
  fixedPoints,
  fixedTotal,
  formatPoints,
  formatScore,
  hundredths,
  integrityFlags,
  integrityHeadline,
  labElsewhereNotice,
  reviewShare,
  skipReason,
  statusText,
  stepCauses,
  stepEvidence,
  stepHints,
  stepNotes,
  STATUS_WORDS,
  type ManualPoints,
  type Reporter,
  type ReportOptions,
} from './steps.js';

/** The grading reporter knows three outcomes; anything else would print as a failure. */
export type ClassroomStatus = 'pass' | 'fail' | 'error';

export interface ClassroomTest {
  /** Printed after ✅ or ❌: the step and its points. */
  name: string;
  status: ClassroomStatus;
  score: number;
  max_score: number;
  /** Printed only for an error, as "Error: <message>" in place of the name, so it starts with the name. */
  message: string;
  /** Printed under "Test code:" after every test when not empty: what a miss needs, and what was observed. */
  test_code: string;
  /** 0: the reporter prints " - line <line_no>" after a test's name otherwise ("- line undefined" when absent). */
  line_no: 0;
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

/**
 * The reporter prints to the job log, where a line starting with `::` is a workflow command:
 * every printed line starts with our own words, so text from the account never starts one.
 */
const oneLine = (text: string): string => text.replace(/\s*(\r\n|\r|\n)\s*/g, ' ').trim();

/** The step's points as the gradebook counts them, and why a step that is not a plain pass or miss shows so. */
function testName(step: StepResult, manualPoints: ManualPoints): string {
  const points = formatScore(fixedPoints(step, manualPoints));
  const why: Partial<Record<StepResult['status'], string>> = {
    skip: `${STATUS_WORDS.skip}: counted as earned`,
    manual: `so far: ${STATUS_WORDS.manual}`,
    unearned: `${STATUS_WORDS.unearned}: extra credit`,
  };
  const said = why[step.status];
  return `${step.id} ${step.title} [${points}${said === undefined ? '' : `, ${said}`}]`;
}

/** The lines printed under the test: nothing for a pass, else what to do and what was seen. */
function testCode(step: StepResult, profile: string, manualPoints: ManualPoints): string {
  const lines: string[] = [];
  const hints = stepHints(step);
  switch (step.status) {
    case 'pass':
      return '';
    case 'skip':
      // The reason is the checks' hint or note: nothing else to add.
      return oneLine(`Counted as earned: ${skipReason(step, profile)}; every profile is graded out of the same total.`);
    case 'manual': {
      const share = formatPoints(reviewShare(step));
      lines.push(
        manualPoints === 'exclude'
          ? `Manual review: ${share} points of this step are graded by a person outside this workflow.`
          : `Manual review: ${share} points of this step wait for a person; they are not awarded yet.`,
      );
      lines.push(...hints.map((hint) => `Review: ${hint}`));
      break;
    }
    case 'unearned':
      lines.push(`Bonus not earned (extra credit, not a failure)${hints.length > 0 ? `: ${hints.join(' ')}` : '.'}`);
      break;
    case 'error':
    case 'partial':
    case 'fail':
      lines.push(...hints.map((hint) => `Hint: ${hint}`));
      break;
  }
  lines.push(...stepEvidence(step).map((line) => `Observed: ${line}`), ...stepNotes(step).map((note) => `Note: ${note}`));
  return lines.map(oneLine).join('\n');
}

/** What the reporter prints for an error, in place of the name: the step, then why it could not be graded. */
function message(step: StepResult, profile: string, manualPoints: ManualPoints): string {
  const hints = stepHints(step).join(' ');
  switch (step.status) {
    case 'error': {
      const causes = stepCauses(step).join(' ') || 'the grader could not read what this step needs';
      return oneLine(`${testName(step, manualPoints)}: ${causes}`);
    }
    case 'pass':
      return STATUS_WORDS.pass;
    case 'skip':
      return oneLine(`${skipReason(step, profile)}: counted as earned, so every profile has the same total`);
    case 'manual':
      return oneLine(`${statusText(step)}; a person judges the rest: ${hints}`);
    case 'unearned':
      return oneLine(`${STATUS_WORDS.unearned} (extra credit): ${hints}`);
    case 'partial':
    case 'fail':
      return oneLine(`${statusText(step)}: ${hints}`);
  }
}

/**
 * The last test: the grade as the gradebook receives it, and which of the reporter's own lines
 * is not the grade. Its score is what the floating-point sum of the steps' scores lacks to
 * equal the grade exactly (0, or a rounding residue near 1e-15), so the gradebook gets
 * "Points 8.54/10", never "Points 8.540000000000001/10".
 */
function gradeTest(scorecard: Scorecard, steps: ClassroomTest[], total: Points, grade: number): ClassroomTest {
  // Added as the reporter adds them: in order, from 0.
  let sum = 0;
  for (const test of steps) sum += test.score;
  const withheld = scorecard.integrity?.withheld !== undefined;
  const headline = integrityHeadline(scorecard);
  const elsewhere = labElsewhereNotice(scorecard);
  const lab = withheld ? { ...total, earned: 0 } : total;
  const bonus = withheld ? { ...scorecard.bonusPoints, earned: 0 } : scorecard.bonusPoints;
  const said = oneLine(`Grade: Points ${grade}/${total.max} (lab ${formatScore(lab)}, bonus ${formatScore(bonus)})${headline === undefined ? '' : `. ${headline}`}`);
  // The reporter's "Total points" for the runner: tests passed ÷ tests × max_score, this one included.
  const tests = steps.length + 1;
  const passed = steps.filter((test) => test.status === 'pass').length + (withheld ? 0 : 1);
  return {
    name: said,
    status: withheld ? 'fail' : 'pass',
    // Exact: the sum is within a factor of two of the grade, so their difference is a double (Sterbenz).
    score: grade - sum,
    max_score: 0,
    message: said,
    test_code: [
      ...(elsewhere === undefined ? [] : [`${elsewhere.headline} ${elsewhere.command}`]),
      `This is the grade GitHub Classroom records: Points ${grade}/${total.max}.`,
      `The reporter's "Total points" line and "Test Score" count tests passed (${passed} of ${tests}) × ${total.max} = ${((passed / tests) * total.max).toFixed(2)}, not points.`,
      ...integrityFlags(scorecard).flatMap((flag) => [`Flag: ${oneLine(flag.title)}`, ...flag.evidence.map((line) => `  - ${oneLine(line)}`)]),
    ].join('\n'),
    line_no: 0,
  };
}

export function classroomResults(scorecard: Scorecard, options: ReportOptions): ClassroomResults {
  const manualPoints = options.manualPoints ?? 'include';
  // The reporter adds the tests' scores, so under --integrity strict each step scores 0 and the
  // grade test says why (and fails the run); under warn the points stand and it names the flags.
  const withheld = scorecard.integrity?.withheld !== undefined;
  const steps = allSteps(scorecard).map((step): ClassroomTest => {
    const points = fixedPoints(step, manualPoints);
    return {
      name: testName(step, manualPoints),
      status: STATUS[step.status],
      score: withheld ? 0 : points.earned,
      max_score: points.max,
      message: message(step, scorecard.profile, manualPoints),
      test_code: testCode(step, scorecard.profile, manualPoints),
      line_no: 0,
    };
  });
  const total = fixedTotal(scorecard, manualPoints);
  const grade = withheld ? 0 : (hundredths(total.earned) + hundredths(scorecard.bonusPoints.earned)) / 100;
  const tests = [...steps, gradeTest(scorecard, steps, total, grade)];
  const statuses = new Set(tests.map((test) => test.status));
  return {
    version: 1,
    status: statuses.has('fail') ? 'fail' : statuses.has('error') ? 'error' : 'pass',
    max_score: total.max,
    tests,
  };
}

export const classroomReporter: Reporter = {
  file: 'classroom.b64',
  // One line, no newline: the workflow hands it on as a step output.
  render: (scorecard, options) => Buffer.from(JSON.stringify(classroomResults(scorecard, options)), 'utf8').toString('base64'),
};
