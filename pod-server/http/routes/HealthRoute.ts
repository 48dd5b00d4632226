import type { Context } from 'koa';
import type { MemberDirectory } from '../../members/MemberDirectory';
import { FmpRoute } from '../FmpRoute';

/** `GET /.fmp/health`: version, uptime and member count, for monitoring. */
export class HealthRoute extends FmpRoute {
  private readonly startedAt = Date.now();

  /**
   * @param members - The FMP's members.
   * @param version - The running fmp-vault version.
   */
  public constructor(private readonly members: MemberDirectory, private readonly version: string) {
    super('GET', '/.fmp/health');
  }

  public async handle(ctx: Context): Promise<void> {
    ctx.body = {
      status: 'ok',
      version: this.version,
      uptime: Math.round((Date.now() - this.startedAt) / 1000),
      members: await this.members.countMembers(),
    };
  }
}
