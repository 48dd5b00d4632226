import { ShapeViolationError } from '../../shapes/access/ShapeViolationError';
import { TargetRefusedError, TargetRetriableError } from './targetErrors';

/** What to do with a job that failed: again at `retryAt`, or give up (a dead letter) for `reason`. */
export interface RetryDecision {
  readonly retryAt?: number;
  readonly reason: string;
}

/** Attempts before a change that keeps failing for a passing reason becomes a dead letter. */
export const MAX_ATTEMPTS = 12;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 10 * 60_000;

/**
 * Decides about a failed job, on its `attempt`-th try: a refusal (the target's 4xx, data the pod's shapes or the
 * mapping refuse) is final; anything else (429, 5xx, the network, a pod that is busy) is tried again after an
 * exponential backoff with full jitter, never sooner than the target's `Retry-After`, up to {@link MAX_ATTEMPTS}.
 */
export function retryDecision(attempt: number, error: unknown, now: number, random: () => number = Math.random): RetryDecision {
  const reason = (error as Error).message.split('\n')[0];
  if (TargetRefusedError.isInstance(error) || error instanceof ShapeViolationError || isMappingError(error)) {
    return { reason: TargetRefusedError.isInstance(error) ? error.reason : reason };
  }
  if (attempt >= MAX_ATTEMPTS) {
    return { reason: `gave up after ${attempt} attempts: ${reason}` };
  }
  const backoff = random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  const asked = TargetRetriableError.isInstance(error) ? error.retryAfterMs ?? 0 : 0;
  return { retryAt: now + Math.max(asked, backoff), reason };
}

/** Mapping errors of any bridge (`ShopifyMappingError`, …): the data cannot be mapped, so retrying will not help. */
function isMappingError(error: unknown): boolean {
  return error instanceof Error && error.name.endsWith('MappingError');
}
