import type { Context } from 'koa';
import type { ConsentIssuer } from '../../../consent/ConsentIssuer';
import { FmpRoute } from '../../FmpRoute';

/** `GET /.fmp/jwks`: the consent issuer's public keys, to verify grant VC-JWTs without calling back. */
export class JwksRoute extends FmpRoute {
  public constructor(private readonly issuer: ConsentIssuer) {
    super('GET', '/.fmp/jwks');
  }

  public async handle(ctx: Context): Promise<void> {
    ctx.type = 'application/jwk-set+json';
    ctx.body = await this.issuer.getJwks();
  }
}
