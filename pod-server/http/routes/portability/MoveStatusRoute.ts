import type { Context } from 'koa';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import type { MoveRecords } from '../../../portability/move/MoveRecords';
import { FmpRoute } from '../../FmpRoute';

/** `GET /.fmp/move/:member`: whether the owner's pod is moving (`preparing`) or moved away (`moved`, and where to), else `none`. */
export class MoveStatusRoute extends FmpRoute {
  /**
   * @param guard - Checks the caller owns the pod.
   * @param moves - The recorded moves.
   */
  public constructor(private readonly guard: PodOwnerGuard, private readonly moves: MoveRecords) {
    super('GET', '/.fmp/move/:member');
  }

  public async handle(ctx: Context): Promise<void> {
    const { podRoot } = await this.guard.requireOwner(ctx);
    const record = await this.moves.find(podRoot);
    ctx.body = record ?? { state: 'none', fromPod: podRoot };
  }
}
