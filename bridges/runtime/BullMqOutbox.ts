import { createHash } from 'node:crypto';
import type { Job } from 'bullmq';
import { DelayedError, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobHandler, JobOutcome, Outbox, OutboxJob, OutboxJobInput, WorkOptions } from './Outbox';

/** What a bullmq job holds. */
interface StoredJob extends OutboxJobInput {
  /** Attempts that failed so far, stalls (a worker that died) not counted. */
  attempts: number;
  /** The stalls already counted in `attempts`. */
  stalls: number;
  enqueuedAt: number;
  lastError?: string;
}

/** Where everything of the outbox lives in Redis: bullmq's queue `<prefix>:outbox:…` and two small indexes. */
const PREFIX = 'fmp:bridges';
const QUEUE = 'outbox';
const LEASE_RAN_OUT = 'the lease ran out before the job was completed (the worker stopped?)';
/** A job that kills its worker this many times in a row is a dead letter (SqliteOutbox counts them as attempts). */
const MAX_STALLS = 10;
/** A handler that throws (it should not) is tried again after this. */
const AFTER_A_THROW_MS = 5_000;

/** Options of {@link BullMqOutbox}. */
export interface BullMqOutboxOptions {
  /**
   * How long a running job is its worker's without a sign of life before another worker may take it (bullmq's
   * `lockDuration`; a live worker renews it). Killed workers' jobs are looked for as often.
   */
  readonly leaseMs?: number;
}

/**
 * The {@link Outbox} on Redis through bullmq, for bridge workers in several processes or on several machines; each job
 * is worked by one worker at a time (bullmq's job locks), and a killed worker's job is taken up by another once its
 * lock lapses (bullmq's stalled-job check).
 *
 * Per-key order, from bullmq's own deduplication rather than locks of our own: every job of a target+member+key carries
 * the key as its deduplication id with `keepLastIfActive`, so a key has at most one job waiting or running: a change
 * recorded while it waits is taken in by it (it runs once, and reads the current state), one recorded while it runs is
 * kept and becomes the key's next job when the running one ends (atomically, in bullmq's script that finishes it).
 * Retries are the running job moved to bullmq's delayed set at the time the retry policy chose: it keeps its key
 * until it succeeds or is a dead letter, so nothing of its key overtakes it.
 *
 * Beside bullmq's keys, two small indexes: the keys each member ever had jobs for (`status` counts those with a job),
 * and the dead letters, one hash per member by kind and key (so a newer change supersedes one, as in SQLite).
 */
export class BullMqOutbox implements Outbox {
  private readonly queue: Queue<StoredJob>;
  private worker?: Worker<StoredJob>;
  private readonly leaseMs: number;

  /**
   * @param redis - The connection, shared with bullmq's queue (not closed here; bullmq's worker opens its own).
   * @param options - The lease.
   */
  public constructor(private readonly redis: Redis, options: BullMqOutboxOptions = {}) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.queue = new Queue<StoredJob>(QUEUE, { connection: redis, prefix: PREFIX });
  }

  public async add(job: OutboxJobInput, availableAt?: number): Promise<void> {
    const now = Date.now();
    const id = deduplicationId(job);
    await this.redis.sadd(keysOf(job.target, job.member), JSON.stringify([ job.key, id ]));
    const stored: StoredJob = { target: job.target, member: job.member, key: job.key, kind: job.kind,
      ...job.payload === undefined ? {} : { payload: job.payload }, attempts: 0, stalls: 0, enqueuedAt: now };
    await this.queue.add(job.kind, stored, { delay: Math.max(0, (availableAt ?? now) - now),
      deduplication: { id, keepLastIfActive: true }, removeOnComplete: true, removeOnFail: true });
    // A newer change supersedes a refused one: retrying the old payload later would undo it.
    await this.redis.hdel(deadOf(job.target, job.member), deadField(job.kind, job.key));
  }

  public startWorking(handle: JobHandler, options: WorkOptions): void {
    this.worker = new Worker<StoredJob>(QUEUE, async(job, token): Promise<void> => this.process(handle, job, token),
      { connection: this.redis, prefix: PREFIX, concurrency: options.parallel, lockDuration: this.leaseMs,
        stalledInterval: this.leaseMs, maxStalledCount: MAX_STALLS });
    this.worker.on('drained', (): void => {
      void options.onIdle?.().catch((): void => undefined);
    });
    this.worker.on('failed', (job: Job<StoredJob> | undefined, error: Error): void => {
      // Our own dead letters are recorded before bullmq fails the job; this is one that stalled too often.
      if (job && !(error instanceof UnrecoverableError)) {
        const reason = /stalled/u.test(error.message) ? `its worker stopped ${MAX_STALLS + 1} times while working it` : error.message;
        void this.recordDeadLetter(job.data, this.attemptsOf(job) + 1, reason).catch((): void => undefined);
      }
    });
    // Errors of the connection are retried by ioredis; without a listener Node would end the process.
    this.worker.on('error', (): void => undefined);
  }

  public async stopWorking(): Promise<void> {
    await this.worker?.close();
    this.worker = undefined;
  }

  public async deadLetters(target: string, member: string): Promise<OutboxJob[]> {
    const dead = Object.values(await this.redis.hgetall(deadOf(target, member)))
      .map((text): OutboxJob => JSON.parse(text) as OutboxJob);
    return dead.sort((one, other): number => one.enqueuedAt - other.enqueuedAt || one.id - other.id);
  }

  public async retryDeadLetters(target: string, member: string, now: number): Promise<number> {
    const dead = await this.deadLetters(target, member);
    for (const job of dead) {
      // `add` removes the dead letter once the job is queued again.
      await this.add({ target, member, key: job.key, kind: job.kind, payload: job.payload }, now);
    }
    return dead.length;
  }

  public async counts(target: string, member: string): Promise<{ pending: number; dead: number }> {
    const keys = (await this.redis.smembers(keysOf(target, member))).map((entry): string => (JSON.parse(entry) as string[])[1]);
    const jobs = await Promise.all(keys.map(async(id): Promise<string | null> => this.queue.getDeduplicationJobId(id)));
    return { pending: jobs.filter((job): boolean => job !== null).length, dead: await this.redis.hlen(deadOf(target, member)) };
  }

  public async forget(target: string, member: string): Promise<void> {
    for (const entry of await this.redis.smembers(keysOf(target, member))) {
      const jobId = await this.queue.getDeduplicationJobId((JSON.parse(entry) as string[])[1]);
      // A running job cannot be removed; it finds the connection gone and does nothing.
      await (jobId && this.queue.remove(jobId).catch((): number => 0));
    }
    await this.redis.del(keysOf(target, member), deadOf(target, member));
  }

  public async close(): Promise<void> {
    await this.stopWorking();
    await this.queue.close();
  }

  /** Runs one job; bullmq's lock makes it this worker's until it ends (or the worker dies). */
  private async process(handle: JobHandler, job: Job<StoredJob>, token?: string): Promise<void> {
    const stalled = job.stalledCounter > job.data.stalls;
    const outboxJob: OutboxJob = { id: Number(job.id), target: job.data.target, member: job.data.member, key: job.data.key,
      kind: job.data.kind, ...job.data.payload === undefined ? {} : { payload: job.data.payload },
      attempts: this.attemptsOf(job), availableAt: job.timestamp + job.delay, enqueuedAt: job.data.enqueuedAt,
      ...stalled ? { lastError: LEASE_RAN_OUT, resumed: true } : job.data.lastError ? { lastError: job.data.lastError } : {} };
    const outcome = await handle(outboxJob).catch((error: Error): JobOutcome =>
      ({ retryAt: Date.now() + AFTER_A_THROW_MS, error: error.message }));
    if ('done' in outcome) {
      // Sent: a dead letter of the same change is out of date.
      await this.redis.hdel(deadOf(job.data.target, job.data.member), deadField(job.data.kind, job.data.key));
      return;
    }
    if ('retryAt' in outcome) {
      await job.updateData({ ...job.data, attempts: outboxJob.attempts + 1, stalls: job.stalledCounter, lastError: outcome.error });
      await job.moveToDelayed(outcome.retryAt, token);
      // Tells bullmq the job was moved, not finished: it keeps its key (and its place before later changes).
      throw new DelayedError();
    }
    await this.recordDeadLetter(job.data, outboxJob.attempts + 1, outcome.deadLetter, outboxJob.id);
    throw new UnrecoverableError(outcome.deadLetter);
  }

  private attemptsOf(job: Job<StoredJob>): number {
    return job.data.attempts + Math.max(0, job.stalledCounter - job.data.stalls);
  }

  private async recordDeadLetter(data: StoredJob, attempts: number, reason: string, id = 0): Promise<void> {
    const dead: OutboxJob = { id, target: data.target, member: data.member, key: data.key, kind: data.kind,
      ...data.payload === undefined ? {} : { payload: data.payload }, attempts, availableAt: Date.now(),
      enqueuedAt: data.enqueuedAt, lastError: reason };
    await this.redis.hset(deadOf(data.target, data.member), deadField(data.kind, data.key), JSON.stringify(dead));
  }
}

/** One deduplication id per target+member+key: bullmq lets one job of it wait or run at a time. */
function deduplicationId({ target, member, key }: Pick<OutboxJobInput, 'target' | 'member' | 'key'>): string {
  return `${target}:${member}:${createHash('sha256').update(key).digest('base64url').slice(0, 27)}`;
}

function keysOf(target: string, member: string): string {
  return `${PREFIX}:outbox-keys:${target}:${member}`;
}

function deadOf(target: string, member: string): string {
  return `${PREFIX}:outbox-dead:${target}:${member}`;
}

function deadField(kind: string, key: string): string {
  return `${kind}\n${key}`;
}
