import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateProductResources } from '../../shapes/demo/generateDemoFarm';
import { PROJECT_ROOT } from '../../src/server/FmpServer';
import { getFreePort } from '../harness/freePort';
import type { TestMember } from '../harness/members';

/** The median of some numbers. */
export function median(values: number[]): number {
  const sorted = [ ...values ].sort((left, right): number => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 0 ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle];
}

/** Milliseconds each of `count` sequential calls of `action` took, after `warmup` untimed calls. */
export async function timeEach(count: number, action: () => Promise<void>, warmup = 20): Promise<number[]> {
  for (let index = 0; index < warmup; index += 1) {
    await action();
  }
  const times: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const start = process.hrtime.bigint();
    await action();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
}

/** An FMP server in its own process, so its memory can be read apart from the benchmark's. */
export interface ServerProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Resident memory of the server process, in MiB. */
  residentMiB: () => Promise<number>;
  stop: () => Promise<void>;
}

/** Starts `dist/src/server/main.js` on a free port with the given data folder. */
export async function startServerProcess(dataFolder: string): Promise<ServerProcess> {
  const port = await getFreePort();
  const child = spawn(process.execPath, [ join(PROJECT_ROOT, 'dist', 'src', 'server', 'main.js'),
    '--port', String(port), '--data', dataFolder, '--log-level', 'error' ], { stdio: [ 'ignore', 'pipe', 'inherit' ] });
  await new Promise<void>((resolve, reject): void => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Stop with Ctrl-C')) {
        resolve();
      }
    });
    child.once('exit', (code): void => reject(new Error(`server exited with ${code}`)));
  });
  return {
    baseUrl: `http://localhost:${port}/`,
    child,
    residentMiB: async(): Promise<number> => {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/u.exec(status)![1]) / 1024;
    },
    stop: async(): Promise<void> => new Promise((resolve): void => {
      child.once('exit', (): void => resolve());
      child.kill('SIGINT');
    }),
  };
}

/** Runs `task` over `items` with at most `parallel` at a time. */
export async function runPool<T>(items: T[], parallel: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: parallel }, async(): Promise<void> => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await task(item);
    }
  });
  await Promise.all(workers);
}

/** Formats a number with a fixed count of decimals. */
export function fixed(value: number, decimals = 2): string {
  return value.toFixed(decimals);
}

/** Writes `count` generated products into the member's catalog, `writers` PUTs at a time; returns the seconds it took. */
export async function writeGeneratedProducts(member: TestMember, count: number, writers: number): Promise<number> {
  const start = Date.now();
  await runPool(generateProductResources(member.pod, count), writers, async({ path, turtle }): Promise<void> => {
    const response = await member.fetch(`${member.pod}${path}`, { method: 'PUT', headers: { 'content-type': 'text/turtle' }, body: turtle });
    await response.arrayBuffer();
    if (!response.ok) {
      throw new Error(`PUT ${path} answered ${response.status}`);
    }
  });
  return (Date.now() - start) / 1000;
}
