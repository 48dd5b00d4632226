import type { Context } from 'koa';
import { revokeGrant } from '../../../../consent';
import { grantToJson } from '../../../consent/grantJson';
import type { PodGrantStore } from '../../../consent/PodGrantStore';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import { FmpRoute } from '../../FmpRoute';
import { readOwnedGrant } from './readOwnedGrant';

/** `POST /.fmp/consent/:member/grants/:id/revoke`: stops the grant from the very next request. */
export class RevokeGrantRoute extends FmpRoute {
  /**
   * @param guard - Checks the caller owns the pod.
   * @param grants - The pod's stored grants.
   */
  public constructor(private readonly guard: PodOwnerGuard, private readonly grants: PodGrantStore) {
    super('POST', '/.fmp/consent/:member/grants/:id/revoke');
  }

  public async handle(ctx: Context): Promise<void> {
    const { podRoot } = await this.guard.requireOwner(ctx);
    const now = new Date();
    const revoked = revokeGrant(await readOwnedGrant(ctx, this.grants, podRoot), now);
    await this.grants.writeGrant(revoked);
    ctx.body = { grant: grantToJson(revoked, now) };
  }
}
