// Headless Chromium for the HTML tests: every request that is not the page's own file is
// recorded and refused, so a test can prove the page needs no network.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { packagedChromium } from './packaged-chromium.js';

const SCREENSHOTS = fileURLToPath(new URL('../../reports/test-screenshots/', import.meta.url));

/**
 * How long a suite's launch may take: the first launch on a machine unpacks the packaged
 * Chromium (8 s on an idle core, more with other test workers running), well over vitest's
 * 10 s default for a hook.
 */
export const LAUNCH_TIMEOUT_MS = 180_000;

/**
 * The Chromium the tests drive: `LAB_GRADER_CHROMIUM` when set (any Chromium or Chrome on
 * the machine), otherwise the one shipped inside the @sparticuz/chromium dev dependency,
 * so `npm ci && npm test` needs no root and no system package.
 */
export async function launchChromium(): Promise<Browser> {
  const override = process.env.LAB_GRADER_CHROMIUM;
  const { executablePath, env } = override ? { executablePath: override, env: {} } : await packagedChromium();
  return chromium.launch({
    executablePath,
    env: { ...process.env, ...env },
    args: [
      '--headless=shell',
      '--no-sandbox',
      '--no-zygote',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface OpenedPage {
  page: Page;
  /** Every request to anything but a local file, each refused. */
  external: string[];
}

export async function openFile(browser: Browser, file: string): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const external: string[] = [];
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    external.push(url);
    return route.abort('blockedbyclient');
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, external };
}

/** A full-page PNG under reports/test-screenshots/ (git-ignored); returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = `${SCREENSHOTS}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
  return path;
}
