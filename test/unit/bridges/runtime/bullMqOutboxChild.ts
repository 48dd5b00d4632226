import { Redis } from 'ioredis';
import { BullMqOutbox } from '../../../../bridges/runtime/BullMqOutbox';

/**
 * A bridge worker the tests kill with SIGKILL: records one job on the Redis at `url`, starts working it with a lease
 * of one second and never finishes, printing `working` once it holds the job.
 */
async function main(url: string): Promise<void> {
  const outbox = new BullMqOutbox(new Redis(url, { maxRetriesPerRequest: null }), { leaseMs: 1_000 });
  await outbox.add({ target: 'shopify', member: 'alice', key: 'products/1', kind: 'push', payload: { price: '4.20' }});
  outbox.startWorking(async(): Promise<never> => {
    process.stdout.write('working\n');
    return new Promise<never>((): void => undefined);
  }, { parallel: 1 });
  // Stay alive until killed, like a worker in the middle of sending.
  setInterval((): void => undefined, 60_000);
}

void main(process.argv[2]);
