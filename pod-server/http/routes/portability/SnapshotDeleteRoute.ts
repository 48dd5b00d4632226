import type { Context } from 'koa';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import type { SnapshotStore } from '../../../portability/snapshots/SnapshotStore';
import { FmpRoute } from '../../FmpRoute';

/** `DELETE /.fmp/snapshots/:member/:id`: removes one snapshot; answers what the member's snapshots use now. */
export class SnapshotDeleteRoute extends FmpRoute {
  /**
   * @param guard - Checks the caller owns the pod.
   * @param store - The stored snapshots (400 for a malformed id, 404 for an unknown one).
   */
  public constructor(private readonly guard: PodOwnerGuard, private readonly store: SnapshotStore) {
    super('DELETE', '/.fmp/snapshots/:member/:id');
  }

  public async handle(ctx: Context): Promise<void> {
    await this.guard.requireOwner(ctx);
    const member = String(ctx.params.member);
    const id = String(ctx.params.id);
    await this.store.delete(member, id);
    ctx.body = { deleted: id, usedBytes: await this.store.usage(member) };
  }
}
