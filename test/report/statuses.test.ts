// One scorecard with every step status, graded by the real engine, and what every format
// shows for each step: a test fails as soon as one format disagrees with the others.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { defineCheck, fail, manual, pass, type CheckDefinition } from '../../src/check/define.js';
import { grade } from '../../src/grade/engine.js';
import type { Scorecard, StepStatus } from '../../src/grade/scorecard.js';
import { describeResult } from '../../src/probe/evidence.js';
import type { ClassroomResults } from '../../src/report/classroom.js';
import { stepOutcome } from '../../src/report/class-overview.js';
import type { GradescopeResults } from '../../src/report/gradescope.js';
import { renderReport } from '../../src/report/index.js';
import { parseRubric } from '../../src/rubric/load.js';
import { completeLabWith, denied, labParams } from '../support/fixtures.js';

const checks: CheckDefinition[] = [
  defineCheck({ id: 't.pass', title: 'holds', run: () => pass(['all good']) }),
  // Cites the first probe, so its step is timed by that probe's latency.
  defineCheck({ id: 't.probe', title: 'the app answers', run: (lab) => pass([describeResult(lab.snapshot.probes.results[0]!)]) }),
  defineCheck({ id: 't.fail', title: 'does not hold', run: () => fail('do the thing', ['thing not done']) }),
  defineCheck({ id: 't.review', title: 'a person judges', run: () => manual('look at the code', ['code is there']) }),
  defineCheck({ id: 't.nat', title: "reads the lab's NAT gateway", run: (lab) => (lab.natGateway ? pass(['NAT gateway found']) : fail('create it', ['no NAT gateway'])) }),
];

const rubric = parseRubric(
  stringify({
    version: 1,
    lab: 'Every status',
    params: labParams(),
    profiles: {
      own: { description: 'everything counts', default: true },
      short: { notApplicable: ['1.4'], maximum: 'reduce' },
    },
    sections: [
      {
        id: '1',
        title: 'Automatic',
        points: 1,
        steps: [
          { id: '1.1', title: 'passes', points: 0.25, checks: [{ check: 't.probe', points: 0.25 }] },
          { id: '1.2', title: 'partly', points: 0.25, checks: [{ check: 't.pass', points: 0.15 }, { check: 't.fail', points: 0.1 }] },
          { id: '1.3', title: 'fails', points: 0.25, checks: [{ check: 't.fail', points: 0.25 }] },
          { id: '1.4', title: 'not applicable', points: 0.25, checks: [{ check: 't.pass', points: 0.25 }] },
        ],
      },
      {
        id: '2',
        title: 'Judged',
        points: 1.25,
        steps: [
          { id: '2.1', title: 'half reviewed', points: 1, checks: [{ check: 't.pass', points: 0.5 }, { check: 't.review', points: 0.5 }] },
          { id: '2.2', title: 'unreadable', points: 0.25, checks: [{ check: 't.nat', points: 0.25 }] },
        ],
      },
    ],
    bonus: [{ id: 'bonus', title: 'extra', points: 1, checks: [{ check: 't.fail', points: 1 }] }],
  }),
  'every-status.yaml',
);

const card: Scorecard = grade({
  rubric,
  rubricFile: 'every-status.yaml',
  profile: 'short',
  snapshot: completeLabWith((snapshot) => {
    snapshot.facts.natGateways = denied('ec2:DescribeNatGateways');
  }),
  checks: new Map(checks.map((check) => [check.id, check])),
});

/** What each format shows for a step: its status as that consumer displays it, and its points. */
interface Shown {
  json: StepStatus;
  console: string;
  markdown: string;
  html: string;
  junit: string;
  gradescope: string;
  classroom: string;
  overview: string;
}

const EXPECTED: Record<string, { status: StepStatus; points: string; shown: Omit<Shown, 'json'> }> = {
  '1.1': { status: 'pass', points: '0.25/0.25', shown: { console: '✔', markdown: '✅ passed', html: 'passed', junit: 'passed', gradescope: 'passed', classroom: 'pass', overview: 'full' } },
  '1.2': { status: 'partial', points: '0.15/0.25', shown: { console: '◐', markdown: '🟡 partial', html: 'partial', junit: 'failure partial', gradescope: 'failed', classroom: 'fail', overview: 'partial' } },
  '1.3': { status: 'fail', points: '0.00/0.25', shown: { console: '✘', markdown: '❌ failed', html: 'failed', junit: 'failure fail', gradescope: 'failed', classroom: 'fail', overview: 'none' } },
  '1.4': { status: 'skip', points: '0.00/0.00', shown: { console: '–', markdown: '➖ not applicable', html: 'not applicable', junit: 'skipped', gradescope: 'passed', classroom: 'pass', overview: 'notApplicable' } },
  '2.1': {
    status: 'manual',
    points: '0.50/1.00',
    shown: {
      console: '?',
      markdown: '👀 manual review, 0.50/1.00 earned so far',
      html: 'manual review, 0.50/1.00 earned so far',
      junit: 'skipped',
      gradescope: 'passed',
      classroom: 'pass',
      overview: 'unjudged',
    },
  },
  '2.2': { status: 'error', points: '0.00/0.25', shown: { console: '!', markdown: '⚠️ error', html: 'error', junit: 'error error', gradescope: 'failed', classroom: 'error', overview: 'unjudged' } },
  bonus: { status: 'unearned', points: '0.00/1.00', shown: { console: '○', markdown: '⚪ bonus not earned', html: 'bonus not earned', junit: 'skipped', gradescope: 'passed', classroom: 'pass', overview: 'none' } },
};

const steps = [...card.sections.flatMap((section) => section.steps), ...card.bonus];
const consoleText = renderReport(card, 'console');
const markdown = renderReport(card, 'markdown');
const html = renderReport(card, 'html');
const junit = renderReport(card, 'junit');
const gradescope = JSON.parse(renderReport(card, 'gradescope')) as GradescopeResults;
const classroom = JSON.parse(Buffer.from(renderReport(card, 'classroom'), 'base64').toString('utf8')) as ClassroomResults;

function shown(id: string): Shown & { points: Record<string, string> } {
  const step = steps.find((candidate) => candidate.id === id)!;
  const consoleLine = consoleText.split('\n').find((line) => line.slice(4).startsWith(`${id} `))!;
  const markdownRow = markdown.split('\n').find((line) => line.startsWith(`| ${id} `))!.split(' | ');
  const htmlRow = new RegExp(`<tr class="step" id="step-${id}" data-status="(\\w+)">.*?<span class="badge[^>]*>([^<]*)</span></td><td class="num">([^<]*)</td>`).exec(html)!;
  const junitCase = new RegExp(`<testcase classname="[^"]*" name="${id} [^"]*\\[([^\\]]*)\\]" time="[^"]*"(/>|>\\n\\s*<(\\w+)(?:[^>]*? type="(\\w+)")?)`).exec(junit)!;
  const gradescopeTest = gradescope.tests.find((test) => test.number === id)!;
  const classroomTest = classroom.tests.find((test) => test.name.startsWith(`${id} `))!;
  const money = (earned: number, max: number) => `${earned.toFixed(2)}/${max.toFixed(2)}`;
  return {
    json: step.status,
    console: consoleLine.trim()[0]!,
    markdown: markdownRow[1]!,
    html: htmlRow[1] === step.status ? htmlRow[2]! : `data-status ${htmlRow[1]}`,
    junit: junitCase[2] === '/>' ? 'passed' : [junitCase[3], junitCase[4]].filter(Boolean).join(' '),
    gradescope: gradescopeTest.status,
    classroom: classroomTest.status,
    overview: stepOutcome(step),
    points: {
      json: money(step.points.earned, step.points.max),
      console: consoleLine.trim().split(/\s+/).at(-1)!,
      markdown: markdownRow[2]!,
      html: htmlRow[3]!,
      junit: /\d+\.\d\d\/\d+\.\d\d/.exec(junitCase[1]!)?.[0] ?? '0.00/0.00',
      // Gradescope and Classroom count a step not applicable as earned, out of its rubric points.
      gradescope: step.status === 'skip' ? money(gradescopeTest.score - 0.25, gradescopeTest.max_score - 0.25) : money(gradescopeTest.score, gradescopeTest.max_score),
      classroom: step.status === 'skip' ? money(classroomTest.score - 0.25, classroomTest.max_score - 0.25) : money(classroomTest.score, classroomTest.max_score),
    },
  };
}

describe('every status in every format', () => {
  it('the engine gives the scorecard every status once', () => {
    expect(steps.map((step) => [step.id, step.status])).toEqual(Object.entries(EXPECTED).map(([id, row]) => [id, row.status]));
  });

  it.each(Object.entries(EXPECTED))('step %s shows as the same status and points in every format', (id, row) => {
    const { points, ...statuses } = shown(id);
    expect(statuses).toEqual({ json: row.status, ...row.shown });
    expect(Object.values(points)).toEqual(Object.values(points).map(() => row.points));
  });

  it('the reports agree on the total and on what needs a person', () => {
    expect(card.total).toEqual({ earned: 0.9, max: 2 });
    expect(consoleText).toContain('Total 0.90 / 2.00   Bonus 0.00 / 1.00');
    expect(markdown).toContain('**0.90 / 2.00 points, bonus 0.00 / 1.00**');
    expect(html).toContain('<p class="total" id="total">0.90 / 2.00 points</p>');
    expect(junit).toContain('<testsuites name="Every status [0.90/2.00 points, bonus 0.00/1.00]"');
    // Gradescope and Classroom: out of the rubric's 2.25, 1.4's 0.25 counted as earned.
    expect(gradescope.score).toBe(1.15);
    expect(gradescope.tests.reduce((sum, test) => sum + (test.number === 'bonus' ? 0 : Math.round(test.max_score * 100)), 0) / 100).toBe(2.25);
    expect(classroom.max_score).toBe(2.25);
    expect(consoleText).toContain('manual review, 0.50/1.00 earned so far; a person judges the rest');
    expect(junit).toContain(
      '<skipped message="manual review, 0.50/1.00 earned so far; a person judges the rest: look at the code">manual review, 0.50/1.00 earned so far; a person judges the rest: look at the code</skipped>',
    );
    expect(classroom.tests.find((test) => test.name.startsWith('2.1 '))?.message).toContain('manual review, 0.50/1.00 earned so far');
    expect(gradescope.tests.find((test) => test.number === '2.1')?.name).toBe('2.1 half reviewed (manual review)');
  });

  it('times the step whose check cites a probe by that probe, in the scorecard and the JUnit report', () => {
    const probe = card.sections[0]!.steps[0]!.checks[0]!.probeMs;
    expect(probe).toBeGreaterThan(0);
    expect(junit).toContain(`name="1.1 passes [0.25/0.25]" time="${(probe! / 1000).toFixed(3)}"`);
    expect(card.sections[0]!.steps[1]!.checks.every((check) => check.probeMs === undefined)).toBe(true);
  });
});
