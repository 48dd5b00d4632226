import type { Context } from 'koa';
import type { FmpInbox } from '../../federation/FmpInbox';
import type { OperatorTokenChecker } from '../../operator/OperatorTokenChecker';
import { FmpRoute } from '../FmpRoute';

/** `GET /.fmp/inbox`: what peers delivered, for the operator only. */
export class InboxReadRoute extends FmpRoute {
  public constructor(private readonly inbox: FmpInbox, private readonly operator: OperatorTokenChecker) {
    super('GET', '/.fmp/inbox');
  }

  public async handle(ctx: Context): Promise<void> {
    await this.operator.requireOperator(ctx, 'Reading the FMP inbox');
    ctx.body = { messages: await this.inbox.list() };
  }
}
