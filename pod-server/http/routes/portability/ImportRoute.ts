import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context } from 'koa';
import { getLoggerFor } from '@solid/community-server';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import { ARCHIVE_CONTENT_TYPE, RESOURCES_PREFIX } from '../../../portability/archiveFormat';
import { ArchiveError } from '../../../portability/ArchiveError';
import type { ArchiveStager } from '../../../portability/ArchiveStager';
import type { ImportJournal } from '../../../portability/ImportJournal';
import { IriRewriter } from '../../../portability/IriRewriter';
import type { PodImporter } from '../../../portability/PodImporter';
import type { StagedArchiveChecker } from '../../../portability/StagedArchiveChecker';
import { drainRequest } from '../../drainRequest';
import { FmpRoute } from '../../FmpRoute';

/**
 * `POST /.fmp/import/:member` with an archive body (`application/x-tar`): restores it into the owner's empty pod.
 * Stages and checks the whole archive first, then commits it all or nothing. An import interrupted while committing
 * (the server stopped) may be run again with the same archive: it overwrites its own partial result.
 */
export class ImportRoute extends FmpRoute {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param guard - Checks the caller owns the pod.
   * @param stager - Unpacks the upload into a staging folder, checking names, types and sizes.
   * @param checker - Checks the staged entries against the manifest and parses the RDF.
   * @param importer - Writes the staged archive into the pod.
   * @param stateFolder - The FMP's state folder; staging happens in `<state>/import-staging/`.
   * @param baseUrl - The server's base URL (the new OIDC issuer and home of `/.fmp/`).
   * @param journal - Records imports, so an interrupted one can be resumed and a mover can ask how it went.
   */
  public constructor(
    private readonly guard: PodOwnerGuard,
    private readonly stager: ArchiveStager,
    private readonly checker: StagedArchiveChecker,
    private readonly importer: PodImporter,
    private readonly stateFolder: string,
    private readonly baseUrl: string,
    private readonly journal: ImportJournal,
  ) {
    super('POST', '/.fmp/import/:member');
  }

  public async handle(ctx: Context): Promise<void> {
    const { podRoot, webId } = await this.guard.requireOwner(ctx);
    const declared = Number(ctx.get('content-length') || 0);
    if (declared > this.stager.maxArchiveBytes) {
      // Not worth reading: Node drops the rest of the body after the answer.
      ctx.set('Connection', 'close');
      throw new ArchiveError(413, `The archive is ${declared} bytes; this FMP accepts at most ${this.stager.maxArchiveBytes}.`);
    }
    const member = String(ctx.params.member);
    if (!await this.journal.begin(member)) {
      await drainRequest(ctx.req, this.stager.maxArchiveBytes);
      throw new ArchiveError(409, `An import into ${podRoot} is running; wait until it has finished (GET /.fmp/import/${member}).`);
    }
    try {
      if (!ctx.is(ARCHIVE_CONTENT_TYPE)) {
        throw new ArchiveError(415, `Send the archive as ${ARCHIVE_CONTENT_TYPE}.`);
      }
      // Checked now to fail fast, and again just before writing, in case the pod changed meanwhile.
      if ((await this.journal.read(member))?.state !== 'committing') {
        await this.importer.requireEmpty(podRoot);
      }
      ctx.body = await this.stageAndCommit(ctx, podRoot, webId);
    } catch (error: unknown) {
      await drainRequest(ctx.req, this.stager.maxArchiveBytes);
      throw error;
    } finally {
      await this.journal.end(member);
    }
  }

  private async stageAndCommit(ctx: Context, podRoot: string, webId: string): Promise<Record<string, unknown>> {
    const start = Date.now();
    const parent = join(this.stateFolder, 'import-staging');
    await mkdir(parent, { recursive: true, mode: 0o700 });
    const folder = await mkdtemp(join(parent, `${String(ctx.params.member)}-`));
    try {
      // 1. Unpack and check everything before the pod is touched.
      const staged = await this.stager.stage(ctx.req, folder, this.checker);
      const stagedAt = Date.now();
      const manifest = await this.checker.check(staged);
      const checkedAt = Date.now();
      const member = String(ctx.params.member);
      const interrupted = await this.journal.read(member);
      if (interrupted?.state !== 'committing' || interrupted.sourcePod !== manifest.sourcePod) {
        await this.importer.requireEmpty(podRoot);
      }
      // 2. Commit, rewriting the old home's IRIs.
      const rewriter = new IriRewriter(
        { pod: manifest.sourcePod, webId: manifest.sourceWebId, server: manifest.sourceServer },
        { pod: podRoot, webId, server: this.baseUrl },
      );
      await this.journal.committing(member, { sourcePod: manifest.sourcePod, sourceWebId: manifest.sourceWebId,
        exportedAt: manifest.exportedAt });
      let resources: number;
      try {
        resources = await this.importer.commit(staged, manifest, podRoot, rewriter);
      } catch (error: unknown) {
        await this.journal.forget(member);
        throw error;
      }
      await this.journal.done(member, resources);
      this.logger.info(`Imported ${resources} resources from ${manifest.sourcePod} into ${podRoot} in ${seconds(start)} s ` +
        `(received ${seconds(start, stagedAt)} s, checked ${seconds(stagedAt, checkedAt)} s, written ${seconds(checkedAt)} s)`);
      return {
        pod: podRoot,
        from: manifest.sourcePod,
        resources,
        entries: manifest.entries.filter((entry): boolean => entry.path.startsWith(RESOURCES_PREFIX)).length,
        bytes: manifest.entries.reduce((sum, entry): number => sum + entry.size, 0),
        seconds: seconds(start),
      };
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }
}

/** Seconds from `start` to `end` (now), to a tenth. */
function seconds(start: number, end = Date.now()): number {
  return Math.round((end - start) / 100) / 10;
}
