import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FmpServer, FmpServerOptions } from '../../src/server/FmpServer';
import { startFmpServer } from '../../src/server/FmpServer';
import { getFreePort } from './freePort';

/** An FMP started for tests on a free loopback port with a temporary data folder. */
export interface TestServer extends FmpServer {
  port: number;
  /** Stops the server and deletes its data folder. */
  destroy: () => Promise<void>;
}

/** Server options a test may set beyond the port and data folder. */
export type TestServerOptions = Omit<FmpServerOptions, 'port' | 'dataFolder'>;

/** Starts an FMP on a free port; `dataFolder` defaults to a new temporary folder. */
export async function startTestServer(dataFolder?: string, port?: number, options: TestServerOptions = {}): Promise<TestServer> {
  const folder = dataFolder ?? await mkdtemp(join(tmpdir(), 'fmp-test-'));
  const freePort = port ?? await getFreePort();
  const server = await startFmpServer({ logLevel: 'error', ...options, port: freePort, dataFolder: folder });
  return {
    ...server,
    port: freePort,
    destroy: async(): Promise<void> => {
      await server.stop();
      // Requests cut off by the stop may still release their lock files for a moment.
      await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}

let shared: Promise<TestServer> | undefined;

/**
 * Test-only rate limits of the shared FMP: every suite signs members up, logs in, makes grants and posts to inboxes
 * from 127.0.0.1, far more often than the defaults allow one address (30 sign-ups an hour, 100 logins in 15
 * minutes, 600 consent writes and inbox posts an hour). The failed-login wait keeps its default. Servers started
 * with {@link startTestServer} keep every default unless a test sets one; `rateLimits.test.ts` tests the limits.
 */
export const SHARED_SERVER_RATE_LIMITS: TestServerOptions = {
  rateLimitSignups: '100000/1h',
  rateLimitLogins: '100000/15m',
  rateLimitConsent: '100000/1h',
  rateLimitInbox: '100000/1h',
};

/** The one FMP shared by every suite of a test run (CSS takes seconds to start). */
export async function getSharedServer(): Promise<TestServer> {
  shared ??= startTestServer(undefined, undefined, SHARED_SERVER_RATE_LIMITS);
  return shared;
}

/** Stops the shared FMP, if a suite started it. */
export async function stopSharedServer(): Promise<void> {
  if (shared) {
    await (await shared).destroy();
    shared = undefined;
  }
}
