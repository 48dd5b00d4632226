import type { Context } from 'koa';
import type { AccessRequestStore } from '../../../consent/AccessRequestStore';
import { accessRequestToJson } from '../../../consent/accessRequestJson';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import { FmpRoute } from '../../FmpRoute';

/** `GET /.fmp/consent/:member/requests[?status=pending|approved|denied]`: access requests in the member's inbox. */
export class ListRequestsRoute extends FmpRoute {
  /**
   * @param guard - Checks the caller owns the pod.
   * @param requests - The requests in the inbox.
   */
  public constructor(private readonly guard: PodOwnerGuard, private readonly requests: AccessRequestStore) {
    super('GET', '/.fmp/consent/:member/requests');
  }

  public async handle(ctx: Context): Promise<void> {
    const { podRoot } = await this.guard.requireOwner(ctx);
    const status = ctx.query.status ?? 'pending';
    const requests = (await this.requests.listRequests(podRoot))
      .filter((request): boolean => status === 'all' || request.status === status)
      .sort((left, right): number => right.requestedAt.getTime() - left.requestedAt.getTime());
    ctx.body = { requests: requests.map(accessRequestToJson) };
  }
}
