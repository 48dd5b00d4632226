import type { Context } from 'koa';
import type { FmpInbox } from '../../federation/FmpInbox';
import { FmpRoute } from '../FmpRoute';
import { readJsonBody } from '../readJsonBody';

/** `POST /.fmp/inbox`: peers deliver ActivityStreams activities (JSON or JSON-LD) to this FMP. */
export class InboxPostRoute extends FmpRoute {
  public constructor(private readonly inbox: FmpInbox) {
    super('POST', '/.fmp/inbox');
  }

  public async handle(ctx: Context): Promise<void> {
    const activity = await readJsonBody<{ type?: unknown }>(ctx);
    if (typeof activity !== 'object' || activity === null || Array.isArray(activity) || !activity.type) {
      ctx.throw(400, 'Send one ActivityStreams activity: a JSON object with a type.');
    }
    const id = await this.inbox.deliver(activity);
    ctx.status = 202;
    ctx.body = { received: id };
  }
}
