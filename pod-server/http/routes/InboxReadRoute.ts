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
    if (!await this.operator.isOperator(ctx.get('authorization'))) {
      ctx.set('WWW-Authenticate', 'Bearer realm="fmp-operator"');
      ctx.throw(401, 'Reading the FMP inbox needs the operator token from the data folder.');
    }
    ctx.body = { messages: await this.inbox.list() };
  }
}
