import type { Context } from 'koa';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import type { SnapshotStore } from '../../../portability/snapshots/SnapshotStore';
import { FmpRoute } from '../../FmpRoute';

/** `GET /.fmp/snapshots/:member`: the owner's snapshots, oldest first, with the bytes they use of the quota. */
export class SnapshotListRoute extends FmpRoute {
  /**
   * @param guard - Checks the caller owns the pod.
   * @param store - The stored snapshots.
   * @param quotaBytes - Most bytes of snapshots a member may keep (`urn:fmp:variable:snapshotQuotaBytes`).
   */
  public constructor(private readonly guard: PodOwnerGuard, private readonly store: SnapshotStore, private readonly quotaBytes: number) {
    super('GET', '/.fmp/snapshots/:member');
  }

  public async handle(ctx: Context): Promise<void> {
    const { podRoot } = await this.guard.requireOwner(ctx);
    const snapshots = await this.store.list(String(ctx.params.member));
    ctx.body = {
      pod: podRoot,
      usedBytes: snapshots.reduce((sum, info): number => sum + info.bytes, 0),
      quotaBytes: Number(this.quotaBytes),
      snapshots,
    };
  }
}
