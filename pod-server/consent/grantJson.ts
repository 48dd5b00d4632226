import type { Grant } from '../../consent';
import { getGrantState } from '../../consent';

/** A grant as the consent API shows it: plain JSON with ISO dates and its state at `now`. */
export function grantToJson(grant: Grant, now: Date): Record<string, unknown> {
  return {
    id: grant.id,
    state: getGrantState(grant, now),
    grantor: grant.grantor,
    grantee: grant.grantee,
    scope: grant.scope,
    modes: grant.modes,
    purpose: grant.purpose,
    validFrom: grant.validFrom.toISOString(),
    validUntil: grant.validUntil.toISOString(),
    status: grant.status,
    issuedAt: grant.issuedAt.toISOString(),
    ...grant.revokedAt ? { revokedAt: grant.revokedAt.toISOString() } : {},
  };
}
