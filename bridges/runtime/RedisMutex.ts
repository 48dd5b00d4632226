import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Mutex } from './Mutex';

// Only the holder (its token) may let go of or extend a lock: one that lapsed and was taken by another is left alone.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/**
 * A {@link Mutex} across processes and machines sharing one Redis: the single-instance lock Redis documents
 * (`SET key token NX PX ttl`, released by its holder only). bullmq has no general lock to lend, and this is the
 * well-known pattern. The lock lapses `ttlMs` after a holder dies, so a killed process never leaves it taken; a live
 * holder extends it while its work runs.
 */
export class RedisMutex implements Mutex {
  /**
   * @param redis - The connection (not closed here).
   * @param prefix - Prefix of the lock keys.
   * @param ttlMs - How long a lock outlives a dead holder.
   * @param waitMs - How long to wait for a lock before giving up (an error).
   */
  public constructor(
    private readonly redis: Redis,
    private readonly prefix = 'fmp:bridges:lock:',
    private readonly ttlMs = 15_000,
    private readonly waitMs = 60_000,
  ) {}

  public async withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    const key = `${this.prefix}${name}`;
    const token = randomUUID();
    await this.acquire(key, token);
    const extend = setInterval((): void => {
      this.redis.eval(EXTEND, 1, key, token, String(this.ttlMs)).catch((): void => undefined);
    }, this.ttlMs / 3);
    try {
      return await work();
    } finally {
      clearInterval(extend);
      await this.redis.eval(RELEASE, 1, key, token);
    }
  }

  private async acquire(key: string, token: string): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    for (let pause = 5; await this.redis.set(key, token, 'PX', this.ttlMs, 'NX') !== 'OK'; pause = Math.min(pause * 2, 200)) {
      if (Date.now() > deadline) {
        throw new Error(`Could not take the lock ${key} within ${this.waitMs} ms`);
      }
      await new Promise((resolve): NodeJS.Timeout => setTimeout(resolve, pause));
    }
  }
}
