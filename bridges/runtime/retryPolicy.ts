/** How a bridge retries a failure the target may recover from (429, 5xx, no answer). */
export interface RetryPolicy {
  /** The longest first delay (ms); it doubles each attempt. */
  baseMs: number;
  /** The longest delay (ms) backoff alone ever gives. */
  capMs: number;
  /** After this many failed attempts the job goes to the dead letters. */
  maxAttempts: number;
}

/** 1 s doubling up to 10 min, 10 attempts: about 1.5 hours of trying at worst before a member is told. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({ baseMs: 1_000, capMs: 600_000, maxAttempts: 10 });

/** A retriable failure to decide about. */
export interface RetriableFailure {
  /** Failed attempts including this one (a job's `attempts` + 1). */
  attempts: number;
  error: string;
  now: number;
  /** The target's `Retry-After`, as ms from `now` (see {@link parseRetryAfter}). */
  retryAfterMs?: number;
  /** A number in [0, 1), e.g. `Math.random`. */
  random: () => number;
}

/** Either try again at `at`, or give up with the reason to show the member. */
export type RetryDecision = { retryAt: number } | { deadLetter: string };

/**
 * Decides when to try a retriable failure again: exponential backoff with full jitter (a random delay up to
 * min(cap, base × 2^(attempts−1))), never earlier than the target's `Retry-After`; after `maxAttempts` it gives up
 * with "gave up after N attempts: <error>".
 */
export function decideNextAttempt(failure: RetriableFailure, policy: RetryPolicy = DEFAULT_RETRY_POLICY): RetryDecision {
  if (failure.attempts >= policy.maxAttempts) {
    return { deadLetter: `gave up after ${failure.attempts} attempts: ${failure.error}` };
  }
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, failure.attempts - 1));
  const backoff = Math.floor(failure.random() * ceiling);
  return { retryAt: failure.now + Math.max(backoff, failure.retryAfterMs ?? 0) };
}

/**
 * Reads a `Retry-After` header (seconds, or an HTTP date) as ms from `now`; undefined if absent or unreadable, 0 for a
 * date in the past.
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  const value = header?.trim();
  if (!value) {
    return undefined;
  }
  if (/^\d+$/u.test(value)) {
    return Number(value) * 1_000;
  }
  // HTTP dates name the day and month; Date.parse alone would read "1.5" as a date too.
  const date = /[a-z]{3}/iu.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
