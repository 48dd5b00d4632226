import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { BullMqOutbox } from '../../bridges/runtime/BullMqOutbox';
import type { JobOutcome, Outbox } from '../../bridges/runtime/Outbox';
import { SqliteOutbox } from '../../bridges/runtime/SqliteOutbox';
import { sleep } from '../harness/eventually';
import { startTestRedis } from '../harness/redisServer';
import { fixed } from './benchUtil';

interface Timing {
  readonly enqueueSeconds: number;
  readonly totalSeconds: number;
}

/** Records `jobs` changes (distinct keys) one after the other, then works them with a handler that sends nothing. */
async function measure(outboxes: readonly Outbox[], jobs: number): Promise<Timing> {
  let worked = 0;
  const start = Date.now();
  for (let index = 0; index < jobs; index += 1) {
    await outboxes[index % outboxes.length].add({ target: 'shopify', member: 'bench', key: `catalog/product-${index}`, kind: 'push' });
  }
  const enqueueSeconds = (Date.now() - start) / 1000;
  for (const outbox of outboxes) {
    outbox.startWorking(async(): Promise<JobOutcome> => {
      worked += 1;
      return { done: true };
    }, { parallel: 4 });
  }
  while (worked < jobs) {
    await sleep(5);
  }
  const totalSeconds = (Date.now() - start) / 1000;
  for (const outbox of outboxes) {
    await outbox.close();
  }
  return { enqueueSeconds, totalSeconds };
}

function line(label: string, jobs: number, timing: Timing, baseline?: Timing): string {
  const ratio = baseline ? ` (throughput ratio to SQLite: enqueue ${fixed(baseline.enqueueSeconds / timing.enqueueSeconds)}, ` +
    `enqueue+work ${fixed(baseline.totalSeconds / timing.totalSeconds)})` : ' (baseline)';
  return `${label}: enqueue ${fixed(jobs / timing.enqueueSeconds)} jobs/s, enqueue+work ${fixed(jobs / timing.totalSeconds)} jobs/s${ratio}\n`;
}

/**
 * The bridge outbox alone (issue 15): throughput of recording and working jobs in the embedded SQLite outbox against
 * the bullmq one on a local Redis, with one runtime and with two (two connections, as two processes would have).
 */
export async function benchOutbox(): Promise<void> {
  const jobs = Number(process.env.FMP_BENCH_OUTBOX_JOBS ?? 2000);
  process.stdout.write(`\n## Bridge outbox (issue 15): ${jobs} jobs recorded, then worked (4 at a time per runtime, no sending); ` +
    'the test Redis keeps nothing on disk, SQLite syncs every change\n');
  const folder = await mkdtemp(join(tmpdir(), 'fmp-bench-outbox-'));
  const redis = await startTestRedis();
  const connections: Redis[] = [];
  const connect = (): Redis => {
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    connections.push(connection);
    return connection;
  };
  try {
    const sqlite = await measure([ new SqliteOutbox(folder) ], jobs);
    process.stdout.write(line('SqliteOutbox (WAL, full sync), one runtime', jobs, sqlite));
    const bullmq = await measure([ new BullMqOutbox(connect()) ], jobs);
    process.stdout.write(line('BullMqOutbox on a local Redis, one runtime', jobs, bullmq, sqlite));
    await connect().flushall();
    const two = await measure([ new BullMqOutbox(connect()), new BullMqOutbox(connect()) ], jobs);
    process.stdout.write(line('BullMqOutbox on a local Redis, two runtimes', jobs, two, sqlite));
  } finally {
    for (const connection of connections) {
      await connection.quit();
    }
    await redis.stop();
    await rm(folder, { recursive: true, force: true });
  }
}
