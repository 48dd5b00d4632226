import { SqliteOutbox } from '../../../../bridges/runtime/SqliteOutbox';

/**
 * A worker the tests kill with SIGKILL: `claim <folder>` records one job, claims it and waits (never completes it);
 * `flood <folder>` records jobs as fast as it can, printing each number once `add` has returned.
 */
async function main(mode: string, folder: string): Promise<void> {
  const outbox = new SqliteOutbox(folder, (): number => 1_000);
  if (mode === 'claim') {
    await outbox.add({ target: 'shopify', member: 'alice', key: 'products/1', kind: 'upsert', payload: { price: '4.20' }});
    const job = await outbox.claim(1_000, 30_000);
    process.stdout.write(`claimed ${job?.id}\n`);
  } else {
    for (let index = 0; ; index += 1) {
      await outbox.add({ target: 'shopify', member: 'alice', key: `products/${index}`, kind: 'upsert',
        payload: { index, title: 'x'.repeat(2_000) }});
      process.stdout.write(`${index}\n`);
    }
  }
  // Stay alive until killed, like a worker in the middle of sending.
  setInterval((): void => undefined, 60_000);
}

void main(process.argv[2], process.argv[3]);
