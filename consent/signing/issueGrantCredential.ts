import { SignJWT } from 'jose';
import type { Grant } from '../model/Grant';
import { grantToCredentialClaims } from './grantCredentialClaims';

/** The FMP's consent issuer: its URL and current signing key. */
export interface GrantIssuer {
  /** Issuer URL, the `iss` verifiers expect (e.g. the FMP's base URL). */
  issuer: string;
  privateKey: CryptoKey;
  /** Key id under which the public key is published in the JWKS. */
  kid: string;
}

/** Signs a grant as a VC-JWT (ES256); the grant is not modified. Revocation is not in the token: check the pod. */
export async function issueGrantCredential(grant: Grant, issuer: GrantIssuer): Promise<string> {
  const { vc, ...claims } = grantToCredentialClaims(grant, issuer.issuer);
  return new SignJWT({ ...claims, vc })
    .setProtectedHeader({ alg: 'ES256', kid: issuer.kid, typ: 'JWT' })
    .sign(issuer.privateKey);
}
