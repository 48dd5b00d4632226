import type { Context } from 'koa';
import type { MemberDirectory } from '../../members/MemberDirectory';
import type { OperatorTokenChecker } from '../../operator/OperatorTokenChecker';
import { FmpRoute } from '../FmpRoute';

/** `GET /.fmp/operator/members`: every member, for the operator holding the token in the data folder. */
export class OperatorMembersRoute extends FmpRoute {
  /**
   * @param members - The FMP's members.
   * @param operator - Checks the operator token.
   */
  public constructor(private readonly members: MemberDirectory, private readonly operator: OperatorTokenChecker) {
    super('GET', '/.fmp/operator/members');
  }

  public async handle(ctx: Context): Promise<void> {
    await this.operator.requireOperator(ctx, 'Listing members');
    ctx.body = { members: await this.members.listMembers() };
  }
}
