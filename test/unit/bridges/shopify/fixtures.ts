import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** `test/fixtures/shopify/`, whether the tests run from the source tree or from `dist/` (tsc copies no JSON fixtures). */
export const SHOPIFY_FIXTURES = [ resolve(__dirname, '..', '..', '..', 'fixtures', 'shopify'),
  resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'shopify') ]
  .find((dir): boolean => existsSync(join(dir, 'SOURCES.md'))) ?? '';

/** The raw text of a Shopify fixture (raw, so big ids can be read losslessly). */
export function readShopifyFixture(name: string): string {
  return readFileSync(join(SHOPIFY_FIXTURES, name), 'utf8');
}

/** Runs `action` and returns what it threw (fails when it throws nothing). */
export async function caught(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected an error');
}
