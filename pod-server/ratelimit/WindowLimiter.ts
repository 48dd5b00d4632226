import { getLoggerFor } from '@solid/community-server';
import type { Clock } from './Clock';
import type { RateLimit } from './RateLimit';
import { secondsUntil } from './RateLimit';
import type { RateCounterStore } from './RateCounterStore';

/**
 * Counts events per key in fixed windows: the first event of a key opens a window of `limit.window`, and events
 * past `limit.count` within it are refused until it ends. Refused events are counted too, which changes nothing
 * but the count.
 */
export class WindowLimiter {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param store - Where the counters are kept.
   * @param clock - Tells the time windows end by.
   */
  public constructor(private readonly store: RateCounterStore, private readonly clock: Clock) {}

  /** Counts one event for `key`; answers the seconds to wait if it is one too many, else undefined. */
  public async count(key: string, limit: RateLimit): Promise<number | undefined> {
    const counter = await this.store.increment(key, limit.window);
    if (counter.value <= limit.count) {
      return undefined;
    }
    if (counter.value === limit.count + 1) {
      // Once per window, so a flood does not flood the log too.
      this.logger.warn(`${key} went over its limit of ${limit.count} per ${limit.window / 1000} s; refused until the window ends.`);
    }
    return secondsUntil(counter.expiresAt, this.clock.now());
  }
}
