import type { Context } from 'koa';
import type { ConsentIssuer } from '../../../consent/ConsentIssuer';
import { grantToJson } from '../../../consent/grantJson';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import type { PodGrantStore } from '../../../consent/PodGrantStore';
import { FmpRoute } from '../../FmpRoute';
import { readOwnedGrant } from './readOwnedGrant';

/** `GET /.fmp/consent/:member/grants/:id`: one grant with a freshly signed VC-JWT of it. */
export class GetGrantRoute extends FmpRoute {
  /**
   * @param guard - Checks the caller owns the pod.
   * @param grants - The pod's stored grants.
   * @param issuer - Signs the grant.
   */
  public constructor(private readonly guard: PodOwnerGuard, private readonly grants: PodGrantStore,
    private readonly issuer: ConsentIssuer) {
    super('GET', '/.fmp/consent/:member/grants/:id');
  }

  public async handle(ctx: Context): Promise<void> {
    const { podRoot } = await this.guard.requireOwner(ctx);
    const grant = await readOwnedGrant(ctx, this.grants, podRoot);
    ctx.body = { grant: grantToJson(grant, new Date()), credential: await this.issuer.issue(grant) };
  }
}
