import type { Job } from 'bullmq';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BridgeLog } from './BridgeLog';
import type { BridgeSchedule, ScheduledWork } from './BridgeSchedule';

const PREFIX = 'fmp:bridges';
const QUEUE = 'schedule';

/**
 * The {@link BridgeSchedule} of bridge workers sharing a Redis: each timed work is a bullmq job scheduler (every
 * `everyMs`), whose jobs one worker of one process takes, so an interval's poll or upkeep happens once however many
 * processes run. Work at start is one job deduplicated while it waits or runs: workers started together do it once
 * (one started later does it again, which only catches up once more).
 */
export class BullMqSchedule implements BridgeSchedule {
  private readonly queue: Queue;
  private worker?: Worker;

  /**
   * @param redis - The connection (not closed here).
   * @param log - Where failures are told.
   */
  public constructor(private readonly redis: Redis, private readonly log: BridgeLog) {
    this.queue = new Queue(QUEUE, { connection: redis, prefix: PREFIX });
  }

  public async start(work: ScheduledWork): Promise<void> {
    const runs = new Map([ ...work.atStart, ...work.every ].map(({ name, run }): [string, () => Promise<void>] => [ name, run ]));
    this.worker = new Worker(QUEUE, async(job: Job): Promise<void> => {
      await runs.get(job.name)?.();
    }, { connection: this.redis, prefix: PREFIX, concurrency: 1 });
    this.worker.on('failed', (job: Job | undefined, error: Error): void => this.log.warn(`Bridge ${job?.name} failed: ${error.message}`));
    this.worker.on('error', (): void => undefined);
    for (const { name, everyMs } of work.every) {
      await this.queue.upsertJobScheduler(name, { every: everyMs },
        { name, opts: { removeOnComplete: true, removeOnFail: true }});
    }
    for (const { name } of work.atStart) {
      await this.queue.add(name, {}, { deduplication: { id: name }, removeOnComplete: true, removeOnFail: true });
    }
  }

  public async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
