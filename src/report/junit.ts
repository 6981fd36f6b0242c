// JUnit XML for CI servers: one testsuite per section (and one for the bonus), one testcase
// per step, the step's points as testcase properties, the hint in the failure message.
import type { Points, Scorecard, StepResult } from '../grade/scorecard.js';
import {
  countStatuses,
  allSteps,
  formatPoints,
  stepCauses,
  stepEvidence,
  stepGroups,
  stepHints,
  stepNotes,
  skipReason,
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

/** The body of a failure or error element: what was observed, then the notes. */
function evidenceBody(step: StepResult): string {
  const lines = [...stepEvidence(step).map((line) => `observed: ${line}`), ...stepNotes(step).map((note) => `note: ${note}`)];
  return lines.join('\n');
}

function outcome(step: StepResult, profile: string): string {
  const hints = stepHints(step).join(' ');
  switch (step.status) {
    case 'pass':
      return '';
    case 'fail':
    case 'partial': {
      const body = evidenceBody(step);
      return `      <failure${attributes({ message: hints || STATUS_WORDS[step.status], type: step.status })}>${escapeXmlText(body)}</failure>\n`;
    }
    case 'error': {
      const causes = stepCauses(step).join(' ');
      const body = [hints, evidenceBody(step)].filter(Boolean).join('\n');
      return `      <error${attributes({ message: causes || hints || 'the grader could not read what this step needs', type: 'error' })}>${escapeXmlText(body)}</error>\n`;
    }
    case 'skip':
      return `      <skipped${attributes({ message: skipReason(step, profile) })}/>\n`;
    case 'manual':
      return `      <skipped${attributes({ message: `manual review: ${hints || 'a person has to judge this step'}` })}/>\n`;
  }
}

/** Points earned and maximum as a `<properties>` block, indented to sit inside its element. */
function pointsProperties(points: Points, indent: string): string {
  return (
    `${indent}<properties>\n` +
    `${indent}  <property${attributes({ name: 'points.earned', value: formatPoints(points.earned) })}/>\n` +
    `${indent}  <property${attributes({ name: 'points.max', value: formatPoints(points.max) })}/>\n` +
    `${indent}</properties>\n`
  );
}

/** A partial step lost points, so CI shows it as failed; a manual one waits for a person, so it is skipped. */
function outcomeCounts(steps: StepResult[]): { tests: number; failures: number; errors: number; skipped: number } {
  const counts = countStatuses(steps);
  return { tests: steps.length, failures: counts.fail + counts.partial, errors: counts.error, skipped: counts.skip + counts.manual };
}

function testcase(step: StepResult, group: StepGroup, profile: string): string {
  return (
    `    <testcase${attributes({ classname: group.title, name: `${step.id} ${step.title}`, time: '0' })}>\n` +
    pointsProperties(step.points, '      ') +
    outcome(step, profile) +
    `    </testcase>\n`
  );
}

function testsuite(group: StepGroup, profile: string): string {
  const header = attributes({ name: group.title, ...outcomeCounts(group.steps), time: '0' });
  const testcases = group.steps.map((step) => testcase(step, group, profile)).join('');
  return `  <testsuite${header}>\n${pointsProperties(group.points, '    ')}${testcases}  </testsuite>\n`;
}

function render(scorecard: Scorecard): string {
  // No `skipped` on the root: the common schema does not have it there.
  const { skipped: _skipped, ...counts } = outcomeCounts(allSteps(scorecard));
  const root = attributes({ name: scorecard.lab, ...counts, time: '0' });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${root}>\n${stepGroups(scorecard).map((group) => testsuite(group, scorecard.profile)).join('')}</testsuites>\n`;
}

export const junitReporter: Reporter = { file: 'junit.xml', render };
