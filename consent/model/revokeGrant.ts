import type { Grant } from './Grant';
import { freezeGrant } from './freezeGrant';

/** Returns a revoked copy of the grant (the input is not modified); revoking twice keeps the first time. */
export function revokeGrant(grant: Grant, now: Date): Grant {
  if (grant.status === 'revoked') {
    return grant;
  }
  return freezeGrant({ ...grant, status: 'revoked', revokedAt: new Date(now.getTime()) });
}

/** Where a grant stands at `now`: `pending` before validFrom, `expired` from validUntil on. */
export function getGrantState(grant: Grant, now: Date): 'pending' | 'active' | 'expired' | 'revoked' {
  if (grant.status === 'revoked') {
    return 'revoked';
  }
  const time = now.getTime();
  if (time < grant.validFrom.getTime()) {
    return 'pending';
  }
  return time < grant.validUntil.getTime() ? 'active' : 'expired';
}
