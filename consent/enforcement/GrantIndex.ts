import type { Grant, GrantMode } from '../model/Grant';
import { normaliseHttpIri } from '../util/iri';
import { getCredentialKeys, getGranteeKey } from './granteeKeys';
import type { RequestCredentials } from './RequestCredentials';

/** A grant with its scope normalised once, so each request only compares strings. */
export interface IndexedGrant {
  grant: Grant;
  scope: readonly string[];
  modes: ReadonlySet<GrantMode>;
}

/**
 * Grants keyed by grantee (WebID, client id or issuer), so a request only looks at the grants that name one
 * of its credentials instead of all of them. Build it once per change of the grants, not per request.
 * Revoked grants are left out: they can never become active again.
 */
export class GrantIndex {
  private readonly byKey = new Map<string, IndexedGrant[]>();
  private indexed = 0;

  public constructor(grants: Iterable<Grant>) {
    for (const grant of grants) {
      if (grant.status !== 'active') {
        continue;
      }
      const key = getGranteeKey(grant.grantee);
      const bucket = this.byKey.get(key) ?? [];
      bucket.push({ grant, scope: normaliseScope(grant.scope), modes: new Set(getEnforcedModes(grant)) });
      this.byKey.set(key, bucket);
      this.indexed += 1;
    }
  }

  /** Number of grants in the index. */
  public get size(): number {
    return this.indexed;
  }

  /** Number of distinct grantees in the index. */
  public get granteeCount(): number {
    return this.byKey.size;
  }

  /**
   * The grants filed under any of the request's credentials (still to be checked for time and scope).
   * @param hostMember - Whether the request is from a member of the hosting FMP (see `isHostMember`).
   */
  public getCandidates(credentials: RequestCredentials, hostMember = false): IndexedGrant[] {
    const candidates: IndexedGrant[] = [];
    for (const key of getCredentialKeys(credentials, hostMember)) {
      const bucket = this.byKey.get(key);
      if (bucket) {
        candidates.push(...bucket);
      }
    }
    return candidates;
  }
}

// A public grant is read only whatever it says: creation refuses more, and this holds for a grant written by hand.
function getEnforcedModes(grant: Grant): GrantMode[] {
  return grant.grantee.kind === 'public' ? grant.modes.filter((mode): boolean => mode === 'read') : grant.modes;
}

// A scope entry that is not already in normal form is dropped rather than repaired: fail closed.
function normaliseScope(scope: readonly string[]): string[] {
  return scope.filter((iri): boolean => normaliseHttpIri(iri) === iri);
}
