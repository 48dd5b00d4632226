import type { Context } from 'koa';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import type { MoveRecords } from '../../../portability/move/MoveRecords';
import { FmpRoute } from '../../FmpRoute';

/**
 * `POST /.fmp/move/:member/prepare`: makes the owner's pod read-only (writes get 423) before it is copied to its new
 * home, so nothing written meanwhile is left behind. Idempotent; `DELETE /.fmp/move/:member` calls it off.
 */
export class MovePrepareRoute extends FmpRoute {
  /**
   * @param guard - Checks the caller owns the pod.
   * @param moves - Where moves are recorded.
   */
  public constructor(private readonly guard: PodOwnerGuard, private readonly moves: MoveRecords) {
    super('POST', '/.fmp/move/:member/prepare');
  }

  public async handle(ctx: Context): Promise<void> {
    const { podRoot, webId } = await this.guard.requireOwner(ctx);
    let record = await this.moves.find(podRoot);
    if (record?.state === 'moved') {
      ctx.throw(409, `${podRoot} already moved to ${record.toPod} (${record.movedAt}).`);
    }
    if (!record) {
      record = { state: 'preparing', member: String(ctx.params.member), fromPod: podRoot, fromWebId: webId, preparedAt: new Date().toISOString() };
      await this.moves.save(record);
    }
    ctx.body = record;
  }
}
