import { strict as assert } from 'node:assert';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.FMP_CHROMIUM ?? '/usr/bin/chromium';
/** Where browser tests save their screenshots (test-artifacts/screenshots/). */
export const ARTIFACTS = join(__dirname, '..', '..', '..', 'test-artifacts', 'screenshots');
/** The widths every page is photographed at. */
export const WIDTHS = { phone: 390, desktop: 1280 } as const;

interface AxeResult { violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }

/** Debian's Chromium, headless, as the browser tests run it. */
export async function launchChromium(): Promise<Browser> {
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: [ '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run' ]});
}

let axeSource: Promise<string> | undefined;

/** Runs axe-core in the page (through the DevTools protocol, so the page's CSP needs no exception); fails on serious or critical violations. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(await axeSource);
  const result = await page.evaluate(async(): Promise<AxeResult> =>
    (globalThis as unknown as { axe: { run: (options: object) => Promise<AxeResult> } }).axe.run({ resultTypes: [ 'violations' ]}));
  const bad = result.violations.filter((violation): boolean => violation.impact === 'serious' || violation.impact === 'critical');
  assert.deepEqual(bad.map((violation): string => `${violation.id}: ${violation.help} (${JSON.stringify(violation.nodes.map((node): unknown => node.target))})`),
    [], `${label}: serious or critical accessibility violations`);
}

/** Screenshots at phone and desktop width, after the accessibility check. */
export async function capture(page: Page, label: string): Promise<void> {
  await expectAccessible(page, label);
  for (const [ device, width ] of Object.entries(WIDTHS)) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(ARTIFACTS, `${label}-${device}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: WIDTHS.desktop, height: 900 });
}
