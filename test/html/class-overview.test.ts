import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderClassOverview, scoreBins, tallySteps, type OverviewStudent } from '../../src/report/class-overview.js';
import { htmlReporter } from '../../src/report/html.js';
import { launchChromium, openFile, screenshot } from './browser.js';
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
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows the summary, the histogram, the per-step chart and a table linking each report, with no external request', async () => {
    const students = classOf();
    for (const student of students.filter((entry) => entry.scorecard)) {
      await mkdir(join(dir, student.id), { recursive: true });
      await writeFile(join(dir, student.id, 'report.html'), htmlReporter.render(student.scorecard!, {}));
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
    expect(await page.locator('table.students tr.error').innerText()).toContain('error: cannot read the snapshot s12.json (ENOENT)');
    expect(await page.locator('table.students td').nth(1).innerText()).toBe('Student <1>');
    await screenshot(page, 'class-overview');

    await page.locator('a[href="student-2/report.html"]').click();
    await page.waitForURL(/student-2\/report\.html$/);
    expect(await page.locator('#total').innerText()).toMatch(/ \/ 1\.75 points$/);
    expect(external).toEqual([]);
  });
});
