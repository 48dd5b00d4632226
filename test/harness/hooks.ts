import { stopSharedServer } from './servers';

/** Mocha global teardown: stop the FMP the suites shared. */
export async function mochaGlobalTeardown(): Promise<void> {
  await stopSharedServer();
}
