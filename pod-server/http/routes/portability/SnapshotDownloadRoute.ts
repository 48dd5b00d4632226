import { createReadStream } from 'node:fs';
import type { Context } from 'koa';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import { ARCHIVE_CONTENT_TYPE } from '../../../portability/archiveFormat';
import type { SnapshotStore } from '../../../portability/snapshots/SnapshotStore';
import { FmpRoute } from '../../FmpRoute';

/** `GET /.fmp/snapshots/:member/:id`: one snapshot's archive, as `fmp export` would have saved it then. */
export class SnapshotDownloadRoute extends FmpRoute {
  /**
   * @param guard - Checks the caller owns the pod.
   * @param store - The stored snapshots (400 for a malformed id, 404 for an unknown one).
   */
  public constructor(private readonly guard: PodOwnerGuard, private readonly store: SnapshotStore) {
    super('GET', '/.fmp/snapshots/:member/:id');
  }

  public async handle(ctx: Context): Promise<void> {
    await this.guard.requireOwner(ctx);
    const member = String(ctx.params.member);
    const id = String(ctx.params.id);
    const info = await this.store.get(member, id);
    ctx.type = ARCHIVE_CONTENT_TYPE;
    ctx.length = info.bytes;
    ctx.set('Cache-Control', 'no-store');
    ctx.attachment(`${member}-${id}.tar`);
    ctx.body = createReadStream(await this.store.archivePath(member, id));
    // CSS answers 404 to any request whose headers are not sent once its handler returns; the file comes later.
    ctx.res.flushHeaders();
  }
}
