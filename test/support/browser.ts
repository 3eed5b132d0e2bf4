import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium (scripts/ensure-tools.sh installs it for `npm test` when we are root). */
export const CHROMIUM = process.env.KEYWARD_CHROMIUM ?? '/usr/bin/chromium';

export const hasChromium = (): boolean => existsSync(CHROMIUM);

/**
 * Headless, as root (no sandbox), with Chromium's own background traffic off: this machine has
 * no network beyond loopback, and those connections would only fail.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--disable-extensions',
    ],
  });
}

/** Screenshots go here (git-ignored), one per page and width, for people to look at. */
export const ARTIFACTS = resolve(__dirname, '../../test-artifacts/console');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
}

/** axe-core's serious and critical findings on the page as it is now (WCAG 2.1 A and AA). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ` +
        violation.nodes.map((node) => node.target.join(' ')).join(', '),
    );
}

/** The two widths every page is checked and pictured at. */
export const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

/** Waits until one element of `locator` contains `text`; fails with what they do show. */
export async function shows(locator: Locator, text: string | RegExp, timeout = 10_000) {
  try {
    await locator.filter({ hasText: text }).first().waitFor({ timeout });
  } catch {
    const seen = await locator.allTextContents();
    throw new Error(
      `expected ${String(locator)} to show ${String(text)}; it shows ${JSON.stringify(seen)}`,
    );
  }
}

/** Waits until `locator` matches exactly `n` elements; fails with the last count. */
export async function hasCount(locator: Locator, n: number, timeout = 10_000): Promise<void> {
  const until = Date.now() + timeout;
  let seen = await locator.count();
  while (seen !== n && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    seen = await locator.count();
  }
  expect({ locator: String(locator), count: seen }).toEqual({ locator: String(locator), count: n });
}
