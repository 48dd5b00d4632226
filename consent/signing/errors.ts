/** Why a grant credential was rejected. */
export type GrantCredentialFailure =
  'malformed' | 'bad-signature' | 'unknown-key' | 'wrong-issuer' | 'expired' | 'not-yet-valid' | 'invalid-claims';

/** Base class of every rejection by verifyGrantCredential; `reason` says which check failed. */
export class GrantCredentialError extends Error {
  public constructor(public readonly reason: GrantCredentialFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Not a compact JWS/JWT at all. */
export class MalformedGrantCredentialError extends GrantCredentialError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super('malformed', message, options);
  }
}

/** The signature does not verify: the credential was tampered with or forged (or uses a refused algorithm). */
export class ForgedGrantCredentialError extends GrantCredentialError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super('bad-signature', message, options);
  }
}

/** Signed by a key the issuer does not publish (a foreign signer). */
export class UnknownSigningKeyError extends GrantCredentialError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super('unknown-key', message, options);
  }
}

/** Issued by someone other than the expected FMP. */
export class UnexpectedIssuerError extends GrantCredentialError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super('wrong-issuer', message, options);
  }
}

/** Past its `exp` (the grant's validUntil). */
export class ExpiredGrantCredentialError extends GrantCredentialError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super('expired', message, options);
  }
}

/** Before its `nbf` (the grant's validFrom). */
export class GrantCredentialNotYetValidError extends GrantCredentialError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super('not-yet-valid', message, options);
  }
}

/** Correctly signed but its claims do not describe a grant. */
export class InvalidGrantClaimsError extends GrantCredentialError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super('invalid-claims', message, options);
  }
}
