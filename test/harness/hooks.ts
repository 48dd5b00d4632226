import type { Context } from 'mocha';
import { stopSharedServer } from './servers';

const tally = { passed: 0, failed: 0, skipped: 0 };

/** Root hooks: count outcomes for the closing line CI reads. */
export const mochaHooks = {
  afterEach(this: Context): void {
    const state = this.currentTest?.state;
    if (state === 'passed') {
      tally.passed += 1;
    } else if (state === 'failed') {
      tally.failed += 1;
    } else {
      tally.skipped += 1;
    }
  },
};

/** Mocha global teardown: stop the FMP the suites shared and print the plain closing line. */
export async function mochaGlobalTeardown(): Promise<void> {
  await stopSharedServer();
  process.stdout.write(`${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped\n`);
}
