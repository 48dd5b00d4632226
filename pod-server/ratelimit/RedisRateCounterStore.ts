import type { RedisConnection, RedisScript } from '../cluster/RedisConnection';
import type { RateCounter, RateCounterStore } from './RateCounterStore';

const INCREMENT = `local value = redis.call("incr", KEYS[1])
if value == 1 then redis.call("pexpire", KEYS[1], ARGV[1]) end
return { value, redis.call("pttl", KEYS[1]) }`;
const READ = 'return { redis.call("get", KEYS[1]), redis.call("pttl", KEYS[1]) }';

/**
 * Rate counters in Redis, shared by every FMP process, so a limit holds for the whole FMP however requests are spread
 * over processes: `INCR` with a `PEXPIRE` set by the first, as {@link RateCounterStore} describes. Redis forgets
 * expired counters by itself.
 */
export class RedisRateCounterStore implements RateCounterStore {
  private readonly incrementScript: RedisScript;
  private readonly readScript: RedisScript;

  /** @param redis - The FMP's Redis. */
  public constructor(private readonly redis: RedisConnection) {
    this.incrementScript = redis.script(1, INCREMENT);
    this.readScript = redis.script(1, READ);
  }

  public async increment(key: string, lifetime: number): Promise<RateCounter> {
    const [ value, ttl ] = await this.incrementScript([ this.keyOf(key) ], [ Math.max(1, Math.ceil(lifetime)) ]) as [number, number];
    return { value, expiresAt: Date.now() + Math.max(0, ttl) };
  }

  public async get(key: string): Promise<RateCounter | undefined> {
    const [ value, ttl ] = await this.readScript([ this.keyOf(key) ], []) as [string | null, number];
    return value === null || ttl <= 0 ? undefined : { value: Number(value), expiresAt: Date.now() + ttl };
  }

  public async set(key: string, counter: RateCounter): Promise<void> {
    const lifetime = Math.ceil(counter.expiresAt - Date.now());
    if (lifetime <= 0) {
      await this.delete(key);
      return;
    }
    await this.redis.client.set(this.keyOf(key), String(counter.value), 'PX', lifetime);
  }

  public async delete(key: string): Promise<void> {
    await this.redis.client.del(this.keyOf(key));
  }

  private keyOf(key: string): string {
    return this.redis.key(`rate:${key}`);
  }
}
