import type { Grant } from './Grant';

/** Freezes a grant and its nested objects so shared copies (index, cache) cannot be changed by accident. */
export function freezeGrant(grant: Grant): Grant {
  Object.freeze(grant.grantee);
  Object.freeze(grant.scope);
  Object.freeze(grant.modes);
  Object.freeze(grant.purpose);
  return Object.freeze(grant);
}
