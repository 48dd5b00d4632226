import type { Context } from 'koa';
import { getGrantState } from '../../../../consent';
import { grantToJson } from '../../../consent/grantJson';
import type { GrantCache } from '../../../consent/GrantCache';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import { FmpRoute } from '../../FmpRoute';

const STATES = [ 'pending', 'active', 'expired', 'revoked' ];

/** `GET /.fmp/consent/:member/grants[?state=active|expired|revoked|pending]`: the owner's grants, newest first. */
export class ListGrantsRoute extends FmpRoute {
  /**
   * @param guard - Checks the caller owns the pod.
   * @param grants - The pod's grants as enforcement holds them (read once per change of the pod's `consent/`).
   */
  public constructor(private readonly guard: PodOwnerGuard, private readonly grants: GrantCache) {
    super('GET', '/.fmp/consent/:member/grants');
  }

  public async handle(ctx: Context): Promise<void> {
    const { podRoot } = await this.guard.requireOwner(ctx);
    const state = ctx.query.state as string | undefined;
    if (state && !STATES.includes(state)) {
      ctx.throw(400, `state must be one of ${STATES.join(', ')}.`);
    }
    const now = new Date();
    const grants = [ ...(await this.grants.getPodGrants(podRoot)).grants ]
      .filter((grant): boolean => !state || getGrantState(grant, now) === state)
      .sort((left, right): number => right.issuedAt.getTime() - left.issuedAt.getTime());
    ctx.body = { grants: grants.map((grant): Record<string, unknown> => grantToJson(grant, now)) };
  }
}
