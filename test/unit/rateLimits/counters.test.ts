import { strict as assert } from 'node:assert';
import { MemoryRateCounterStore } from '../../../pod-server/ratelimit/MemoryRateCounterStore';
import { WindowLimiter } from '../../../pod-server/ratelimit/WindowLimiter';
import { FakeClock, HOUR, MINUTE, SECOND } from './fakeClock';

describe('Rate counters', (): void => {
  let clock: FakeClock;
  let store: MemoryRateCounterStore;

  beforeEach((): void => {
    clock = new FakeClock();
    store = new MemoryRateCounterStore(clock, 1000);
  });

  describe('MemoryRateCounterStore', (): void => {
    it('counts up within the lifetime and starts again once it has passed.', async(): Promise<void> => {
      assert.deepEqual(await store.increment('a', MINUTE), { value: 1, expiresAt: clock.now() + MINUTE });
      clock.advance(59 * SECOND);
      assert.equal((await store.increment('a', MINUTE)).value, 2, 'adding does not move the expiry');
      clock.advance(SECOND);
      assert.equal(await store.get('a'), undefined);
      assert.equal((await store.increment('a', MINUTE)).value, 1);
    });

    it('keeps what set stores until it expires, and forgets what delete names.', async(): Promise<void> => {
      await store.set('a', { value: 7, expiresAt: clock.now() + HOUR });
      await store.set('b', { value: 1, expiresAt: clock.now() + HOUR });
      await store.delete('b');
      assert.deepEqual(await store.get('a'), { value: 7, expiresAt: clock.now() + HOUR });
      assert.equal(await store.get('b'), undefined);
      clock.advance(HOUR);
      assert.equal(await store.get('a'), undefined);
    });

    it('never holds more than its maximum, dropping the counter written longest ago.', async(): Promise<void> => {
      const small = new MemoryRateCounterStore(clock, 3);
      for (const key of [ 'a', 'b', 'c' ]) {
        await small.increment(key, HOUR);
      }
      await small.increment('a', HOUR);
      await small.increment('d', HOUR);
      assert.equal(small.size, 3);
      assert.equal(await small.get('b'), undefined, 'b was written longest ago');
      assert.equal((await small.get('a'))?.value, 2);
    });

    it('drops expired counters as it writes, so a quiet store does not keep growing.', async(): Promise<void> => {
      for (let index = 0; index < 200; index += 1) {
        await store.increment(`old-${index}`, MINUTE);
      }
      clock.advance(MINUTE);
      for (let index = 0; index < 60; index += 1) {
        await store.increment(`new-${index}`, HOUR);
      }
      assert.equal(store.size, 60, 'a few expired ones dropped per write');
    });
  });

  describe('WindowLimiter', (): void => {
    it('lets the allowed count through, then refuses with the seconds left in the window.', async(): Promise<void> => {
      const limiter = new WindowLimiter(store, clock);
      const limit = { count: 3, window: HOUR };
      for (let index = 0; index < 3; index += 1) {
        assert.equal(await limiter.count('signup|1.2.3.4', limit), undefined);
        clock.advance(MINUTE);
      }
      assert.equal(await limiter.count('signup|1.2.3.4', limit), (HOUR - 3 * MINUTE) / SECOND);
      assert.equal(await limiter.count('signup|5.6.7.8', limit), undefined, 'another key has its own count');
      clock.advance(HOUR - 3 * MINUTE);
      assert.equal(await limiter.count('signup|1.2.3.4', limit), undefined, 'a new window');
    });

    it('asks to wait at least one second, even in the window\'s last milliseconds.', async(): Promise<void> => {
      const limiter = new WindowLimiter(store, clock);
      await limiter.count('k', { count: 1, window: SECOND });
      clock.advance(999);
      assert.equal(await limiter.count('k', { count: 1, window: SECOND }), 1);
    });
  });
});
