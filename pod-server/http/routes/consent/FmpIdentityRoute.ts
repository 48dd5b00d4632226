import type { Context } from 'koa';
import { FmpRoute } from '../../FmpRoute';

/** `GET /.well-known/fmp`: who this FMP is (issuer, JWKS, inbox, peers), so peers can add it by URL. */
export class FmpIdentityRoute extends FmpRoute {
  /**
   * @param baseUrl - The FMP's base URL, which is also its Solid-OIDC issuer.
   */
  public constructor(private readonly baseUrl: string) {
    super('GET', '/.well-known/fmp');
  }

  public async handle(ctx: Context): Promise<void> {
    const at = (path: string): string => new URL(path, this.baseUrl).href;
    ctx.body = {
      issuer: this.baseUrl,
      jwks: at('.fmp/jwks'),
      inbox: at('.fmp/inbox'),
      peers: at('.fmp/peers'),
    };
  }
}
