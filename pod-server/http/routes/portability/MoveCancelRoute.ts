import type { Context } from 'koa';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import type { MoveRecords } from '../../../portability/move/MoveRecords';
import { FmpRoute } from '../../FmpRoute';

/** `DELETE /.fmp/move/:member`: calls off a prepared move, so the pod is writable again; a finished move stays. */
export class MoveCancelRoute extends FmpRoute {
  /**
   * @param guard - Checks the caller owns the pod.
   * @param moves - Where moves are recorded.
   */
  public constructor(private readonly guard: PodOwnerGuard, private readonly moves: MoveRecords) {
    super('DELETE', '/.fmp/move/:member');
  }

  public async handle(ctx: Context): Promise<void> {
    const { podRoot } = await this.guard.requireOwner(ctx);
    const record = await this.moves.find(podRoot);
    if (!record) {
      ctx.throw(404, `${podRoot} is not being moved.`);
    }
    if (record.state === 'moved') {
      ctx.throw(409, `${podRoot} already moved to ${record.toPod}; a finished move cannot be called off.`);
    }
    await this.moves.remove(podRoot);
    ctx.body = { cancelled: true, pod: podRoot };
  }
}
