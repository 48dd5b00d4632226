import { Redis } from 'ioredis';

/** A Lua script run on the FMP's Redis: keys first, then arguments. */
export type RedisScript = (keys: string[], args: (string | number)[]) => Promise<unknown>;

/** Whether `url` names a Redis server the way `--redis` takes it: `redis://host…` or `rediss://host…`. */
export function isRedisUrl(url: string): boolean {
  return /^rediss?:\/\/[^/]/u.test(url);
}

/** Lua that sets `now` to Redis's own clock in milliseconds, so processes on machines with skewed clocks agree. */
export const REDIS_NOW = 'local clock = redis.call("TIME") local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)';

/**
 * The FMP's connection to Redis (`--redis`), shared by every part that coordinates processes, and the prefix all its
 * keys carry: the base URL, so several FMPs may share one Redis without sharing state.
 */
export class RedisConnection {
  private connection?: Redis;
  private subscriber?: Redis;
  private scriptCount = 0;
  public readonly prefix: string;

  /**
   * @param redisUrl - `redis://host:port[/db]` (`urn:fmp:variable:redisUrl`).
   * @param baseUrl - The FMP's public base URL.
   */
  public constructor(private readonly redisUrl: string, baseUrl: string) {
    if (!isRedisUrl(redisUrl)) {
      throw new Error(`--redis must be a redis:// or rediss:// URL, not "${redisUrl}".`);
    }
    this.prefix = `fmp:${baseUrl}:`;
  }

  /** The connection for commands, opened at first use. */
  public get client(): Redis {
    this.connection ??= this.open();
    return this.connection;
  }

  /** A second connection for subscriptions (a subscribed connection runs no other commands). */
  public get subscriptions(): Redis {
    this.subscriber ??= this.open();
    return this.subscriber;
  }

  /** The key `name` in this FMP's part of Redis. */
  public key(name: string): string {
    return `${this.prefix}${name}`;
  }

  /**
   * A Lua script, sent once and then run by its hash. Without `numberOfKeys`, each call passes the number of keys as
   * its first argument, followed by the keys.
   */
  public script(numberOfKeys: number | undefined, lua: string): RedisScript {
    const name = `fmpScript${this.scriptCount++}`;
    let defined = false;
    return async(keys, args): Promise<unknown> => {
      const client = this.client;
      if (!defined) {
        client.defineCommand(name, numberOfKeys === undefined ? { lua } : { numberOfKeys, lua });
        defined = true;
      }
      return (client as unknown as Record<string, (...values: (string | number)[]) => Promise<unknown>>)[name](...keys, ...args);
    };
  }

  /** Closes the connections (the server stops). */
  public async close(): Promise<void> {
    await Promise.all([ this.connection, this.subscriber ].map(async(redis): Promise<unknown> => redis?.quit().catch((): void => {
      redis.disconnect();
    })));
    this.connection = undefined;
    this.subscriber = undefined;
  }

  private open(): Redis {
    // Commands wait for a lost connection to come back rather than fail at once; an unreachable Redis fails them
    // after a few tries, and the caller decides what that means (always towards refusing).
    const redis = new Redis(this.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: false });
    redis.on('error', (): void => undefined);
    return redis;
  }
}
