import type { Context } from 'koa';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import type { SnapshotTaker } from '../../../portability/snapshots/SnapshotTaker';
import { FmpRoute } from '../../FmpRoute';

/** `POST /.fmp/snapshots/:member`: takes a snapshot of the owner's pod now; 201 with its description. */
export class SnapshotTakeRoute extends FmpRoute {
  /**
   * @param guard - Checks the caller owns the pod.
   * @param taker - Takes the snapshot, within the member's quota (507 when it does not fit).
   * @param baseUrl - The server's base URL, recorded in the archive as the source FMP.
   */
  public constructor(private readonly guard: PodOwnerGuard, private readonly taker: SnapshotTaker, private readonly baseUrl: string) {
    super('POST', '/.fmp/snapshots/:member');
  }

  public async handle(ctx: Context): Promise<void> {
    const { podRoot, webId } = await this.guard.requireOwner(ctx);
    const member = String(ctx.params.member);
    const info = await this.taker.take(member, { pod: podRoot, webId, server: this.baseUrl }, 'manual');
    ctx.status = 201;
    ctx.set('Location', new URL(`.fmp/snapshots/${encodeURIComponent(member)}/${info.id}`, this.baseUrl).href);
    ctx.body = { pod: podRoot, ...info };
  }
}
