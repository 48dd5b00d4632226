import { createReadStream } from 'node:fs';
import type { Context } from 'koa';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import { ARCHIVE_CONTENT_TYPE } from '../../../portability/archiveFormat';
import { ArchiveError } from '../../../portability/ArchiveError';
import type { ArchiveRestorer, RestoreSummary } from '../../../portability/snapshots/ArchiveRestorer';
import type { SnapshotStore } from '../../../portability/snapshots/SnapshotStore';
import { drainRequest } from '../../drainRequest';
import { FmpRoute } from '../../FmpRoute';
import { readJsonBody } from '../../readJsonBody';

/**
 * `POST /.fmp/restore/:member`: puts the owner's pod back exactly as a snapshot (`{"snapshot": "<id>"}`) or an
 * uploaded archive (`application/x-tar`, e.g. from `fmp export`) holds it; answers what was removed and restored.
 */
export class RestoreRoute extends FmpRoute {
  /**
   * @param guard - Checks the caller owns the pod.
   * @param restorer - Stages, checks and restores the archive, all or nothing.
   * @param store - The stored snapshots.
   * @param baseUrl - The server's base URL.
   */
  public constructor(
    private readonly guard: PodOwnerGuard,
    private readonly restorer: ArchiveRestorer,
    private readonly store: SnapshotStore,
    private readonly baseUrl: string,
  ) {
    super('POST', '/.fmp/restore/:member');
  }

  public async handle(ctx: Context): Promise<void> {
    const { podRoot, webId } = await this.guard.requireOwner(ctx);
    const member = String(ctx.params.member);
    const pod = { pod: podRoot, webId, server: this.baseUrl };
    if (ctx.is('application/json')) {
      const { snapshot } = await readJsonBody<{ snapshot?: unknown }>(ctx);
      if (typeof snapshot !== 'string') {
        throw new ArchiveError(400, 'Name the snapshot to restore: {"snapshot": "<id>"} (fmp snapshot list shows them).');
      }
      const file = await this.store.archivePath(member, snapshot);
      ctx.body = { snapshot, ...await this.restorer.restore(member, pod, createReadStream(file), false) };
      return;
    }
    const declared = Number(ctx.get('content-length') || 0);
    if (declared > this.restorer.maxUploadBytes) {
      // Not worth reading: Node drops the rest of the body after the answer.
      ctx.set('Connection', 'close');
      throw new ArchiveError(413, `The archive is ${declared} bytes; this FMP accepts at most ${this.restorer.maxUploadBytes}.`);
    }
    try {
      if (!ctx.is(ARCHIVE_CONTENT_TYPE)) {
        throw new ArchiveError(415, `Send {"snapshot": "<id>"} as application/json, or an archive as ${ARCHIVE_CONTENT_TYPE}.`);
      }
      ctx.body = await this.restorer.restore(member, pod, ctx.req, true) satisfies RestoreSummary;
    } catch (error: unknown) {
      await drainRequest(ctx.req, this.restorer.maxUploadBytes);
      throw error;
    }
  }
}
