import { parseDuration } from '../../consent/model/parseDuration';

/** At most `count` events per `window` milliseconds. */
export interface RateLimit {
  count: number;
  window: number;
}

/** Thrown for a rate limit or setting that cannot be read; the message says what is accepted. */
export class RateLimitSettingError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'RateLimitSettingError';
  }
}

const RATE_LIMIT = /^(\d+)\s*\/\s*(\S+)$/u;

/** Reads a rate limit written as `<count>/<duration>`, e.g. `30/1h` or `10/15m`. */
export function parseRateLimit(name: string, text: string): RateLimit {
  const match = RATE_LIMIT.exec(String(text).trim());
  const count = Number(match?.[1]);
  if (!match || !Number.isSafeInteger(count) || count < 1) {
    throw new RateLimitSettingError(`Invalid ${name} "${text}": use a count of 1 or more, a slash and a duration, e.g. 30/1h.`);
  }
  return { count, window: parseDurationFor(name, match[2]) };
}

/** Reads a duration such as `90s`, `15m`, `2h` or `30d`, naming the setting if it cannot. */
export function parseDurationFor(name: string, text: string): number {
  try {
    return parseDuration(String(text));
  } catch (error: unknown) {
    throw new RateLimitSettingError(`Invalid ${name}: ${(error as Error).message}`);
  }
}

/** Whole seconds to wait until `until`, at least 1, as `Retry-After` wants them. */
export function secondsUntil(until: number, now: number): number {
  return Math.max(1, Math.ceil((until - now) / 1000));
}
