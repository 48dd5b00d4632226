import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { OutboxJobInput } from '../../../../bridges/runtime/Outbox';
import { OUTBOX_FILE_NAME, SqliteOutbox } from '../../../../bridges/runtime/SqliteOutbox';

const LEASE = 30_000;

function change(key: string, kind: string, payload?: unknown, member = 'alice'): OutboxJobInput {
  return { target: 'shopify', member, key, kind, payload };
}

/** Starts `outboxChild` and resolves once it printed `lines` lines (or rejects at the deadline). */
async function startChild(mode: string, folder: string, lines: number): Promise<{ child: ChildProcess; output: string[] }> {
  const child = spawn(process.execPath, [ join(__dirname, 'outboxChild.js'), mode, folder ], { stdio: [ 'ignore', 'pipe', 'inherit' ]});
  const output: string[] = [];
  let rest = '';
  await new Promise<void>((resolve, reject): void => {
    const deadline = setTimeout((): void => reject(new Error(`child printed ${output.length} lines`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer): void => {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop()!;
      output.push(...parts);
      if (output.length >= lines) {
        clearTimeout(deadline);
        resolve();
      }
    });
    child.on('exit', (code): void => reject(new Error(`child exited with ${code}`)));
  });
  return { child, output };
}

async function killed(child: ChildProcess): Promise<void> {
  const exit = new Promise((resolve): void => {
    child.once('exit', resolve);
  });
  child.kill('SIGKILL');
  await exit;
}

describe('SqliteOutbox', (): void => {
  let folder: string;
  let clock: number;
  let outbox: SqliteOutbox;

  beforeEach(async(): Promise<void> => {
    folder = join(await mkdtemp(join(tmpdir(), 'fmp-outbox-')), 'bridges');
    clock = 1_000;
    outbox = new SqliteOutbox(folder, (): number => clock);
  });

  afterEach(async(): Promise<void> => {
    await outbox.close();
    await rm(join(folder, '..'), { recursive: true, force: true });
  });

  it('keeps its file and the WAL readable by the owner only.', async(): Promise<void> => {
    await outbox.add(change('products/1', 'upsert', { price: '1.00' }));
    assert.equal((await stat(folder)).mode & 0o777, 0o700);
    const files = await readdir(folder);
    assert.ok(files.includes(OUTBOX_FILE_NAME) && files.includes(`${OUTBOX_FILE_NAME}-wal`), files.join());
    for (const file of files) {
      assert.equal((await stat(join(folder, file))).mode & 0o777, 0o600, file);
    }
    const db = new Database(join(folder, OUTBOX_FILE_NAME), { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
  });

  it('hands out due jobs oldest first, with their payload, and not before they are due.', async(): Promise<void> => {
    await outbox.add(change('products/1', 'upsert', { price: '1.00' }));
    clock = 2_000;
    await outbox.add(change('products/2', 'upsert', { price: '2.00' }));
    await outbox.add(change('products/3', 'delete'), 10_000);
    const first = await outbox.claim(5_000, LEASE);
    assert.deepEqual({ ...first, id: undefined }, { id: undefined, target: 'shopify', member: 'alice', key: 'products/1',
      kind: 'upsert', payload: { price: '1.00' }, attempts: 0, availableAt: 1_000, enqueuedAt: 1_000 });
    assert.equal((await outbox.claim(5_000, LEASE))?.key, 'products/2');
    assert.equal(await outbox.claim(5_000, LEASE), undefined);
    const late = await outbox.claim(10_000, LEASE);
    assert.equal(late?.key, 'products/3');
    assert.equal('payload' in late!, false);
  });

  it('coalesces a change with the unclaimed one of the same key and kind: newest payload, earliest enqueuedAt.', async(): Promise<void> => {
    await outbox.add(change('products/1', 'upsert', { price: '1.00' }));
    clock = 2_000;
    await outbox.add(change('products/2', 'upsert', { price: '9.00' }));
    clock = 3_000;
    await outbox.add(change('products/1', 'upsert', { price: '1.50' }));
    assert.deepEqual(await outbox.counts('shopify', 'alice'), { pending: 2, dead: 0 });
    const job = await outbox.claim(3_000, LEASE);
    assert.equal(job?.key, 'products/1', 'it keeps its place in line');
    assert.deepEqual(job?.payload, { price: '1.50' });
    assert.equal(job?.enqueuedAt, 1_000);
  });

  it('keeps a change of another kind, member or target apart.', async(): Promise<void> => {
    await outbox.add(change('products/1', 'upsert', 1));
    await outbox.add(change('products/1', 'delete'));
    await outbox.add(change('products/1', 'upsert', 2, 'bob'));
    await outbox.add({ ...change('products/1', 'upsert', 3), target: 'ofn' });
    assert.deepEqual(await outbox.counts('shopify', 'alice'), { pending: 2, dead: 0 });
    assert.deepEqual(await outbox.counts('shopify', 'bob'), { pending: 1, dead: 0 });
    assert.deepEqual(await outbox.counts('ofn', 'alice'), { pending: 1, dead: 0 });
  });

  it('does not fold a change into an older one across a change of another kind (the order stays).', async(): Promise<void> => {
    await outbox.add(change('products/1', 'upsert', 1));
    await outbox.add(change('products/1', 'delete'));
    await outbox.add(change('products/1', 'upsert', 2));
    const sent: string[] = [];
    for (let job = await outbox.claim(clock, LEASE); job; job = await outbox.claim(clock, LEASE)) {
      sent.push(`${job.kind} ${JSON.stringify(job.payload ?? null)}`);
      await outbox.complete(job.id);
    }
    assert.deepEqual(sent, [ 'upsert 1', 'delete null', 'upsert 2' ]);
  });

  it('leaves a claimed job alone: the new change runs after it, never at the same time.', async(): Promise<void> => {
    await outbox.add(change('products/1', 'upsert', { price: '1.00' }));
    await outbox.add(change('products/2', 'upsert', { price: '2.00' }));
    const claimed = await outbox.claim(clock, LEASE);
    await outbox.add(change('products/1', 'upsert', { price: '1.50' }));
    assert.deepEqual(claimed?.payload, { price: '1.00' });
    assert.equal((await outbox.claim(clock, LEASE))?.key, 'products/2', 'the other key is not held up');
    assert.equal(await outbox.claim(clock, LEASE), undefined, 'products/1 waits for its claimed job');
    assert.equal(await outbox.nextDueAt(), clock + LEASE, 'it sleeps until the leases run out, not in a busy loop');
    await outbox.complete(claimed!.id);
    assert.deepEqual((await outbox.claim(clock, LEASE))?.payload, { price: '1.50' });
  });

  it('keeps per-key order while an older job of the key waits for its retry.', async(): Promise<void> => {
    await outbox.add(change('products/1', 'upsert', 1));
    const first = await outbox.claim(clock, LEASE);
    await outbox.add(change('products/1', 'delete'));
    await outbox.retryLater(first!.id, 60_000, 'HTTP 503');
    assert.equal(await outbox.claim(30_000, LEASE), undefined, 'the delete may not overtake the upsert');
    assert.equal(await outbox.nextDueAt(), 60_000);
    const retried = await outbox.claim(60_000, LEASE);
    assert.deepEqual({ kind: retried?.kind, attempts: retried?.attempts, lastError: retried?.lastError },
      { kind: 'upsert', attempts: 1, lastError: 'HTTP 503' });
    await outbox.complete(retried!.id);
    assert.equal((await outbox.claim(60_000, LEASE))?.kind, 'delete');
  });

  it('keeps a retry\'s backoff and attempts when a newer change is coalesced into it.', async(): Promise<void> => {
    await outbox.add(change('products/1', 'upsert', 1));
    const job = await outbox.claim(clock, LEASE);
    await outbox.retryLater(job!.id, 60_000, 'HTTP 429');
    await outbox.add(change('products/1', 'upsert', 2));
    assert.equal(await outbox.claim(59_999, LEASE), undefined);
    const again = await outbox.claim(60_000, LEASE);
    assert.deepEqual({ payload: again?.payload, attempts: again?.attempts }, { payload: 2, attempts: 1 });
  });

  it('hands a job out again once its lease ran out, counting the lost attempt, also after reopening the file.', async(): Promise<void> => {
    await outbox.add(change('products/1', 'upsert', 1));
    const job = await outbox.claim(1_000, LEASE);
    assert.equal(await outbox.claim(1_000 + LEASE - 1, LEASE), undefined);
    await outbox.close();
    outbox = new SqliteOutbox(folder, (): number => clock);
    assert.equal(await outbox.claim(1_000 + LEASE - 1, LEASE), undefined, 'the lease still holds after a restart');
    assert.equal(await outbox.nextDueAt(), 1_000 + LEASE);
    const again = await outbox.claim(1_000 + LEASE, LEASE);
    assert.equal(again?.id, job?.id);
    assert.equal(again?.attempts, 1);
    assert.match(again?.lastError ?? '', /lease ran out/u);
  });

  it('still has a claimed job after its worker was killed with SIGKILL, and hands it out after the lease.', async(): Promise<void> => {
    const { child, output } = await startChild('claim', folder, 1);
    await killed(child);
    assert.match(output[0], /^claimed \d+$/u);
    assert.deepEqual(await outbox.counts('shopify', 'alice'), { pending: 1, dead: 0 });
    assert.equal(await outbox.claim(1_000 + LEASE - 1, LEASE), undefined);
    const job = await outbox.claim(1_000 + LEASE, LEASE);
    assert.deepEqual({ id: `claimed ${job?.id}`, payload: job?.payload }, { id: output[0], payload: { price: '4.20' }});
  });

  it('loses no recorded job and half-writes none when a writer is killed with SIGKILL mid-stream.', async(): Promise<void> => {
    const { child, output } = await startChild('flood', folder, 200);
    await killed(child);
    const recorded = output.map(Number);
    const { pending } = await outbox.counts('shopify', 'alice');
    assert.ok(pending >= recorded.length, `${pending} jobs stored, ${recorded.length} reported`);
    const seen = new Set<number>();
    for (let job = await outbox.claim(clock, LEASE); job; job = await outbox.claim(clock, LEASE)) {
      const payload = job.payload as { index: number; title: string };
      assert.equal(job.key, `products/${payload.index}`);
      assert.equal(payload.title.length, 2_000);
      seen.add(payload.index);
    }
    assert.equal(seen.size, pending);
    for (const index of recorded) {
      assert.ok(seen.has(index), `job ${index} was lost`);
    }
    const db = new Database(join(folder, OUTBOX_FILE_NAME), { readonly: true });
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    db.close();
  });

  it('moves a refused job to the dead letters with the target\'s reason, and retries them after a fix.', async(): Promise<void> => {
    await outbox.add(change('products/1', 'upsert', { price: '-1' }));
    await outbox.add(change('products/2', 'upsert', { price: '2.00' }));
    const job = await outbox.claim(clock, LEASE);
    await outbox.retryLater(job!.id, clock, 'HTTP 503');
    const again = await outbox.claim(clock, LEASE);
    assert.equal(again?.id, job?.id);
    await outbox.deadLetter(job!.id, 'price: must be at least 0');
    assert.deepEqual(await outbox.counts('shopify', 'alice'), { pending: 1, dead: 1 });
    const [ dead ] = await outbox.deadLetters('shopify', 'alice');
    assert.deepEqual({ key: dead.key, attempts: dead.attempts, lastError: dead.lastError, payload: dead.payload },
      { key: 'products/1', attempts: 2, lastError: 'price: must be at least 0', payload: { price: '-1' }});
    assert.deepEqual(await outbox.deadLetters('shopify', 'bob'), []);
    assert.equal((await outbox.claim(clock, LEASE))?.key, 'products/2', 'a dead letter is not handed out');
    assert.equal(await outbox.claim(clock, LEASE), undefined);

    clock = 50_000;
    assert.equal(await outbox.retryDeadLetters('shopify', 'alice', clock), 1);
    assert.deepEqual(await outbox.counts('shopify', 'alice'), { pending: 2, dead: 0 });
    const revived = await outbox.claim(clock, LEASE);
    assert.deepEqual({ id: revived?.id, attempts: revived?.attempts, availableAt: revived?.availableAt },
      { id: job?.id, attempts: 0, availableAt: 50_000 });
    assert.equal(await outbox.retryDeadLetters('shopify', 'alice', clock), 0);
  });

  it('drops a dead letter that a newer change of the same key and kind replaces.', async(): Promise<void> => {
    await outbox.add(change('products/1', 'upsert', 1));
    const job = await outbox.claim(clock, LEASE);
    await outbox.deadLetter(job!.id, 'refused');
    await outbox.add(change('products/1', 'delete'));
    assert.deepEqual(await outbox.counts('shopify', 'alice'), { pending: 1, dead: 1 }, 'another kind keeps it');
    await outbox.add(change('products/1', 'upsert', 2));
    assert.deepEqual(await outbox.counts('shopify', 'alice'), { pending: 2, dead: 0 });

    // Refused while the newer change already waits: the newer one replaces it.
    const deletion = await outbox.claim(clock, LEASE);
    await outbox.complete(deletion!.id);
    const upsert = await outbox.claim(clock, LEASE);
    await outbox.add(change('products/1', 'upsert', 3));
    await outbox.deadLetter(upsert!.id, 'refused');
    assert.deepEqual(await outbox.counts('shopify', 'alice'), { pending: 1, dead: 0 });
    assert.equal((await outbox.claim(clock, LEASE))?.payload, 3);
  });

  it('tells when to wake up next, ignoring dead letters.', async(): Promise<void> => {
    assert.equal(await outbox.nextDueAt(), undefined);
    await outbox.add(change('products/1', 'upsert'), 9_000);
    await outbox.add(change('products/2', 'upsert'), 7_000);
    assert.equal(await outbox.nextDueAt(), 7_000);
    const job = await outbox.claim(7_000, LEASE);
    await outbox.deadLetter(job!.id, 'refused');
    assert.equal(await outbox.nextDueAt(), 9_000);
  });

  it('forgets one member at one target, claimed and dead jobs included.', async(): Promise<void> => {
    await outbox.add(change('products/1', 'upsert'));
    await outbox.add(change('products/2', 'upsert'));
    await outbox.add(change('products/3', 'upsert'));
    await outbox.add(change('products/1', 'upsert', undefined, 'bob'));
    await outbox.add({ ...change('products/1', 'upsert'), target: 'ofn' });
    const claimed = await outbox.claim(clock, LEASE);
    await outbox.deadLetter((await outbox.claim(clock, LEASE))!.id, 'refused');
    await outbox.forget('shopify', 'alice');
    assert.deepEqual(await outbox.counts('shopify', 'alice'), { pending: 0, dead: 0 });
    assert.deepEqual(await outbox.counts('shopify', 'bob'), { pending: 1, dead: 0 });
    assert.deepEqual(await outbox.counts('ofn', 'alice'), { pending: 1, dead: 0 });
    await outbox.complete(claimed!.id);
    await outbox.retryLater(claimed!.id, clock, 'late answer');
    assert.deepEqual(await outbox.counts('shopify', 'alice'), { pending: 0, dead: 0 }, 'a late worker brings nothing back');
  });
});
