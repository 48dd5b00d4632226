import type { Context } from 'koa';
import type { MemberDirectory } from '../../members/MemberDirectory';
import type { DataFolderSpace } from '../../operator/DataFolderSpace';
import { FmpRoute } from '../FmpRoute';

/** `GET /.fmp/health`: version, uptime, member count and the data disk's free space, for monitoring. */
export class HealthRoute extends FmpRoute {
  private readonly startedAt = Date.now();

  /**
   * @param members - The FMP's members.
   * @param version - The running fmp-vault version.
   * @param disk - The data folder's disk.
   */
  public constructor(private readonly members: MemberDirectory, private readonly version: string,
    private readonly disk: DataFolderSpace) {
    super('GET', '/.fmp/health');
  }

  public async handle(ctx: Context): Promise<void> {
    const [ members, disk ] = await Promise.all([ this.members.countMembers(), this.disk.measure() ]);
    ctx.body = {
      // A full disk loses writes: monitoring that only looks at `status` should see it.
      status: disk.low ? 'disk-low' : 'ok',
      version: this.version,
      uptime: Math.round((Date.now() - this.startedAt) / 1000),
      members,
      disk,
    };
  }
}
