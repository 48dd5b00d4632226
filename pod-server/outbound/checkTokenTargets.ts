import { decodeJwt } from 'jose';
import { BadRequestHttpError, getLoggerFor } from '@solid/community-server';
import type { ServerOutboundGuard } from './ServerOutboundGuard';

const logger = getLoggerFor('checkTokenTargets');

/**
 * Checks the places an access token makes CSS's verifier read, before it reads them: the issuer's
 * `/.well-known/openid-configuration` and the WebID profile. The token is not verified yet, so anyone can write
 * them. The verifier (`@solid/access-token-verifier`) connects with its own client, so this check is made when the
 * names are resolved, not while connecting; the JWKS address the issuer's configuration names is not seen here.
 * @throws BadRequestHttpError naming the refusal, as CSS's extractors do for a token that does not verify (CSS then
 * treats the request as anonymous).
 */
export async function checkTokenTargets(authorization: string | undefined, guard: ServerOutboundGuard): Promise<void> {
  let claims: { iss?: unknown; webid?: unknown };
  try {
    claims = decodeJwt(String(authorization).replace(/^\S+\s+/u, ''));
  } catch {
    // Not a JWT: the verifier refuses it without reading anything.
    return;
  }
  try {
    if (typeof claims.iss === 'string') {
      await guard.check(`${claims.iss.replace(/\/$/u, '')}/.well-known/openid-configuration`, 'the token issuer\'s');
    }
    if (typeof claims.webid === 'string') {
      await guard.check(claims.webid, 'the token\'s WebID');
    }
  } catch (error: unknown) {
    logger.warn(`Refused an access token: ${(error as Error).message}`);
    throw new BadRequestHttpError(`Error verifying WebID via access token: ${(error as Error).message}`, { cause: error });
  }
}
