import type { GrantInput } from '../model/createGrant';
import { isWithin } from '../util/iri';
import type { AccessRequest } from './AccessRequest';
import { AccessRequestError } from './AccessRequest';

/** What the member decides when approving: the clock, their pod, and optionally less than was asked. */
export interface ApproveOptions {
  now: Date;
  podRoot: string;
  /** Milliseconds; must not exceed the requested duration. */
  shortenTo?: number;
  /** Absolute IRIs, each equal to or inside a requested scope entry. */
  narrowScope?: readonly string[];
  /** IRI for the grant; createGrant mints one when absent. */
  grantId?: string;
}

/**
 * Turns a pending request into the input for createGrant (which still applies the FMP's limits).
 * The member may shorten and narrow, never widen. The request is not modified; see markRequest.
 */
export function approveRequest(request: AccessRequest, options: ApproveOptions): GrantInput {
  assertPending(request);
  const duration = options.shortenTo ?? request.duration;
  if (!(duration > 0) || duration > request.duration) {
    throw new AccessRequestError(`The grant may last between 1 ms and the ${request.duration} ms requested, not ${duration} ms.`);
  }
  const scope = options.narrowScope ?? request.scope;
  for (const entry of scope) {
    if (!request.scope.some((asked): boolean => asked === entry || isWithin(asked, entry))) {
      throw new AccessRequestError(`${entry} is not part of what was requested; approval can only narrow the scope.`);
    }
  }
  return {
    ...options.grantId ? { id: options.grantId } : {},
    grantor: request.grantor,
    podRoot: options.podRoot,
    grantee: request.requester,
    scope: [ ...scope ],
    modes: [ ...request.modes ],
    purpose: { ...request.purpose },
    validFrom: options.now,
    validUntil: new Date(options.now.getTime() + duration),
  };
}

/** Returns a denied copy of a pending request. */
export function denyRequest(request: AccessRequest, now: Date): AccessRequest {
  return markRequest(request, 'denied', now);
}

/** Returns a copy of a pending request marked approved or denied at `now`. */
export function markRequest(request: AccessRequest, status: 'approved' | 'denied', now: Date): AccessRequest {
  assertPending(request);
  return { ...request, status, decidedAt: new Date(now.getTime()) };
}

function assertPending(request: AccessRequest): void {
  if (request.status !== 'pending') {
    throw new AccessRequestError(`The request ${request.id} was already ${request.status}.`);
  }
}
