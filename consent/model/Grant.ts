/** An access mode a grant can give. Control is deliberately not one of them. */
export type GrantMode = 'read' | 'append' | 'write';

/** Every mode a grant may carry, in canonical order. */
export const GRANT_MODES: readonly GrantMode[] = [ 'read', 'append', 'write' ];

/** A person or service identified by its WebID. */
export interface AgentGrantee {
  kind: 'agent';
  webId: string;
}

/** An application identified by its Solid-OIDC client id, optionally only when used by one WebID. */
export interface AppGrantee {
  kind: 'app';
  clientId: string;
  webId?: string;
}

/** A peer FMP: every agent authenticated by its OIDC issuer. */
export interface PeerGrantee {
  kind: 'peer';
  issuer: string;
  peerName?: string;
}

/**
 * Every agent the identity provider of the FMP that hosts the pod authenticates (its members, their apps and
 * services). Stored as `gc:isProvidedTo fmp:FmpMembers`, so it follows the pod when the pod moves to another FMP.
 */
export interface FmpMembersGrantee {
  kind: 'fmp-members';
}

/** Everyone, anonymous included; read only. Stored as `gc:isProvidedTo acp:PublicAgent`. */
export interface PublicGrantee {
  kind: 'public';
}

/** Who a grant is for. */
export type Grantee = AgentGrantee | AppGrantee | PeerGrantee | FmpMembersGrantee | PublicGrantee;

/** The IRI standing for every member of the hosting FMP, as grantee. */
export const FMP_MEMBERS_AGENT = 'https://w3id.org/fmp-vault/ns#FmpMembers';

/** ACP's IRI for any agent, authenticated or not. */
export const PUBLIC_AGENT = 'http://www.w3.org/ns/solid/acp#PublicAgent';

/** Whether a grant of this grantee reaches more than one known party (members of an FMP or everyone). */
export function isAudienceGrantee(grantee: Grantee): grantee is FmpMembersGrantee | PublicGrantee {
  return grantee.kind === 'fmp-members' || grantee.kind === 'public';
}

/** Why access is given: free text, optionally with a purpose IRI (e.g. from W3C DPV). */
export interface Purpose {
  text: string;
  iri?: string;
}

/** Whether a grant still works (expiry is not a status: it follows from `validUntil`). */
export type GrantStatus = 'active' | 'revoked';

/** A member's time-limited, revocable consent for a grantee to access part of their pod. */
export interface Grant {
  /** IRI of the grant resource. */
  id: string;
  /** WebID of the member who gives access. */
  grantor: string;
  grantee: Grantee;
  /** Resource or container IRIs inside the grantor's pod; a container (ending in `/`) includes its contents. */
  scope: string[];
  modes: GrantMode[];
  purpose: Purpose;
  validFrom: Date;
  /** Exclusive end of validity. */
  validUntil: Date;
  status: GrantStatus;
  issuedAt: Date;
  revokedAt?: Date;
}

/** The stable identifier of a grantee, as used for a VC's `sub`: WebID, client id or issuer. */
export function getGranteeId(grantee: Grantee): string {
  switch (grantee.kind) {
    case 'agent': return grantee.webId;
    case 'app': return grantee.clientId;
    case 'peer': return grantee.issuer;
    case 'fmp-members': return FMP_MEMBERS_AGENT;
    case 'public': return PUBLIC_AGENT;
  }
}
