// JUnit XML as CI servers show it (GitLab, Jenkins, GitHub test-report actions): they show
// names, outcomes and messages but not properties, so the points are in every testcase's
// name, the total in the root's name and in a summary testcase. Valid against the strict
// Ant schema for every testsuite. Tested against the consumers' own code: GitLab shows an
// outcome element's body (never its message), dorny/test-reporter a skipped case's name only,
// Jenkins and mikepenz/action-junit-report split the classname at its last dot.
import type { Points, Scorecard, StepResult } from '../grade/scorecard.js';
import {
  allSteps,
  countStatuses,
  formatPoints,
  formatScore,
  integrityFlags,
  integrityHeadline,
  labElsewhereNotice,
  heldPoints,
  skipReason,
  statusText,
  statusTally,
  stepCauses,
  stepEvidence,
  stepGroups,
  stepHints,
  stepNotes,
  STATUS_WORDS,
  type Reporter,
  type StepGroup,
} from './steps.js';

/**
 * Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF):
 * they are replaced so one odd byte in an AWS message cannot make the whole report unreadable.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text content: the markup characters escaped, characters XML forbids replaced by U+FFFD. */
export function escapeXmlText(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values (always double-quoted here): also `"`, and whitespace as character references so parsers keep it. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`)
    .join('');
}

/** What was observed, then the notes: the rest of a failure or error element's body. */
function evidenceLines(step: StepResult): string[] {
  return [...stepEvidence(step).map((line) => `observed: ${line}`), ...stepNotes(step).map((note) => `note: ${note}`)];
}

/**
 * A failure, error or skipped element. GitLab shows only the body and Jenkins only the
 * message, so the body starts with what the message says, and a skipped element has one too.
 */
function outcomeElement(tag: 'failure' | 'error' | 'skipped', message: string, more: string[] = [], type?: string): string {
  const body = [message, ...more].join('\n');
  return `      <${tag}${attributes(type === undefined ? { message } : { message, type })}>${escapeXmlText(body)}</${tag}>\n`;
}

/** What a consumer shows for the step: nothing for a pass, else one failure, error or skipped element. */
function outcome(step: StepResult, profile: string): string {
  const hints = stepHints(step).join(' ');
  switch (step.status) {
    case 'pass':
      return '';
    case 'fail':
    case 'partial':
      return outcomeElement('failure', hints || STATUS_WORDS[step.status], evidenceLines(step), step.status);
    case 'error': {
      const causes = stepCauses(step).join(' ') || 'the grader could not read what this step needs';
      return outcomeElement('error', causes, [...(hints ? [hints] : []), ...evidenceLines(step)], 'error');
    }
    case 'skip':
      return outcomeElement('skipped', skipReason(step, profile));
    case 'manual':
      return outcomeElement('skipped', `${statusText(step)}; a person judges the rest: ${hints || 'review the evidence'}`);
    case 'unearned':
      return outcomeElement('skipped', `${STATUS_WORDS.unearned} (extra credit, not a failure)${hints ? `: ${hints}` : ''}`);
  }
}

/** Points earned and maximum as the `<properties>` block every testsuite has. */
function pointsProperties(points: Points): string {
  return (
    `    <properties>\n` +
    `      <property${attributes({ name: 'points.earned', value: formatPoints(points.earned) })}/>\n` +
    `      <property${attributes({ name: 'points.max', value: formatPoints(points.max) })}/>\n` +
    `    </properties>\n`
  );
}

interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** Partial and failed steps lost points: failures; manual, not applicable and an unearned bonus: skipped. */
function outcomeCounts(steps: StepResult[]): Tally {
  const counts = countStatuses(steps);
  return {
    tests: steps.length,
    failures: counts.fail + counts.partial,
    errors: counts.error,
    skipped: counts.skip + counts.manual + counts.unearned,
  };
}

/** Seconds with millisecond precision, as Ant writes them. */
const seconds = (milliseconds: number): string => (milliseconds / 1000).toFixed(3);

/** A step's time: the HTTP probes its checks judged, as the snapshot timed them; 0 when it judged none. */
function stepMilliseconds(step: StepResult): number {
  return step.checks.reduce((sum, check) => sum + (check.probeMs ?? 0), 0);
}

/**
 * The name every consumer shows: the step and its points, e.g. `1.4 Set up billing and cost
 * alerts [0.15/0.25]`; a skipped step says why in its name, the one place dorny/test-reporter
 * shows anything of a skipped case.
 */
export function testcaseName(step: StepResult, profile: string): string {
  const points = formatScore(step.points);
  const shown: Partial<Record<StepResult['status'], string>> = {
    skip: `${STATUS_WORDS.skip} with the ${profile} profile`,
    manual: `${points} so far, ${STATUS_WORDS.manual}`,
    unearned: `${points}, ${STATUS_WORDS.unearned}`,
  };
  return `${step.id} ${step.title} [${shown[step.status] ?? points}]`;
}

/**
 * The classname, which Jenkins splits at its last dot into package and class and
 * mikepenz/action-junit-report into an annotation's path: `lab-grader.4 Virtual Private Cloud
 * (VPC) configuration`, with no other dot.
 */
function classnameOf(group: StepGroup): string {
  const section = group.id === 'bonus' ? group.title : `${group.id} ${group.title}`;
  return `${PACKAGE}.${section.replace(/\./g, '\u00B7')}`;
}

const PACKAGE = 'lab-grader';

/** A testcase element: self-closing when it passed, else holding its one outcome. */
function testcase(classname: string, name: string, milliseconds: number, outcomeElement: string): string {
  const head = `    <testcase${attributes({ classname, name, time: seconds(milliseconds) })}`;
  return outcomeElement === '' ? `${head}/>\n` : `${head}>\n${outcomeElement}    </testcase>\n`;
}

/** The total as the root's name and the summary testcase show it. */
export function totalName(scorecard: Scorecard): string {
  const held = heldPoints(scorecard);
  const { total, bonusPoints } = held ?? scorecard;
  return `${scorecard.lab} [${held ? 'held for review, not counted: ' : ''}${formatScore(total)} points, bonus ${formatScore(bonusPoints)}]`;
}

interface SuiteContext {
  scorecard: Scorecard;
  id: number;
  /** Ant's timestamp: local time of the collection without a zone. */
  timestamp: string;
  hostname: string;
}

function testsuite(name: string, tally: Tally, milliseconds: number, points: Points, testcases: string, systemOut: string, context: SuiteContext): string {
  const header = attributes({
    name,
    package: PACKAGE,
    id: context.id,
    ...tally,
    time: seconds(milliseconds),
    timestamp: context.timestamp,
    hostname: context.hostname,
  });
  return (
    `  <testsuite${header}>\n${pointsProperties(points)}${testcases}` +
    `    <system-out>${escapeXmlText(systemOut)}</system-out>\n    <system-err></system-err>\n  </testsuite>\n`
  );
}

function groupSuite(group: StepGroup, context: SuiteContext): string {
  const { profile } = context.scorecard;
  const classname = classnameOf(group);
  const testcases = group.steps.map((step) => testcase(classname, testcaseName(step, profile), stepMilliseconds(step), outcome(step, profile))).join('');
  const milliseconds = group.steps.reduce((sum, step) => sum + stepMilliseconds(step), 0);
  const title = group.id === 'bonus' ? group.title : `${group.id}. ${group.title}`;
  return testsuite(`${title} [${formatScore(group.points)}]`, outcomeCounts(group.steps), milliseconds, group.points, testcases, '', context);
}

/**
 * One passing testcase whose name is the total, so consumers that list only testcases still
 * show it; with integrity flags, a second one that says so (failed when --integrity strict
 * withheld the points, else skipped), since GitLab and dorny read no suite-level output.
 */
function summarySuite(context: SuiteContext): string {
  const { scorecard } = context;
  const classname = `${PACKAGE}.Total`;
  const tally = statusTally(allSteps(scorecard)).join(', ');
  const held = heldPoints(scorecard);
  const shown = held ?? scorecard;
  const total = testcase(classname, `Total: ${held ? 'held for review, not counted: ' : ''}${formatScore(shown.total)} points, bonus ${formatScore(shown.bonusPoints)}`, 0, '');
  const headline = integrityHeadline(scorecard);
  const flags = integrityFlags(scorecard).flatMap((flag) => [`- ${flag.title}`, ...flag.evidence.map((line) => `    ${line}`)]);
  const elsewhere = labElsewhereNotice(scorecard);
  const summary = [
    `${totalName(scorecard)} (lab profile ${scorecard.profile}); steps: ${tally}`,
    ...(elsewhere === undefined ? [] : [`${elsewhere.headline} ${elsewhere.command}`]),
    ...(headline === undefined ? [] : [headline, ...flags]),
  ].join('\n');
  if (headline === undefined) return testsuite('Total', { tests: 1, failures: 0, errors: 0, skipped: 0 }, 0, scorecard.total, total, summary, context);
  const withheld = scorecard.integrity?.withheld !== undefined;
  const flagged = testcase(
    classname,
    headline,
    0,
    withheld ? outcomeElement('failure', headline, flags, 'integrity') : outcomeElement('skipped', headline, flags),
  );
  const counts = { tests: 2, failures: withheld ? 1 : 0, errors: 0, skipped: withheld ? 0 : 1 };
  return testsuite('Total', counts, 0, scorecard.total, total + flagged, summary, context);
}

function render(scorecard: Scorecard): string {
  const groups = stepGroups(scorecard);
  const base = {
    scorecard,
    timestamp: scorecard.subject.collectedAt.slice(0, 19),
    hostname: `${scorecard.subject.account}.${scorecard.subject.region}`,
  };
  const suites = [...groups.map((group, id) => groupSuite(group, { ...base, id })), summarySuite({ ...base, id: groups.length })];
  // The root has no counts: Ant's has none, Jenkins' has no `skipped`, and a root without
  // `skipped` makes parsers count skipped steps as passed; they add up the suites instead.
  const root = attributes({ name: totalName(scorecard), time: seconds(scorecard.collection.durationMs) });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${root}>\n${suites.join('')}</testsuites>\n`;
}

export const junitReporter: Reporter = { file: 'junit.xml', render };
