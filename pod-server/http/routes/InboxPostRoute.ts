import type { Context } from 'koa';
import type { MoveActivity } from '../../../consent';
import { MoveVerificationError, verifyMoveFromSigner } from '../../../consent';
import type { FmpInbox } from '../../federation/FmpInbox';
import type { ServerOutboundGuard } from '../../outbound/ServerOutboundGuard';
import { FmpRoute } from '../FmpRoute';
import { readJsonBody } from '../readJsonBody';

/**
 * `POST /.fmp/inbox`: peers deliver ActivityStreams activities (JSON or JSON-LD) to this FMP. A `Move` is kept only
 * if it verifies against the keys of the FMP that signed it, so the operator never acts on a forged one.
 */
export class InboxPostRoute extends FmpRoute {
  /**
   * @param inbox - Where activities are kept.
   * @param guard - Where the FMP may send: a Move names its signer, whose keys are read through the guard.
   */
  public constructor(private readonly inbox: FmpInbox, private readonly guard: ServerOutboundGuard) {
    super('POST', '/.fmp/inbox');
  }

  public async handle(ctx: Context): Promise<void> {
    const activity = await readJsonBody<{ type?: unknown }>(ctx);
    if (typeof activity !== 'object' || activity === null || Array.isArray(activity) || !activity.type) {
      ctx.throw(400, 'Send one ActivityStreams activity: a JSON object with a type.');
    }
    if (activity.type === 'Move') {
      try {
        await verifyMoveFromSigner(activity as MoveActivity, this.guard.fetch);
      } catch (error: unknown) {
        ctx.throw(400, error instanceof MoveVerificationError ? error.message : `The Move does not verify: ${(error as Error).message}`);
      }
    }
    const id = await this.inbox.deliver(activity);
    ctx.status = 202;
    ctx.body = { received: id };
  }
}
