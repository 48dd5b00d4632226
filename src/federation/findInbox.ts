import { DataFactory } from 'n3';
import type { GrantJson } from '../client/ConsentApi';
import { parseRdf } from '../../shapes/parseRdf';

const LDP_INBOX = 'http://www.w3.org/ns/ldp#inbox';

/**
 * Where to tell a grantee something: a peer FMP's inbox (from its `/.well-known/fmp`), or the `ldp:inbox` of an
 * agent's (or app's) WebID profile. Undefined for an app known only by its client id, or a profile without an inbox.
 */
export async function findInbox(grantee: GrantJson['grantee'], fetchFn: typeof fetch = fetch): Promise<string | undefined> {
  if (grantee.kind === 'peer') {
    const response = await fetchFn(`${grantee.issuer!.replace(/\/+$/u, '')}/.well-known/fmp`, { headers: { accept: 'application/json' }});
    return response.ok ? (await response.json() as { inbox?: string }).inbox : undefined;
  }
  if (!grantee.webId) {
    return undefined;
  }
  const document = grantee.webId.split('#')[0];
  const response = await fetchFn(document, { headers: { accept: 'text/turtle' }});
  if (!response.ok) {
    return undefined;
  }
  const quads = await parseRdf(await response.text(), response.headers.get('content-type') ?? 'text/turtle', document);
  return quads.find((quad): boolean => quad.subject.equals(DataFactory.namedNode(grantee.webId!)) &&
    quad.predicate.value === LDP_INBOX)?.object.value;
}
