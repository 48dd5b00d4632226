import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { BullMqOutbox } from '../../../../bridges/runtime/BullMqOutbox';
import type { JobHandler, JobOutcome, OutboxJob, OutboxJobInput } from '../../../../bridges/runtime/Outbox';
import { eventually, sleep } from '../../../harness/eventually';
import type { TestRedis } from '../../../harness/redisServer';
import { startTestRedis } from '../../../harness/redisServer';

function change(key: string, kind: string, payload?: unknown, member = 'alice'): OutboxJobInput {
  return { target: 'shopify', member, key, kind, payload };
}

/** A promise and the function that resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done): void => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('BullMqOutbox', function(this: Mocha.Suite): void {
  this.timeout(60_000);
  let redis: TestRedis;
  const connections: Redis[] = [];
  const outboxes: BullMqOutbox[] = [];

  /** An outbox on its own connection, as one bridge runtime (one process) has. */
  function newOutbox(leaseMs = 30_000): BullMqOutbox {
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    connections.push(connection);
    const outbox = new BullMqOutbox(connection, { leaseMs });
    outboxes.push(outbox);
    return outbox;
  }

  before(async(): Promise<void> => {
    redis = await startTestRedis();
  });

  after(async(): Promise<void> => {
    await redis?.stop();
  });

  beforeEach(async(): Promise<void> => {
    const admin = new Redis(redis.url);
    await admin.flushall();
    await admin.quit();
  });

  afterEach(async(): Promise<void> => {
    for (const outbox of outboxes.splice(0)) {
      await outbox.close();
    }
    for (const connection of connections.splice(0)) {
      const ended = new Promise((resolve): void => {
        connection.once('end', resolve);
      });
      await connection.quit();
      await ended;
    }
  });

  it('runs one job of a key at a time: a change while it waits is taken in, one while it runs comes after it.', async(): Promise<void> => {
    const outbox = newOutbox();
    const release = deferred();
    const runs: string[] = [];
    const running = new Set<string>();
    let overlap = false;
    const started = deferred();
    outbox.startWorking(async(job): Promise<JobOutcome> => {
      overlap ||= running.has(job.key);
      running.add(job.key);
      runs.push(`${job.key} ${JSON.stringify(job.payload)}`);
      if (job.key === 'products/1' && job.payload === 1) {
        started.resolve();
        await release.promise;
      }
      running.delete(job.key);
      return { done: true };
    }, { parallel: 4 });
    try {
      await outbox.add(change('products/1', 'push', 1));
      await started.promise;
      await outbox.add(change('products/1', 'push', 2));
      await outbox.add(change('products/1', 'remove', 3));
      await outbox.add(change('products/2', 'push', 'other'));
      // products/1 is running, with one job after it; products/2 is not held up by it.
      await eventually('the other key to be done while products/1 is held up', async(): Promise<boolean> =>
        runs.includes('products/2 "other"') && (await outbox.counts('shopify', 'alice')).pending === 1, 10_000);
    } finally {
      release.resolve();
    }
    await eventually('the queue to be empty', async(): Promise<boolean> => (await outbox.counts('shopify', 'alice')).pending === 0, 10_000);
    assert.deepEqual(runs.filter((run): boolean => run.startsWith('products/1')), [ 'products/1 1', 'products/1 3' ],
      'the changes made while it ran are one job, with the newest payload, after it');
    assert.equal(overlap, false);
  });

  it('works each change once across several workers on one Redis, never one key in two at once.', async(): Promise<void> => {
    const workers = [ newOutbox(), newOutbox(), newOutbox() ];
    const running = new Set<string>();
    const done = new Map<string, number[]>();
    let overlaps = 0;
    const handler = (worker: number): JobHandler => async(job): Promise<JobOutcome> => {
      overlaps += running.has(job.key) ? 1 : 0;
      running.add(job.key);
      await sleep(5);
      done.set(job.key, [ ...done.get(job.key) ?? [], worker ]);
      running.delete(job.key);
      return { done: true };
    };
    workers.forEach((worker, index): void => worker.startWorking(handler(index), { parallel: 4 }));
    for (let index = 0; index < 60; index += 1) {
      await workers[index % 3].add(change(`products/${index}`, 'push', index));
    }
    await eventually('every change worked', (): boolean => done.size === 60, 20_000);
    await sleep(300);
    assert.equal(overlaps, 0);
    assert.deepEqual([ ...done.values() ].filter((by): boolean => by.length !== 1), [], 'no change is worked twice');
    assert.ok(new Set([ ...done.values() ].flat()).size > 1, 'the workers share the work');
  });

  it('retries at the time the handler asks, counting the attempt and keeping the error; newer changes wait.', async(): Promise<void> => {
    const outbox = newOutbox();
    const seen: { job: OutboxJob; at: number }[] = [];
    outbox.startWorking(async(job): Promise<JobOutcome> => {
      seen.push({ job, at: Date.now() });
      return seen.length === 1 ? { retryAt: Date.now() + 1_000, error: 'HTTP 503' } : { done: true };
    }, { parallel: 2 });
    await outbox.add(change('products/1', 'push', 1));
    await eventually('the first attempt', (): boolean => seen.length === 1, 10_000);
    await outbox.add(change('products/1', 'push', 2));
    assert.deepEqual(await outbox.counts('shopify', 'alice'), { pending: 1, dead: 0 }, 'the waiting retry takes the change in');
    await eventually('the retry', (): boolean => seen.length === 2, 10_000);
    await sleep(500);
    assert.equal(seen.length, 2, 'the change made while the retry waited is not run again');
    assert.ok(seen[1].at - seen[0].at >= 950, `retried after ${seen[1].at - seen[0].at} ms`);
    assert.deepEqual({ attempts: seen[1].job.attempts, lastError: seen[1].job.lastError }, { attempts: 1, lastError: 'HTTP 503' });
  });

  it('keeps a dead letter with its reason until it is retried or superseded.', async(): Promise<void> => {
    const outbox = newOutbox();
    let refuse = true;
    const runs: unknown[] = [];
    outbox.startWorking(async(job): Promise<JobOutcome> => {
      runs.push(job.payload);
      return refuse ? { deadLetter: 'Shopify refused: price must be positive' } : { done: true };
    }, { parallel: 2 });
    await outbox.add(change('products/1', 'push', { price: '-1' }));
    await outbox.add(change('products/2', 'push', { price: '-2' }));
    await eventually('two dead letters and nothing pending', async(): Promise<boolean> => {
      const counts = await outbox.counts('shopify', 'alice');
      return counts.dead === 2 && counts.pending === 0;
    }, 10_000);
    const dead = await outbox.deadLetters('shopify', 'alice');
    assert.deepEqual(dead.map((job): unknown => [ job.key, job.kind, job.lastError, job.attempts ]).sort(), [
      [ 'products/1', 'push', 'Shopify refused: price must be positive', 1 ],
      [ 'products/2', 'push', 'Shopify refused: price must be positive', 1 ],
    ]);
    assert.deepEqual(await outbox.deadLetters('shopify', 'bob'), []);

    refuse = false;
    // A newer change of products/2 supersedes its dead letter; products/1's is retried after the fix.
    await outbox.add(change('products/2', 'push', { price: '2' }));
    assert.equal((await outbox.counts('shopify', 'alice')).dead, 1);
    assert.equal(await outbox.retryDeadLetters('shopify', 'alice', Date.now()), 1);
    await eventually('both sent', async(): Promise<boolean> => {
      const counts = await outbox.counts('shopify', 'alice');
      return counts.pending === 0 && counts.dead === 0;
    }, 10_000);
    assert.deepEqual(runs.slice(2).map((payload): string => JSON.stringify(payload)).sort(), [ '{"price":"-1"}', '{"price":"2"}' ]);
  });

  it('hands the job of a killed worker to another once its lease lapsed, counting the lost attempt.', async(): Promise<void> => {
    const child = spawn(process.execPath, [ join(__dirname, 'bullMqOutboxChild.js'), redis.url ], { stdio: [ 'ignore', 'pipe', 'inherit' ]});
    await new Promise<void>((resolve, reject): void => {
      child.stdout!.on('data', (chunk: Buffer): void => {
        if (chunk.toString().includes('working')) {
          resolve();
        }
      });
      child.once('exit', (code): void => reject(new Error(`the child exited with ${code}`)));
    });
    const exited = new Promise((resolve): void => {
      child.once('exit', resolve);
    });
    child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    const outbox = newOutbox(1_000);
    const taken: OutboxJob[] = [];
    outbox.startWorking(async(job): Promise<JobOutcome> => {
      taken.push(job);
      return { done: true };
    }, { parallel: 1 });
    await eventually('another worker to take the job', (): boolean => taken.length > 0, 20_000);
    assert.ok(Date.now() - killedAt >= 500, 'not before the lease lapsed');
    assert.deepEqual({ key: taken[0].key, payload: taken[0].payload, attempts: taken[0].attempts, resumed: taken[0].resumed },
      { key: 'products/1', payload: { price: '4.20' }, attempts: 1, resumed: true });
    assert.match(taken[0].lastError ?? '', /lease ran out/u);
    await sleep(300);
    assert.equal(taken.length, 1);
    assert.deepEqual(await outbox.counts('shopify', 'alice'), { pending: 0, dead: 0 });
  });

  it('forgets one member: their waiting jobs, dead letters and counts, and nobody else\'s.', async(): Promise<void> => {
    const outbox = newOutbox();
    await outbox.add(change('products/1', 'push', 1), Date.now() + 60_000);
    await outbox.add(change('products/2', 'push', 2));
    await outbox.add(change('products/1', 'push', 1, 'bob'));
    assert.deepEqual(await outbox.counts('shopify', 'alice'), { pending: 2, dead: 0 });
    await outbox.forget('shopify', 'alice');
    assert.deepEqual(await outbox.counts('shopify', 'alice'), { pending: 0, dead: 0 });
    assert.deepEqual(await outbox.counts('shopify', 'bob'), { pending: 1, dead: 0 });
    const runs: string[] = [];
    outbox.startWorking(async(job): Promise<JobOutcome> => {
      runs.push(`${job.member} ${job.key}`);
      return { done: true };
    }, { parallel: 1 });
    await eventually('bob\'s job', (): boolean => runs.length === 1, 10_000);
    await sleep(300);
    assert.deepEqual(runs, [ 'bob products/1' ]);
  });
});
