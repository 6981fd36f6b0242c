import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderClassOverview, scoreBins, studentStatus, tallySteps, type OverviewStudent } from '../../src/report/class-overview.js';
import type { Scorecard, StepResult } from '../../src/grade/scorecard.js';
import { htmlReporter } from '../../src/report/html.js';
import { withIntegrity } from '../../src/integrity/apply.js';
import { LAUNCH_TIMEOUT_MS, launchChromium, openFile, screenshot } from './browser.js';
import { sampleScorecard } from './sample-scorecard.js';

const STEPS = [
  { id: '1.1', title: 'Enable MFA for the root account' },
  { id: '1.2', title: 'Create an admin IAM group and user' },
  { id: '1.3', title: 'Connect to AWS using the CLI' },
  { id: '1.4', title: 'Set up billing and cost alerts' },
  { id: '2.1', title: 'Create a private S3 bucket' },
  { id: '2.3', title: 'Integrate S3 into the ML workflow' },
  { id: 'bonus', title: 'A CloudWatch alarm on the lab' },
];

/** 12 students: earned points on 1.1, 1.2, 2.1 and the bonus vary; one could not be graded. */
function classOf(): OverviewStudent[] {
  const students: OverviewStudent[] = [];
  for (let index = 0; index < 11; index += 1) {
    const earned = [index % 3 === 0 ? 0 : 0.25, [0, 0.1, 0.25][index % 3]!, index < 6 ? 0.5 : 0.25, index % 4 === 0 ? 1 : 0];
    students.push({ id: `student-${index + 1}`, name: `Student <${index + 1}>`, scorecard: sampleScorecard({ earned }), reportHref: `student-${index + 1}/report.html` });
  }
  students.push({ id: 'student-12', error: 'cannot read the snapshot s12.json (ENOENT): check the path' });
  return students;
}

describe('class overview (numbers)', () => {
  it('counts, per step, full, partial, none and not applicable', () => {
    const cards = classOf().flatMap((student) => (student.scorecard ? [student.scorecard] : []));
    const byId = Object.fromEntries(tallySteps(STEPS, cards).map((tally) => [tally.step.id, tally.counts]));
    expect(byId['1.1']).toEqual({ full: 7, partial: 0, none: 4, unjudged: 0, notApplicable: 0 });
    expect(byId['1.2']).toEqual({ full: 3, partial: 4, none: 4, unjudged: 0, notApplicable: 0 });
    // 1.3 is an error and 2.3 waits for a person: neither is a miss.
    expect(byId['1.3']).toEqual({ full: 0, partial: 0, none: 0, unjudged: 11, notApplicable: 0 });
    expect(byId['2.3']).toEqual({ full: 0, partial: 0, none: 0, unjudged: 11, notApplicable: 0 });
    expect(byId['1.4']).toEqual({ full: 0, partial: 0, none: 0, unjudged: 0, notApplicable: 11 });
    expect(byId['2.1']).toEqual({ full: 6, partial: 5, none: 0, unjudged: 0, notApplicable: 0 });
    expect(byId.bonus).toEqual({ full: 3, partial: 0, none: 8, unjudged: 0, notApplicable: 0 });
  });

  it('gives each student one status from the step statuses: flagged, could not grade, points missing, full marks', () => {
    /** The sample with 1.3 read and passed, and any other step changed. */
    const card = (earned: number[], changes: Record<string, Partial<StepResult>> = {}): Scorecard => {
      const sample = sampleScorecard({ earned });
      const change = (step: StepResult): StepResult => ({ ...step, ...(step.id === '1.3' ? { status: 'pass', points: { earned: 0.25, max: 0.25 } } : {}), ...changes[step.id] });
      return { ...sample, sections: sample.sections.map((section) => ({ ...section, steps: section.steps.map(change) })) };
    };
    const of = (scorecard: Scorecard): string => studentStatus({ id: 's', scorecard });
    // Every automatic point earned and 2.3 waiting for a person; the bonus not earned is no miss.
    expect(of(card([0.25, 0.25, 0.5, 0]))).toBe('full');
    expect(of(card([0.25, 0.1, 0.5, 1]))).toBe('missing');
    expect(of(card([0, 0.25, 0.5, 1]))).toBe('missing');
    // A manual step whose automatic part lost points is partial, so points are missing.
    expect(of(card([0.25, 0.25, 0.5, 0], { '2.3': { status: 'partial', points: { earned: 0.2, max: 0.5 } } }))).toBe('missing');
    // An unreadable step outweighs a miss: the grade is not known yet.
    expect(of(card([0, 0.25, 0.5, 0], { '1.3': { status: 'error', points: { earned: 0, max: 0.25 } } }))).toBe('ungraded');
    expect(studentStatus({ id: 's', error: 'cannot read the snapshot' })).toBe('ungraded');
    const flagged = withIntegrity(card([0.25, 0.25, 0.5, 0]), [{ kind: 'bundled-example', summary: 'the bundled example', evidence: ['vpc-0a1b'] }], 'warn');
    expect(of(flagged)).toBe('flagged');
  });

  it('bins totals by whole points up to the maximum, the top score in the last bin', () => {
    const bins = scoreBins([sampleScorecard({ earned: [0.25, 0.25, 0.5, 0] }), sampleScorecard({ earned: [0, 0, 0, 0] })]);
    // The sample's maximum is 1.75: two bins, 0-1 and 1-2.
    expect(bins).toEqual([
      { from: 0, to: 1, count: 1 },
      { from: 1, to: 2, count: 1 },
    ]);
  });
});

describe('class overview in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    browser = await launchChromium();
    dir = await mkdtemp(join(tmpdir(), 'lab-grader-overview-'));
  }, LAUNCH_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows the summary, the histogram, the per-step chart and a table linking each report, with no external request', async () => {
    const students = classOf();
    for (const student of students.filter((entry) => entry.scorecard)) {
      await mkdir(join(dir, student.id), { recursive: true });
      // classOf's students hold whole scorecards (sampleScorecard), as the overview accepts.
      await writeFile(join(dir, student.id, 'report.html'), htmlReporter.render(student.scorecard as Scorecard, {}));
    }
    const file = join(dir, 'index.html');
    await writeFile(file, renderClassOverview({ lab: 'Introduction to Cloud Computing for MLOps', steps: STEPS, students }));
    const { page, external } = await openFile(browser, file);

    expect(await page.title()).toBe('Introduction to Cloud Computing for MLOps: class overview (12 students)');
    expect(await page.locator('#class-summary').innerText()).toMatch(/^12 students · 11 graded · 1 could not be graded · mean \d\.\d\d · median \d\.\d\d$/);
    expect(await page.locator('#score-histogram rect.bin').count()).toBe(2);
    expect(await page.locator('#step-chart g.step-bar').count()).toBe(STEPS.length);
    const bonusFull = page.locator('#step-chart g.step-bar[data-step="bonus"] rect.outcome-full');
    expect(await bonusFull.locator('title').textContent()).toBe('bonus A CloudWatch alarm on the lab: 3 full points');
    // The chart is drawn, not only declared: the 1.4 bar (all not applicable) spans the plot.
    const box = await page.locator('#step-chart g.step-bar[data-step="1.4"] rect.outcome-notApplicable').boundingBox();
    expect(box?.width).toBeGreaterThan(300);

    expect(await page.locator('table.students tbody tr').count()).toBe(12);
    expect(await page.locator('table.students tr.error').innerText()).toContain('could not grade: cannot read the snapshot s12.json (ENOENT)');
    expect(await page.locator('table.students td').nth(1).innerText()).toBe('Student <1>');
    await screenshot(page, 'class-overview');

    await page.locator('a[href="student-2/report.html"]').click();
    await page.waitForURL(/student-2\/report\.html$/);
    expect(await page.locator('#total').innerText()).toMatch(/ \/ 1\.75 points$/);
    expect(external).toEqual([]);
  });

  it('lists who missed each step, linked to that step of their report; the table filters and sorts under the page\'s CSP', async () => {
    const students = classOf();
    const flag = { kind: 'shared-evidence' as const, summary: 'the same evidence as student-5', evidence: ['account 210987654321: also in student-5'], students: ['student-5'] };
    students[3] = { ...students[3]!, scorecard: withIntegrity(students[3]!.scorecard!, [flag], 'strict') };
    students[4] = { ...students[4]!, scorecard: withIntegrity(students[4]!.scorecard!, [{ ...flag, summary: 'the same evidence as student-4', students: ['student-4'] }], 'strict') };
    const file = join(dir, 'acting.html');
    await writeFile(file, renderClassOverview({ lab: 'Lab', steps: STEPS, students }));
    const { page, external } = await openFile(browser, file);
    const violations: string[] = [];
    page.on('console', (message) => violations.push(message.text()));

    // 1.1: students 1, 4, 7, 10 earned nothing; 1.2: students 2, 5, 8, 11 earned part.
    const missed11 = page.locator('#who-missed tr[data-step="1.1"] td:nth-child(3) a');
    expect(await missed11.allInnerTexts()).toEqual(['student-1', 'student-4', 'student-7', 'student-10']);
    expect(await missed11.first().getAttribute('href')).toBe('student-1/report.html#step-1.1');
    expect(await page.locator('#who-missed tr[data-step="1.2"] td:nth-child(4) a').allInnerTexts()).toEqual(['student-2', 'student-5', 'student-8', 'student-11']);
    expect(await page.locator('#who-missed tr[data-step="1.2"] td:nth-child(4) li').first().innerText()).toBe('student-2 0.10/0.25');
    // Nobody can miss a step that was not theirs (1.4) or not judged (1.3, 2.3).
    expect(await page.locator('#who-missed tr[data-step="1.4"], #who-missed tr[data-step="1.3"], #who-missed tr[data-step="2.3"]').count()).toBe(0);

    // Status says something; flagged students are named in the integrity section.
    const status = (id: string) => page.locator(`#students tr[data-student="${id}"] td:nth-child(5)`).innerText();
    expect(await status('student-4')).toBe('flagged: shared-evidence (with student-5) (held for review: not counted)');
    // Held totals are not grades yet: shown in their row, left out of the class's statistics.
    expect(await page.locator('#class-summary').innerText()).toMatch(/ · 2 flagged · 2 held for review · mean /);
    expect(await page.locator('#students tr[data-student="student-4"] td:nth-child(3)').innerText()).toMatch(/^held: \d\.\d\d \/ 1\.75$/);
    expect(await status('student-12')).toMatch(/^could not grade: /);
    // Every other student's 1.3 could not be read: their grade is not known yet, which is not points missing.
    expect(await status('student-1')).toBe('could not grade: 1.3 unreadable');
    expect(await page.locator('#students tr[data-status="ungraded"]').count()).toBe(10);
    expect(await page.locator('#students tr[data-status="full"], #students tr[data-status="missing"]').count()).toBe(0);
    expect(await page.locator('#integrity tr[data-flag="shared-evidence"] td:first-child').allInnerTexts()).toEqual(['student-4', 'student-5']);
    expect(await page.locator('#integrity').innerText()).toContain('account 210987654321: also in student-5');

    // The script ran (the CSP allows it by hash): controls shown, filters work.
    expect(await page.locator('#student-controls').isVisible()).toBe(true);
    const visible = () => page.locator('#students tbody tr:visible').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-student')));
    await page.selectOption('#filter-status', 'flagged');
    expect(await visible()).toEqual(['student-4', 'student-5']);
    expect(await page.locator('#shown').innerText()).toBe('2 of 12 shown');
    await page.selectOption('#filter-status', '');
    await page.selectOption('#filter-flag', 'shared-evidence');
    expect(await visible()).toEqual(['student-4', 'student-5']);
    await page.selectOption('#filter-flag', '');
    await page.fill('#filter-score', '0.5');
    const low = await visible();
    expect(low.length).toBeGreaterThan(0);
    for (const id of low) expect(Number(await page.locator(`#students tr[data-student="${id}"]`).getAttribute('data-score'))).toBeLessThanOrEqual(0.5);
    await page.fill('#filter-score', '');
    // Sorting by total: ascending, then descending.
    await page.locator('#students th[data-sort="score"] button').click();
    const ascending = await page.locator('#students tbody tr').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-score'))));
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(ascending[0]).toBe(-1);
    await page.locator('#students th[data-sort="score"] button').click();
    const descending = await page.locator('#students tbody tr').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-score'))));
    expect(descending).toEqual([...ascending].reverse());
    await screenshot(page, 'class-overview-filters');
    expect(violations.filter((text) => /Content Security Policy|Refused/.test(text))).toEqual([]);
    expect(external).toEqual([]);
  });

  it('works with script off: every student and every list shown, no dead controls', async () => {
    const file = join(dir, 'no-script.html');
    await writeFile(file, renderClassOverview({ lab: 'Lab', steps: STEPS, students: classOf() }));
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    expect(await page.locator('#student-controls').isVisible()).toBe(false);
    expect(await page.locator('#students tbody tr:visible').count()).toBe(12);
    expect(await page.locator('#who-missed tr[data-step="1.1"] a').count()).toBe(4);
    expect(await page.locator('#students th[data-sort] button').count()).toBe(0);
    await context.close();
  });

  it('allows exactly its own script by hash in the Content-Security-Policy', () => {
    const html = renderClassOverview({ lab: 'Lab', steps: STEPS, students: classOf() });
    const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
    const hash = createHash('sha256').update(script).digest('base64');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${hash}'"`);
    expect(html.match(/<script/g)).toHaveLength(1);
  });
});
