import { findOutboundRefusal } from '../../consent/outbound/OutboundRefusedError';
import { ShapeViolationError } from '../../shapes/access/ShapeViolationError';
import { decideNextAttempt } from './retryPolicy';
import type { RetryDecision } from './retryPolicy';
import { TargetRefusedError, TargetRetriableError } from './targetErrors';

/**
 * Decides about a failed job on its `attempts`-th try: a refusal (the target's 4xx, data the pod's shapes or the
 * mapping refuse) is a dead letter at once, with the reason; anything else (429, 5xx, the network, a pod that is
 * busy or frozen) is tried again by the retry policy, never sooner than the target's `Retry-After`.
 */
export function retryDecision(attempts: number, error: unknown, now: number, random: () => number = Math.random): RetryDecision {
  if (TargetRefusedError.isInstance(error)) {
    return { deadLetter: error.reason };
  }
  const message = (error as Error).message.split('\n')[0];
  if (error instanceof ShapeViolationError || isMappingError(error)) {
    return { deadLetter: message };
  }
  // The FMP does not let the bridge reach the target's address: no retry will.
  const refusal = findOutboundRefusal(error);
  if (refusal) {
    return { deadLetter: refusal.message };
  }
  return decideNextAttempt({ attempts, error: message, now, random,
    retryAfterMs: TargetRetriableError.isInstance(error) ? error.retryAfterMs : undefined });
}

/** Mapping errors of any bridge (`ShopifyMappingError`, …): the data cannot be mapped, so retrying will not help. */
function isMappingError(error: unknown): boolean {
  return error instanceof Error && error.name.endsWith('MappingError');
}
