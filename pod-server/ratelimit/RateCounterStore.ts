/** A counter and the time it is forgotten. */
export interface RateCounter {
  value: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/**
 * Where the rate limits keep their counters. Kept this small so that several FMP processes can later share one
 * (e.g. in Redis: `increment` is `INCR` plus `PEXPIRE … NX`, `set` is `SET … PXAT`).
 */
export interface RateCounterStore {
  /**
   * Adds one to the counter `key` and answers it. A counter that does not exist or has expired starts at 1 and
   * expires `lifetime` milliseconds from now; adding to it does not move its expiry.
   */
  increment: (key: string, lifetime: number) => Promise<RateCounter>;
  /** The counter `key`, or undefined once it expired. */
  get: (key: string) => Promise<RateCounter | undefined>;
  /** Replaces the counter `key`. */
  set: (key: string, counter: RateCounter) => Promise<void>;
  delete: (key: string) => Promise<void>;
}
