import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/server/FmpServer';
import { getFreePort } from './freePort';
import type { TestRedis } from './redisServer';
import type { RoundRobinProxy } from './roundRobinProxy';
import { startRoundRobinProxy } from './roundRobinProxy';

/** Several FMP processes on one data folder and one Redis, behind one public URL, as an operator would run them. */
export interface TestCluster {
  /** The one public base URL (the proxy's, or the cluster-mode server's). */
  baseUrl: string;
  dataFolder: string;
  /** The processes serving requests (for `--workers`, the workers). */
  pids: () => Promise<number[]>;
  /** The proxy holding the public URL: round-robin over separate processes, or in front of CSS's workers. */
  proxy: RoundRobinProxy;
  /** What the processes wrote to stderr, for a failing test's message. */
  logs: () => string;
  /** Stops everything and deletes the data folder. */
  destroy: () => Promise<void>;
}

/** How the test cluster runs: separate processes behind a proxy, or one server with CSS's workers. */
export type ClusterShape = { processes: number } | { workers: number };

const TEST_LIMITS = [ '--rate-limit-signups', '100000/1h', '--rate-limit-logins', '100000/15m', '--rate-limit-consent', '100000/1h',
  '--rate-limit-inbox', '100000/1h' ];

async function waitUntilServing(port: number, host: string, child: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`An FMP process exited with code ${child.exitCode} while starting: ${logs()}`);
    }
    const answer = await fetch(`http://127.0.0.1:${port}/.fmp/health`, { headers: { host }}).catch((): undefined => undefined);
    if (answer) {
      await answer.arrayBuffer();
      if (answer.ok) {
        return;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`An FMP process did not serve /.fmp/health within 120 s: ${logs()}`);
    }
    await new Promise((resolve): NodeJS.Timeout => setTimeout(resolve, 200));
  }
}

/**
 * Starts an FMP of several processes sharing a new temporary data folder and `redis`: `{ processes: n }` starts n
 * `fmp-server` processes on their own ports behind a round-robin proxy holding the public URL; `{ workers: n }` starts
 * one `fmp-server --workers n` behind the same proxy (one connection per request, which CSS's cluster hands to its
 * workers in turn). `extraArgs` go to every process.
 */
export async function startTestCluster(redis: TestRedis, shape: ClusterShape, extraArgs: string[] = []): Promise<TestCluster> {
  const dataFolder = await mkdtemp(join(tmpdir(), 'fmp-cluster-'));
  const publicPort = await getFreePort();
  const baseUrl = `http://localhost:${publicPort}/`;
  const host = `localhost:${publicPort}`;
  let output = '';
  const logs = (): string => output.slice(-4000);
  const children: ChildProcess[] = [];
  const startProcess = async(port: number, args: string[]): Promise<void> => {
    const child = spawn(process.execPath, [ join(PROJECT_ROOT, 'dist', 'src', 'server', 'main.js'), '--port', String(port),
      '--base-url', baseUrl, '--data', dataFolder, '--redis', redis.url, '--log-level', 'warn', '--no-bridges', ...TEST_LIMITS,
      ...args, ...extraArgs ], { stdio: [ 'ignore', 'ignore', 'pipe' ]});
    child.stderr!.on('data', (chunk: Buffer): void => {
      output += chunk.toString();
    });
    children.push(child);
    await waitUntilServing(port, host, child, logs);
  };
  let proxy: RoundRobinProxy;
  try {
    if ('processes' in shape) {
      const ports = await Promise.all(Array.from({ length: shape.processes }, async(): Promise<number> => getFreePort()));
      // One after the other: the first sets the data folder up (keys, operator token) before others join.
      for (const port of ports) {
        await startProcess(port, []);
      }
      proxy = await startRoundRobinProxy(ports, publicPort);
    } else {
      const port = await getFreePort();
      await startProcess(port, [ '--workers', String(shape.workers) ]);
      proxy = await startRoundRobinProxy([ port ], publicPort);
    }
  } catch (error: unknown) {
    for (const child of children) {
      child.kill('SIGKILL');
    }
    await rm(dataFolder, { recursive: true, force: true });
    throw error;
  }
  const pids = async(): Promise<number[]> => {
    if ('processes' in shape) {
      return children.filter((child): boolean => child.exitCode === null && child.signalCode === null)
        .map((child): number => child.pid!);
    }
    // CSS's workers are the children of the one process started.
    const { stdout } = await promisify(execFile)('pgrep', [ '-P', String(children[0].pid) ]).catch((): { stdout: string } =>
      ({ stdout: '' }));
    return stdout.split('\n').filter(Boolean).map(Number);
  };
  return {
    baseUrl,
    dataFolder,
    pids,
    proxy,
    logs,
    destroy: async(): Promise<void> => {
      await proxy.close();
      await Promise.all(children.map(async(child): Promise<void> => {
        if (child.exitCode !== null || child.signalCode !== null) {
          return;
        }
        const exited = new Promise((resolve): ChildProcess => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout((): boolean => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }));
      await rm(dataFolder, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}
