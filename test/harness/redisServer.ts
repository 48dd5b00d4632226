import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisConnection } from '../../pod-server/cluster/RedisConnection';
import { getFreePort } from './freePort';

/** A `redis-server` (Debian's package, installed by `.ci/run`) started by a test on loopback. */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>`, as `--redis` takes it. */
  url: string;
  port: number;
  stop: () => Promise<void>;
}

const REDIS_BINARY = process.env.FMP_TEST_REDIS_SERVER ?? 'redis-server';

/** Resolves once something accepts TCP connections on the port, or rejects after `timeoutMs`. */
async function waitForPort(port: number, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`redis-server exited with code ${child.exitCode} before it listened on ${port}`);
    }
    const open = await new Promise<boolean>((resolve): void => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', (): void => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', (): void => resolve(false));
    });
    if (open) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`redis-server did not listen on ${port} within ${timeoutMs} ms`);
    }
    await new Promise((resolve): NodeJS.Timeout => setTimeout(resolve, 50));
  }
}

/**
 * Starts `redis-server` on a free loopback port with a temporary folder, without persistence (a test's Redis holds
 * only what the test does), and stops it with `stop()`.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const port = await getFreePort();
  const folder = await mkdtemp(join(tmpdir(), 'fmp-redis-'));
  const child = spawn(REDIS_BINARY, [ '--port', String(port), '--bind', '127.0.0.1', '--dir', folder, '--save', '',
    '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'warning' ], { stdio: [ 'ignore', 'ignore', 'pipe' ]});
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer): void => {
    errors += chunk.toString();
  });
  const spawned = new Promise<void>((resolve, reject): void => {
    child.once('spawn', resolve);
    child.once('error', (error: Error): void => reject(new Error(`cannot start ${REDIS_BINARY} (apt-get install redis-server): ` +
      `${error.message}`)));
  });
  await spawned;
  try {
    await waitForPort(port, 10_000, child);
  } catch (error: unknown) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}${errors ? `: ${errors.trim()}` : ''}`);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async(): Promise<void> => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve): ChildProcess => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** What a suite using {@link useTestRedis} gets: connections to its Redis, as FMP processes would open them. */
export interface SuiteRedis {
  /** The Redis URL, once the suite's `before` ran. */
  readonly url: string;
  /** One FMP process's connection (closed after each test, when the test's data is wiped). */
  connect: (baseUrl?: string) => RedisConnection;
}

/**
 * Gives the calling mocha suite a Redis of its own: started before its tests, emptied and its connections closed
 * after each test, stopped after the suite.
 */
export function useTestRedis(defaultBaseUrl = 'http://localhost/'): SuiteRedis {
  let redis: TestRedis | undefined;
  const connections: RedisConnection[] = [];
  before(async(): Promise<void> => {
    redis = await startTestRedis();
  });
  afterEach(async(): Promise<void> => {
    await Promise.all(connections.splice(0).map(async(connection): Promise<void> => connection.close()));
    const cleaner = new RedisConnection(redis!.url, defaultBaseUrl);
    await cleaner.client.flushall();
    await cleaner.close();
  });
  after(async(): Promise<void> => {
    await redis?.stop();
  });
  return {
    get url(): string {
      return redis!.url;
    },
    connect: (baseUrl = defaultBaseUrl): RedisConnection => {
      const connection = new RedisConnection(redis!.url, baseUrl);
      connections.push(connection);
      return connection;
    },
  };
}
