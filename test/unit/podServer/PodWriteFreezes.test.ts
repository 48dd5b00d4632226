import { strict as assert } from 'node:assert';
import { FreezeTimeoutError } from '../../../pod-server/storage/FreezeTimeoutError';
import { LockedHttpError } from '../../../pod-server/storage/LockedHttpError';
import { PodWriteFreezes } from '../../../pod-server/storage/PodWriteFreezes';

const POD = 'http://localhost/alice/';

describe('PodWriteFreezes', (): void => {
  it('refuses other writes into a frozen pod with 423, lets the work\'s own writes and other pods\' pass.', async(): Promise<void> => {
    const freezes = new PodWriteFreezes();
    let inside: unknown;
    await freezes.whileFrozen(POD, 'being restored', async(): Promise<void> => {
      freezes.beginWrite(`${POD}notes/a`)();
      freezes.beginWrite('http://localhost/bob/notes/a')();
      // A write from outside the work's async context: another request.
      inside = await new Promise((resolve): void => {
        setImmediate((): void => {
          resolve(undefined);
        });
      });
    });
    assert.equal(inside, undefined);
    const outside = freezes.whileFrozen(POD, 'being restored', async(): Promise<void> => new Promise((resolve): void => {
      setTimeout((): void => resolve(), 20);
    }));
    await new Promise((resolve): void => {
      setImmediate(resolve);
    });
    // Called from the test's own context, not the work's.
    assert.throws((): unknown => freezes.beginWrite(`${POD}notes/b`), (error: unknown): boolean =>
      LockedHttpError.isInstance(error) && error.statusCode === 423 && /being restored/u.test(error.message));
    await outside;
    freezes.beginWrite(`${POD}notes/b`)();
    assert.equal(freezes.isFrozen(POD), false);
  });

  it('waits for writes under way before the work runs.', async(): Promise<void> => {
    const freezes = new PodWriteFreezes();
    const done = freezes.beginWrite(`${POD}notes/slow`);
    const order: string[] = [];
    const frozen = freezes.whileFrozen(POD, 'r', async(): Promise<void> => {
      order.push('work');
    });
    await new Promise((resolve): void => {
      setTimeout(resolve, 20);
    });
    order.push('write done');
    done();
    await frozen;
    assert.deepEqual(order, [ 'write done', 'work' ]);
  });

  it('gives up when writes do not finish in time, and ends the freeze however the work ends.', async(): Promise<void> => {
    const freezes = new PodWriteFreezes(30);
    const done = freezes.beginWrite(`${POD}notes/stuck`);
    await assert.rejects(freezes.whileFrozen(POD, 'r', async(): Promise<void> => undefined), FreezeTimeoutError);
    assert.equal(freezes.isFrozen(POD), false);
    done();
    await assert.rejects(freezes.whileFrozen(POD, 'r', async(): Promise<void> => {
      throw new Error('restore failed');
    }), /restore failed/u);
    assert.equal(freezes.isFrozen(POD), false);
    await assert.rejects(freezes.whileFrozen(POD, 'first', async(): Promise<void> => {
      await freezes.whileFrozen(POD, 'second', async(): Promise<void> => undefined);
    }), (error: unknown): boolean => LockedHttpError.isInstance(error));
  });
});
