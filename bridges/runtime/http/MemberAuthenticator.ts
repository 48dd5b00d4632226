import { createSolidTokenVerifier } from '@solid/access-token-verifier';
import type { Context } from 'koa';

/** A request that carries no valid Solid-OIDC token of the member it names. */
export class MemberAuthError extends Error {
  public override readonly name = 'MemberAuthError';
  public readonly expose = true;

  public constructor(public readonly status: 401 | 403, message: string) {
    super(message);
  }
}

/**
 * Checks that a request to the bridge workers comes from the member it names, as a Solid resource server does:
 * a DPoP-bound access token from the FMP's identity provider whose WebID is the member's (`<base><member>/profile/card#me`,
 * as the FMP creates pods). The proof must be for the URL on the FMP's public origin, where the member sent it.
 */
export class MemberAuthenticator {
  private readonly verify = createSolidTokenVerifier();

  /** @param publicBaseUrl - The FMP's public base URL, with a trailing slash. */
  public constructor(private readonly publicBaseUrl: string) {}

  /** The member's WebID; throws {@link MemberAuthError} (401 without a valid token, 403 for another agent). */
  public async requireMember(ctx: Context, member: string): Promise<string> {
    const authorization = ctx.get('authorization');
    if (!authorization) {
      throw new MemberAuthError(401, 'Log in as the member: this needs a Solid-OIDC access token.');
    }
    let webId: string;
    try {
      const url = new URL(ctx.path.slice(1), this.publicBaseUrl).href;
      const dpop = ctx.get('dpop');
      ({ webid: webId } = await this.verify(authorization, dpop ? { header: dpop, method: ctx.method as 'GET', url } : undefined));
    } catch (error: unknown) {
      throw new MemberAuthError(401, `The access token was not accepted: ${(error as Error).message}`);
    }
    if (webId !== this.webIdOf(member)) {
      throw new MemberAuthError(403, `Only ${member} may manage ${member}'s bridges.`);
    }
    return webId;
  }

  /** The WebID the FMP gives member `member`. */
  public webIdOf(member: string): string {
    return `${this.podOf(member)}profile/card#me`;
  }

  /** The pod the FMP gives member `member`. */
  public podOf(member: string): string {
    return new URL(`${encodeURIComponent(member)}/`, this.publicBaseUrl).href;
  }
}
