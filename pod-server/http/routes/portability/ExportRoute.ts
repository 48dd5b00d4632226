import { Readable } from 'node:stream';
import type { Context } from 'koa';
import { getLoggerFor } from '@solid/community-server';
import { pack as createPack } from 'tar-stream';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import { ARCHIVE_CONTENT_TYPE, RESOURCE_COUNT_HEADER } from '../../../portability/archiveFormat';
import type { PodArchiveWriter } from '../../../portability/PodArchiveWriter';
import { FmpRoute } from '../../FmpRoute';

/** `GET /.fmp/export/:member`: the owner's whole pod as a streamed tar archive (see the README's "Export and import"). */
export class ExportRoute extends FmpRoute {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param guard - Checks the caller owns the pod.
   * @param writer - Writes the pod into the archive.
   * @param baseUrl - The server's base URL, recorded in the manifest as the source FMP.
   */
  public constructor(private readonly guard: PodOwnerGuard, private readonly writer: PodArchiveWriter, private readonly baseUrl: string) {
    super('GET', '/.fmp/export/:member');
  }

  public async handle(ctx: Context): Promise<void> {
    const { podRoot, webId } = await this.guard.requireOwner(ctx);
    // Listing first: it is cheap next to reading, and the count lets the client show progress.
    const resources = await this.writer.list(podRoot);
    const pack = createPack();
    ctx.status = 200;
    ctx.type = ARCHIVE_CONTENT_TYPE;
    ctx.set(RESOURCE_COUNT_HEADER, String(resources.length));
    ctx.set('Cache-Control', 'no-store');
    ctx.attachment(`${String(ctx.params.member)}-${new Date().toISOString().slice(0, 10)}.tar`);
    ctx.body = Readable.from(pack as AsyncIterable<Buffer>, { objectMode: false });
    // CSS answers 404 to any request whose headers are not sent once its handler returns; the archive comes later.
    ctx.res.flushHeaders();
    this.writer.write({ pod: podRoot, webId, server: this.baseUrl }, resources, pack).then((): void => {
      pack.finalize();
    }, (error: Error): void => {
      // Headers are gone: the client sees a cut-off archive without a manifest, which import refuses.
      this.logger.error(`Export of ${podRoot} failed: ${error.message}`);
      pack.destroy(error);
    });
  }
}
