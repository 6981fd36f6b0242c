import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml, htmlReporter } from '../../src/report/html.js';
import { LAUNCH_TIMEOUT_MS, launchChromium, openFile, screenshot } from './browser.js';
import { hostileHint, sampleScorecard } from './sample-scorecard.js';

describe('HTML report (text)', () => {
  const html = htmlReporter.render(sampleScorecard({ earned: [0.25, 0.1, 0.25, 0] }), {});

  it('escapes everything that came from the account', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html).not.toContain('<script');
    expect(html).toContain('Rename the bucket &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;retry&quot; &#39;now&#39;');
  });

  it('references nothing outside itself', () => {
    expect(html).not.toMatch(/<(script|link|img|iframe|object)\b/i);
    expect(html).not.toMatch(/url\(|@import|https?:\/\/(?!sentiment-app-alb)/i);
    expect(html).toContain(`default-src 'none'`);
  });

  it('is the same bytes for the same scorecard', () => {
    expect(htmlReporter.render(sampleScorecard({ earned: [0.25, 0.1, 0.25, 0] }), {})).toBe(html);
  });
});

describe('HTML report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    browser = await launchChromium();
    dir = await mkdtemp(join(tmpdir(), 'lab-grader-html-'));
  }, LAUNCH_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(process.env.LAB_GRADER_CHROMIUM !== undefined)('drives the Chromium shipped in @sparticuz/chromium, not one of the system', async () => {
    const require = createRequire(import.meta.url);
    const root = join(dirname(require.resolve('@sparticuz/chromium')), '..', '..');
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    // The package's major version is its Chromium's (147.0.0 ships Chromium 147); a distribution's differs.
    expect(browser.version().split('.')[0]).toBe(version.split('.')[0]);
  });

  it('shows the title, totals, step rows with evidence and hints, choices and cost, with no external request', async () => {
    const file = join(dir, 'report.html');
    await writeFile(file, htmlReporter.render(sampleScorecard({ earned: [0.25, 0.1, 0.25, 0] }), {}));
    const { page, external } = await openFile(browser, file);

    expect(await page.title()).toBe('Introduction to Cloud Computing for MLOps: 0.60 / 1.75 (123456789012)');
    expect(await page.locator('#total').innerText()).toBe('0.60 / 1.75 points');

    const bucketRow = page.locator('#step-2\\.1');
    expect(await bucketRow.getAttribute('data-status')).toBe('partial');
    expect(await bucketRow.locator('td.num').innerText()).toBe('0.25/0.50');
    // The hostile hint is shown as text, not run: no script element exists and the text is intact.
    expect(await bucketRow.locator('.hint').innerText()).toBe(`Hint: ${hostileHint}`);
    expect(await page.locator('script').count()).toBe(0);

    expect(await page.locator('#step-1\\.3 .cause').innerText()).toMatch(/^Cause: could not read userEvents/);
    expect(await page.locator('#step-1\\.4 .badge').innerText()).toBe('not applicable');
    expect(await page.locator('table.choices tbody tr').count()).toBe(2);
    expect(await page.locator('.cost').innerText()).toMatch(/\$0\.1363 per hour \(\$3\.27 per day\)[\s\S]*Tear down/);

    expect((await page.locator('body').boundingBox())?.height).toBeGreaterThan(600);
    await screenshot(page, 'student-report');
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(external).toEqual([]);
  });
});
