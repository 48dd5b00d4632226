import type { JWTPayload } from 'jose';
import type { Grant, Grantee, GrantMode } from '../model/Grant';
import { FMP_MEMBERS_AGENT, getGranteeId, PUBLIC_AGENT } from '../model/Grant';
import { PREFIXES } from '../vocabulary';

/** The VC type Inrupt's access grants use, kept so Solid tooling recognises ours. */
export const GRANT_CREDENTIAL_TYPE = 'SolidAccessGrant';

const MODE_NAMES: Record<GrantMode, string> = { read: 'Read', append: 'Append', write: 'Write' };

// An inline context, so the credential is self-describing JSON-LD without fetching Inrupt's context.
// Term names avoid `issuer`, which the VC 1.1 context protects.
const GRANT_CONTEXT = {
  gc: PREFIXES.gc,
  acl: PREFIXES.acl,
  acp: PREFIXES.acp,
  dcterms: PREFIXES.dcterms,
  rdfs: PREFIXES.rdfs,
  SolidAccessGrant: 'http://www.w3.org/ns/solid/vc#SolidAccessGrant',
  hasConsent: { '@id': 'gc:hasConsent', '@type': '@id' },
  isConsentForDataSubject: { '@id': 'gc:isConsentForDataSubject', '@type': '@id' },
  isProvidedTo: { '@id': 'gc:isProvidedTo', '@type': '@id' },
  forPersonalData: { '@id': 'gc:forPersonalData', '@type': '@id' },
  forPurpose: { '@id': 'gc:forPurpose', '@type': '@id' },
  hasStatus: { '@id': 'gc:hasStatus', '@type': '@vocab' },
  ConsentStatusExplicitlyGiven: 'gc:ConsentStatusExplicitlyGiven',
  mode: { '@id': 'acl:mode', '@type': '@vocab' },
  Read: 'acl:Read',
  Append: 'acl:Append',
  Write: 'acl:Write',
  description: 'dcterms:description',
  agent: { '@id': 'acp:agent', '@type': '@id' },
  client: 'acp:client',
  oidcIssuer: { '@id': 'acp:issuer', '@type': '@id' },
  label: 'rdfs:label',
} as const;

/** The grantee as it appears in `isProvidedTo`: a WebID, or a small matcher object for apps and peers. */
export type GranteeClaim = string | { client: string; agent?: string } | { oidcIssuer: string; label?: string };

/** The consent a grant credential carries, in Inrupt's GConsent JSON shape. */
export interface ConsentClaim {
  isConsentForDataSubject: string;
  isProvidedTo: GranteeClaim;
  forPersonalData: string[];
  mode: string[];
  hasStatus: 'ConsentStatusExplicitlyGiven';
  description: string;
  forPurpose?: string;
}

/** The `vc` claim of a grant VC-JWT (VC Data Model 1.1, JWT encoding: issuer, dates and id live in JWT claims). */
export interface GrantVcClaim {
  '@context': [ string, typeof GRANT_CONTEXT ];
  type: [ 'VerifiableCredential', typeof GRANT_CREDENTIAL_TYPE ];
  credentialSubject: { id?: string; hasConsent: ConsentClaim };
}

/** JWT claims for a grant: `iss` the FMP, `sub` the grantee, `jti` the grant, `nbf`/`exp` its validity. */
export function grantToCredentialClaims(grant: Grant, issuer: string): JWTPayload & { vc: GrantVcClaim } {
  const subject = getGranteeId(grant.grantee);
  const consent: ConsentClaim = {
    isConsentForDataSubject: grant.grantor,
    isProvidedTo: granteeToClaim(grant.grantee),
    forPersonalData: [ ...grant.scope ],
    mode: grant.modes.map((mode): string => MODE_NAMES[mode]),
    hasStatus: 'ConsentStatusExplicitlyGiven',
    description: grant.purpose.text,
    ...grant.purpose.iri ? { forPurpose: grant.purpose.iri } : {},
  };
  return {
    iss: issuer,
    sub: subject,
    jti: grant.id,
    nbf: toNumericDate(grant.validFrom),
    exp: toNumericDate(grant.validUntil),
    iat: toNumericDate(grant.issuedAt),
    vc: {
      '@context': [ 'https://www.w3.org/2018/credentials/v1', GRANT_CONTEXT ],
      type: [ 'VerifiableCredential', GRANT_CREDENTIAL_TYPE ],
      // VC-JWT says `sub` is credentialSubject.id; a CSS client-credentials id is no IRI, so it is left out then.
      credentialSubject: isAbsoluteIri(subject) ? { id: subject, hasConsent: consent } : { hasConsent: consent },
    },
  };
}

function granteeToClaim(grantee: Grantee): GranteeClaim {
  switch (grantee.kind) {
    case 'agent': return grantee.webId;
    case 'app': return grantee.webId ? { client: grantee.clientId, agent: grantee.webId } : { client: grantee.clientId };
    case 'peer': return grantee.peerName ? { oidcIssuer: grantee.issuer, label: grantee.peerName } : { oidcIssuer: grantee.issuer };
    case 'fmp-members': return FMP_MEMBERS_AGENT;
    case 'public': return PUBLIC_AGENT;
  }
}

function toNumericDate(date: Date): number {
  return Math.floor(date.getTime() / 1_000);
}

function isAbsoluteIri(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/iu.test(value);
}
