import type { Grantee } from '../model/Grant';
import { normaliseIssuer } from '../util/iri';
import type { RequestCredentials } from './RequestCredentials';

// One key space for the three kinds of grantee, so one Map lookup per credential field finds all candidates.

/** The index key under which a grant for this grantee is stored. */
export function getGranteeKey(grantee: Grantee): string {
  switch (grantee.kind) {
    case 'agent': return `agent ${grantee.webId}`;
    case 'app': return `client ${grantee.clientId}`;
    case 'peer': return `issuer ${normaliseIssuer(grantee.issuer)}`;
  }
}

/** The index keys a request with these credentials can match (at most three). */
export function getCredentialKeys(credentials: RequestCredentials): string[] {
  const keys: string[] = [];
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

/** True if a grantee found under one of the credential keys really matches (an app may be tied to one WebID). */
export function isGranteeMatched(grantee: Grantee, credentials: RequestCredentials): boolean {
  switch (grantee.kind) {
    case 'agent':
      return credentials.agent?.webId === grantee.webId;
    case 'app':
      return credentials.client?.clientId === grantee.clientId &&
        (grantee.webId === undefined || credentials.agent?.webId === grantee.webId);
    case 'peer':
      return typeof credentials.issuer?.url === 'string' &&
        normaliseIssuer(credentials.issuer.url) === normaliseIssuer(grantee.issuer);
  }
}
