import { join } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import type { Grant, IssuerKeys, MoveActivity, MoveDescription } from '../../consent';
import { issueGrantCredential, loadOrCreateIssuerKeys, signMoveActivity } from '../../consent';

/** The FMP's consent issuer: signs grants as VC-JWTs, and the Moves of members who leave, with its ES256 key. */
export class ConsentIssuer {
  private keys?: Promise<IssuerKeys>;

  /**
   * @param stateFolder - The FMP's state folder; keys live in `<state>/keys/`.
   * @param baseUrl - The FMP's base URL, the `iss` of every credential.
   */
  public constructor(private readonly stateFolder: string, public readonly baseUrl: string) {}

  /** Loads the keys, generating them on first start. */
  public async getKeys(): Promise<IssuerKeys> {
    this.keys ??= loadOrCreateIssuerKeys(join(this.stateFolder, 'keys'));
    return this.keys;
  }

  /** The public keys verifiers use, as published at `/.fmp/jwks`. */
  public async getJwks(): Promise<JSONWebKeySet> {
    return (await this.getKeys()).publicJwks;
  }

  /** A signed VC-JWT describing the grant. */
  public async issue(grant: Grant): Promise<string> {
    const { privateKey, kid } = await this.getKeys();
    return issueGrantCredential(grant, { issuer: this.baseUrl, privateKey, kid });
  }

  /** A Move activity for a member leaving this FMP, signed so grantees and peers can check it came from here. */
  public async signMove(move: MoveDescription): Promise<MoveActivity> {
    const { privateKey, kid } = await this.getKeys();
    return signMoveActivity(move, { issuer: this.baseUrl, privateKey, kid });
  }
}
