import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArchiveManifest } from '../../pod-server/portability/archiveFormat';
import { DUMP_ENTRY, MANIFEST_ENTRY, resourceEntryName } from '../../pod-server/portability/archiveFormat';
import { generateProductResources } from '../../shapes/demo/generateDemoFarm';
import { PortabilityApi } from '../../src/client/PortabilityApi';
import { PROJECT_ROOT } from '../../src/server/FmpServer';
import { getFreePort } from '../harness/freePort';
import type { TestMember } from '../harness/members';
import type { TarEntry } from '../harness/tarArchives';
import { manifestOf, repack, sha256, unpack } from '../harness/tarArchives';

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

/** Options of `main.js` by their long name without `--`, e.g. `{ 'rate-limits': 'off' }`. */
export type ServerProcessOptions = Record<string, string | number>;

/**
 * The options that turn off every hardening measure of issue 16 that can be turned off: the baseline of the hardening
 * benchmark, and for benchmarks that would otherwise trip them (a thousand sign-ups or grants from one address).
 * A measure that can be turned off adds its option here.
 */
export const HARDENING_OFF: ServerProcessOptions = { 'rate-limits': 'off', 'outbound-private': 'allow' };

/** Starts `dist/src/server/main.js` on a free port with the given data folder (and options). */
export async function startServerProcess(dataFolder: string, options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const port = await getFreePort();
  // FMP_BENCH_PROFILE=<folder> has each server write a CPU profile there when it stops.
  const profile = process.env.FMP_BENCH_PROFILE ? [ '--cpu-prof', '--cpu-prof-dir', process.env.FMP_BENCH_PROFILE ] : [];
  // FMP_BENCH_LOG_LEVEL=info passes the servers' logs on to stderr.
  const logLevel = process.env.FMP_BENCH_LOG_LEVEL;
  const child = spawn(process.execPath, [ ...profile, join(PROJECT_ROOT, 'dist', 'src', 'server', 'main.js'),
    '--port', String(port), '--data', dataFolder, '--log-level', logLevel ?? 'error',
    ...Object.entries(options).flatMap(([ name, value ]): string[] => [ `--${name}`, String(value) ]) ],
  { stdio: [ 'ignore', 'pipe', 'inherit' ] });
  await new Promise<void>((resolve, reject): void => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer): void => {
      if (logLevel) {
        process.stderr.write(chunk);
      }
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

/**
 * Items per second of a synchronous `work` over all `items`, the median of `rounds` rounds after one warm-up round.
 * Counts what `work` returns, so the computation cannot be optimised away.
 */
export function throughput<T>(items: T[], work: (item: T) => unknown, rounds = 7): number {
  const rates: number[] = [];
  let sink = 0;
  for (let round = 0; round <= rounds; round += 1) {
    const start = process.hrtime.bigint();
    for (const item of items) {
      sink += work(item) === undefined ? 0 : 1;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (round > 0) {
      rates.push(items.length / seconds);
    }
  }
  if (sink === 0) {
    throw new Error('nothing was computed');
  }
  return median(rates);
}

/** Formats a number with a fixed count of decimals. */
export function fixed(value: number, decimals = 2): string {
  return value.toFixed(decimals);
}

/**
 * Fills the member's (freshly signed-up) pod with `count` generated products in one import: the pod's own export
 * with the products added (and the dump left out), uploaded to `/.fmp/import`. Much faster than a PUT per product,
 * which on CSS's file backend lists the whole folder on every write. Returns the seconds it took.
 */
export async function importGeneratedProducts(member: TestMember, server: string, count: number): Promise<number> {
  const start = Date.now();
  const folder = await mkdtemp(join(tmpdir(), 'fmp-bench-archive-'));
  try {
    const api = new PortabilityApi(server, member.name, member.fetch);
    const file = join(folder, 'pod.tar');
    await api.exportTo(file, (): void => undefined);
    const entries = (await unpack(await readFile(file))).filter((entry): boolean => entry.name !== DUMP_ENTRY);
    const manifest: ArchiveManifest = manifestOf(entries);
    const products = generateProductResources(member.pod, count).map(({ path, turtle }): TarEntry =>
      ({ name: resourceEntryName(path), type: 'file', data: Buffer.from(turtle) }));
    manifest.entries = [
      ...manifest.entries.filter((entry): boolean => entry.kind !== 'dump'),
      ...products.map(({ name, data }): ArchiveManifest['entries'][number] =>
        ({ path: name, kind: 'document', contentType: 'text/turtle', size: data.length, sha256: sha256(data) })),
    ];
    manifest.resourceCount += products.length;
    await writeFile(file, await repack([
      ...entries.filter((entry): boolean => entry.name !== MANIFEST_ENTRY),
      ...products,
      { name: MANIFEST_ENTRY, type: 'file', data: Buffer.from(JSON.stringify(manifest)) },
    ]));
    await api.importFrom(file, (): void => undefined);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  return (Date.now() - start) / 1000;
}
