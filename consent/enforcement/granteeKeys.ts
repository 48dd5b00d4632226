import type { Grantee } from '../model/Grant';
import { normaliseIssuer } from '../util/iri';
import type { RequestCredentials } from './RequestCredentials';

// One key space for every kind of grantee, so one Map lookup per credential field finds all candidates.

const PUBLIC_KEY = 'audience public';
const FMP_MEMBERS_KEY = 'audience fmp-members';

/** The index key under which a grant for this grantee is stored. */
export function getGranteeKey(grantee: Grantee): string {
  switch (grantee.kind) {
    case 'agent': return `agent ${grantee.webId}`;
    case 'app': return `client ${grantee.clientId}`;
    case 'peer': return `issuer ${normaliseIssuer(grantee.issuer)}`;
    case 'fmp-members': return FMP_MEMBERS_KEY;
    case 'public': return PUBLIC_KEY;
  }
}

/**
 * The index keys a request with these credentials can match (at most five). Every request, anonymous included,
 * can match a public grant; only a member of the hosting FMP (see {@link isHostMember}) an fmp-members grant.
 */
export function getCredentialKeys(credentials: RequestCredentials, hostMember = false): string[] {
  const keys: string[] = [ PUBLIC_KEY ];
  if (hostMember) {
    keys.push(FMP_MEMBERS_KEY);
  }
  if (typeof credentials.agent?.webId === 'string') {
    keys.push(`agent ${credentials.agent.webId}`);
  }
  if (typeof credentials.client?.clientId === 'string') {
    keys.push(`client ${credentials.client.clientId}`);
  }
  if (typeof credentials.issuer?.url === 'string') {
    keys.push(`issuer ${normaliseIssuer(credentials.issuer.url)}`);
  }
  return keys;
}

/**
 * Whether the request comes from an agent the hosting FMP's own identity provider authenticated: a WebID, with a
 * token whose (verified) issuer is `hostIssuer`. Without a host issuer nobody is a member: fail closed.
 */
export function isHostMember(credentials: RequestCredentials, hostIssuer: string | undefined): boolean {
  return typeof hostIssuer === 'string' && hostIssuer.length > 0 &&
    typeof credentials.agent?.webId === 'string' && credentials.agent.webId.length > 0 &&
    typeof credentials.issuer?.url === 'string' &&
    normaliseIssuer(credentials.issuer.url) === normaliseIssuer(hostIssuer);
}

/** True if a grantee found under one of the credential keys really matches (an app may be tied to one WebID). */
export function isGranteeMatched(grantee: Grantee, credentials: RequestCredentials, hostMember = false): boolean {
  switch (grantee.kind) {
    case 'agent':
      return credentials.agent?.webId === grantee.webId;
    case 'app':
      return credentials.client?.clientId === grantee.clientId &&
        (grantee.webId === undefined || credentials.agent?.webId === grantee.webId);
    case 'peer':
      return typeof credentials.issuer?.url === 'string' &&
        normaliseIssuer(credentials.issuer.url) === normaliseIssuer(grantee.issuer);
    case 'fmp-members':
      return hostMember;
    case 'public':
      return true;
    default:
      return false;
  }
}
