import { strict as assert } from 'node:assert';
import { SuffixIdentifierGenerator } from '@solid/community-server';
import type { RedisConnection } from '../../../pod-server/cluster/RedisConnection';
import { FreezeTimeoutError } from '../../../pod-server/storage/FreezeTimeoutError';
import { LocalPodWriteFreezes } from '../../../pod-server/storage/LocalPodWriteFreezes';
import { LockedHttpError } from '../../../pod-server/storage/LockedHttpError';
import type { PodWriteFreezes } from '../../../pod-server/storage/PodWriteFreezes';
import { RedisPodWriteFreezes } from '../../../pod-server/storage/RedisPodWriteFreezes';
import { sleep } from '../../harness/eventually';
import { useTestRedis } from '../../harness/redisServer';

const BASE = 'http://localhost/';
const POD = `${BASE}alice/`;

function isLocked(pattern: RegExp): (error: unknown) => boolean {
  return (error: unknown): boolean => LockedHttpError.isInstance(error) && error.statusCode === 423 && pattern.test(error.message);
}

/** The behaviour both kinds of freezes share; `make` gives a fresh one (for Redis, one process's view). */
function describeFreezes(make: (drainTimeoutMs?: number) => PodWriteFreezes): void {
  it('refuses other writes into a frozen pod with 423, lets the work\'s own writes and other pods\' pass.', async(): Promise<void> => {
    const freezes = make();
    await freezes.whileFrozen(POD, 'being restored', async(): Promise<void> => {
      (await freezes.beginWrite(`${POD}notes/a`))();
      (await freezes.beginWrite(`${BASE}bob/notes/a`))();
    });
    let release!: () => void;
    const outside = freezes.whileFrozen(POD, 'being restored', async(): Promise<void> => new Promise((resolve): void => {
      release = resolve;
    }));
    await sleep(50);
    // Called from the test's own context, not the work's: another request.
    await assert.rejects(freezes.beginWrite(`${POD}notes/b`), isLocked(/being restored/u));
    assert.equal(await freezes.isFrozen(POD), true);
    release();
    await outside;
    (await freezes.beginWrite(`${POD}notes/b`))();
    assert.equal(await freezes.isFrozen(POD), false);
  });

  it('waits for writes under way before the work runs.', async(): Promise<void> => {
    const freezes = make();
    const done = await freezes.beginWrite(`${POD}notes/slow`);
    const order: string[] = [];
    const frozen = freezes.whileFrozen(POD, 'r', async(): Promise<void> => {
      order.push('work');
    });
    await sleep(50);
    order.push('write done');
    done();
    await frozen;
    assert.deepEqual(order, [ 'write done', 'work' ]);
  });

  it('gives up when writes do not finish in time, and ends the freeze however the work ends.', async(): Promise<void> => {
    const freezes = make(100);
    const done = await freezes.beginWrite(`${POD}notes/stuck`);
    await assert.rejects(freezes.whileFrozen(POD, 'r', async(): Promise<void> => undefined), FreezeTimeoutError);
    assert.equal(await freezes.isFrozen(POD), false);
    done();
    await sleep(20);
    await assert.rejects(freezes.whileFrozen(POD, 'r', async(): Promise<void> => {
      throw new Error('restore failed');
    }), /restore failed/u);
    assert.equal(await freezes.isFrozen(POD), false);
    await assert.rejects(freezes.whileFrozen(POD, 'first', async(): Promise<void> => {
      await freezes.whileFrozen(POD, 'second', async(): Promise<void> => undefined);
    }), isLocked(/first/u));
  });
}

describe('LocalPodWriteFreezes', (): void => {
  describeFreezes((drainTimeoutMs): PodWriteFreezes => new LocalPodWriteFreezes(drainTimeoutMs));
});

describe('RedisPodWriteFreezes', (): void => {
  const redis = useTestRedis(BASE);
  const identifiers = new SuffixIdentifierGenerator(BASE);

  /** One FMP process's freezes: its own connection to the shared Redis. */
  function processFreezes(drainTimeoutMs?: number, ttlMs?: number): { freezes: RedisPodWriteFreezes; connection: RedisConnection } {
    const connection = redis.connect();
    return { freezes: new RedisPodWriteFreezes(connection, identifiers, drainTimeoutMs, ttlMs), connection };
  }

  describeFreezes((drainTimeoutMs): PodWriteFreezes => processFreezes(drainTimeoutMs).freezes);

  it('refuses a write through another process while one process has the pod frozen.', async(): Promise<void> => {
    const restoring = processFreezes().freezes;
    const serving = processFreezes().freezes;
    await restoring.whileFrozen(POD, 'being restored elsewhere', async(): Promise<void> => {
      await assert.rejects(serving.beginWrite(`${POD}catalog/carrots`), isLocked(/being restored elsewhere/u));
      assert.equal(await serving.isFrozen(POD), true);
      (await serving.beginWrite(`${BASE}bob/catalog/carrots`))();
      await assert.rejects(serving.whileFrozen(POD, 'a second restore', async(): Promise<void> => undefined),
        isLocked(/being restored elsewhere/u));
    });
    (await serving.beginWrite(`${POD}catalog/carrots`))();
  });

  it('waits for a write under way on another process before the work runs.', async(): Promise<void> => {
    const restoring = processFreezes().freezes;
    const serving = processFreezes().freezes;
    const done = await serving.beginWrite(`${POD}catalog/carrots`);
    const order: string[] = [];
    const frozen = restoring.whileFrozen(POD, 'r', async(): Promise<void> => {
      order.push('work');
    });
    await sleep(100);
    order.push('write done');
    done();
    await frozen;
    assert.deepEqual(order, [ 'write done', 'work' ]);
  });

  it('lets the pod be written again soon after the freezing process dies, and forgets its unfinished writes.', async(): Promise<void> => {
    const dying = processFreezes(30_000, 400);
    const serving = processFreezes().freezes;
    // A write that never finishes, and a freeze whose work never ends: then the process is gone.
    await dying.freezes.beginWrite(`${BASE}bob/notes/a`);
    dying.freezes.whileFrozen(POD, 'being restored', async(): Promise<void> => new Promise((): void => undefined)).catch((): void => undefined);
    await sleep(100);
    await assert.rejects(serving.beginWrite(`${POD}notes/a`), isLocked(/being restored/u));
    dying.connection.client.disconnect();
    await sleep(800);
    (await serving.beginWrite(`${POD}notes/a`))();
    await serving.whileFrozen(`${BASE}bob/`, 'r', async(): Promise<void> => undefined);
  });
});
