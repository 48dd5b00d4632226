import { randomUUID } from 'node:crypto';
import type { ReadWriteLocker, ResourceIdentifier } from '@solid/community-server';
import { getLoggerFor } from '@solid/community-server';
import { DELETE_IF_HELD, RENEW_IF_HELD, RENEW_MEMBER } from './heldKeyScripts';
import { keepRenewing } from './keepRenewing';
import type { RedisConnection, RedisScript } from './RedisConnection';
import { REDIS_NOW } from './RedisConnection';

type PromiseOrValue<T> = T | Promise<T>;

// Readers are a sorted set of holder tokens scored by when they lapse; a writer is one key holding its token, with an
// expiry. Each holder renews what it holds; a process that dies stops renewing and its locks lapse within the TTL.
const ACQUIRE_READ = `${REDIS_NOW}
if redis.call("exists", KEYS[1]) == 1 then return 0 end
redis.call("zremrangebyscore", KEYS[2], "-inf", now)
redis.call("zadd", KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
redis.call("pexpire", KEYS[2], ARGV[2])
return 1`;
const ACQUIRE_WRITE = `${REDIS_NOW}
if redis.call("exists", KEYS[1]) == 1 then return 0 end
redis.call("zremrangebyscore", KEYS[2], "-inf", now)
if redis.call("zcard", KEYS[2]) > 0 then return 0 end
redis.call("set", KEYS[1], ARGV[1], "PX", ARGV[2])
return 1`;
const RELEASE_READ = 'return redis.call("zrem", KEYS[2], ARGV[1])';

/**
 * CSS's resource locks (`urn:solid-server:default:ResourceLocker`, inside CSS's `WrappedExpiringReadWriteLocker`) in
 * Redis, shared by every FMP process, with many readers or one writer per resource as CSS's `RedisLocker` has them.
 * Unlike that one, every lock here lapses `ttlMs` after its holder stops renewing it: CSS's keeps a lock forever when
 * its process is killed holding it (and waits for it without end), so one SIGKILLed process would block the resource
 * on every other. Nothing is cleared at start, so a process joining never wipes the locks of those running.
 */
export class ExpiringRedisLocker implements ReadWriteLocker {
  protected readonly logger = getLoggerFor(this);
  private readonly acquireRead: RedisScript;
  private readonly acquireWrite: RedisScript;
  private readonly renewRead: RedisScript;
  private readonly renewWrite: RedisScript;
  private readonly releaseRead: RedisScript;
  private readonly releaseWrite: RedisScript;

  /**
   * @param redis - The FMP's Redis.
   * @param ttlMs - How long a lock outlives its holder's last renewal (renewed every third of it).
   * @param retryDelayMs - How long a waiting request waits before it tries again (plus up to as much again at random).
   */
  public constructor(private readonly redis: RedisConnection, private readonly ttlMs = 15_000, private readonly retryDelayMs = 10) {
    this.acquireRead = redis.script(2, ACQUIRE_READ);
    this.acquireWrite = redis.script(2, ACQUIRE_WRITE);
    this.renewRead = redis.script(2, RENEW_MEMBER);
    this.renewWrite = redis.script(2, RENEW_IF_HELD);
    this.releaseRead = redis.script(2, RELEASE_READ);
    this.releaseWrite = redis.script(2, DELETE_IF_HELD);
  }

  public async withReadLock<T>(identifier: ResourceIdentifier, whileLocked: () => PromiseOrValue<T>): Promise<T> {
    return this.withLock(identifier, whileLocked, this.acquireRead, this.renewRead, this.releaseRead);
  }

  public async withWriteLock<T>(identifier: ResourceIdentifier, whileLocked: () => PromiseOrValue<T>): Promise<T> {
    return this.withLock(identifier, whileLocked, this.acquireWrite, this.renewWrite, this.releaseWrite);
  }

  private async withLock<T>(identifier: ResourceIdentifier, whileLocked: () => PromiseOrValue<T>, acquire: RedisScript,
    renew: RedisScript, release: RedisScript): Promise<T> {
    const keys = [ this.redis.key(`lock:w:${identifier.path}`), this.redis.key(`lock:r:${identifier.path}`) ];
    const token = randomUUID();
    while (Number(await acquire(keys, [ token, this.ttlMs ])) !== 1) {
      await new Promise((resolve): NodeJS.Timeout => setTimeout(resolve, this.retryDelayMs * (1 + Math.random())));
    }
    const stopRenewing = keepRenewing(async(): Promise<unknown> => renew(keys, [ token, this.ttlMs ]), this.ttlMs / 3,
      (error): void => {
        this.logger.warn(`Could not renew the lock on ${identifier.path}: ${error.message}`);
      });
    try {
      return await whileLocked();
    } finally {
      stopRenewing();
      await release(keys, [ token ]).catch((error: Error): void => {
        // It lapses by itself within the TTL.
        this.logger.warn(`Could not release the lock on ${identifier.path}: ${error.message}`);
      });
    }
  }
}
