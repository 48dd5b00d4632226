import type { AccessRequest } from '../../consent';
import { formatDuration } from '../../consent';

/** An access request as the consent API shows it. */
export function accessRequestToJson(request: AccessRequest): Record<string, unknown> {
  return {
    id: request.id,
    status: request.status,
    requester: request.requester,
    scope: request.scope,
    modes: request.modes,
    purpose: request.purpose,
    duration: formatDuration(request.duration),
    requestedAt: request.requestedAt.toISOString(),
    ...request.decidedAt ? { decidedAt: request.decidedAt.toISOString() } : {},
  };
}
