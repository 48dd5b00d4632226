import type { JSONWebKeySet, JWTPayload, JWTVerifyGetKey } from 'jose';
import { createLocalJWKSet, errors, jwtVerify } from 'jose';
import type { Grant } from '../model/Grant';
import { normaliseIssuer } from '../util/iri';
import {
  ExpiredGrantCredentialError,
  ForgedGrantCredentialError,
  GrantCredentialError,
  GrantCredentialNotYetValidError,
  MalformedGrantCredentialError,
  UnexpectedIssuerError,
  UnknownSigningKeyError,
} from './errors';
import { grantFromClaims } from './grantFromClaims';

/** The clock and the issuer a verifier trusts. */
export interface VerifyGrantOptions {
  now: Date;
  /** Issuer URL of the FMP that must have signed (trailing slashes are ignored). */
  expectedIssuer: string;
}

/** A verified credential: the grant it describes (status `active`; revocation is not in the token) and its claims. */
export interface VerifiedGrantCredential {
  grant: Grant;
  claims: JWTPayload;
}

/**
 * Verifies a grant VC-JWT against the issuer's public keys (a JWKS, or a resolver such as jose's
 * `createRemoteJWKSet`). Only ES256 is accepted, with no clock tolerance.
 * Rejects with a GrantCredentialError subclass whose `reason` names the failed check.
 */
export async function verifyGrantCredential(jwt: string, keys: JSONWebKeySet | JWTVerifyGetKey,
  options: VerifyGrantOptions): Promise<VerifiedGrantCredential> {
  const getKey = typeof keys === 'function' ? keys : createLocalJWKSet(keys);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(jwt, getKey, {
      algorithms: [ 'ES256' ],
      currentDate: options.now,
      requiredClaims: [ 'iss', 'sub', 'jti', 'nbf', 'exp', 'iat' ],
    }));
  } catch (error: unknown) {
    throw toGrantCredentialError(error);
  }
  // Compared here rather than through jose so `https://fmp/` and `https://fmp` are the same issuer.
  if (typeof payload.iss !== 'string' || normaliseIssuer(payload.iss) !== normaliseIssuer(options.expectedIssuer)) {
    throw new UnexpectedIssuerError(`Issued by ${String(payload.iss)}, expected ${options.expectedIssuer}.`);
  }
  return { grant: grantFromClaims(payload), claims: payload };
}

function toGrantCredentialError(error: unknown): GrantCredentialError {
  if (error instanceof GrantCredentialError) {
    return error;
  }
  const code = (error as { code?: string }).code;
  const claim = (error as { claim?: string }).claim;
  const cause = { cause: error };
  switch (code) {
    case errors.JWTExpired.code:
      return new ExpiredGrantCredentialError('The grant credential has expired.', cause);
    case errors.JWTClaimValidationFailed.code:
      return claim === 'nbf' ?
        new GrantCredentialNotYetValidError('The grant credential is not valid yet.', cause) :
        new MalformedGrantCredentialError(`The grant credential has an invalid or missing "${claim}" claim.`, cause);
    case errors.JWSSignatureVerificationFailed.code:
    case errors.JOSEAlgNotAllowed.code:
    case errors.JOSENotSupported.code:
      return new ForgedGrantCredentialError('The grant credential signature does not verify.', cause);
    case errors.JWKSNoMatchingKey.code:
      return new UnknownSigningKeyError('The grant credential was signed with a key the issuer does not publish.', cause);
    default:
      return new MalformedGrantCredentialError('The grant credential is not a well-formed signed JWT.', cause);
  }
}
