import { getLoggerFor } from '@solid/community-server';
import type { PodChangeTimes } from './PodChangeTimes';
import type { RedisConnection, RedisScript } from './RedisConnection';

// Keeps the later time: processes' notes may arrive out of order.
const RECORD_LATER = `local known = tonumber(redis.call("hget", KEYS[1], ARGV[1]))
if known == nil or known < tonumber(ARGV[2]) then redis.call("hset", KEYS[1], ARGV[1], ARGV[2]) end
return 1`;

/** Pod change times in one Redis hash, written by every FMP process as it hears writes. */
export class RedisPodChangeTimes implements PodChangeTimes {
  protected readonly logger = getLoggerFor(this);
  private readonly recordLater: RedisScript;

  /** @param redis - The FMP's Redis. */
  public constructor(private readonly redis: RedisConnection) {
    this.recordLater = redis.script(1, RECORD_LATER);
  }

  public record(podRoot: string, time: number): void {
    this.recordLater([ this.redis.key('pod-changes') ], [ podRoot, time ]).catch((error: Error): void => {
      this.logger.warn(`Could not note a change of ${podRoot}: ${error.message}`);
    });
  }

  public async lastChange(podRoot: string): Promise<number | undefined> {
    const time = await this.redis.client.hget(this.redis.key('pod-changes'), podRoot);
    return time === null ? undefined : Number(time);
  }
}
