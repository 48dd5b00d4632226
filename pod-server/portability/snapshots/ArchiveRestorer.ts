import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ActivityEmitter } from '@solid/community-server';
import { getLoggerFor } from '@solid/community-server';
import { announceBulkWrite } from '../announceBulkWrite';
import type { PodQuota } from '../../storage/quota/PodQuota';
import { ArchiveError } from '../ArchiveError';
import type { ArchiveStager, StagedArchive } from '../ArchiveStager';
import type { ArchiveManifest } from '../archiveFormat';
import { podBytesOf } from '../archiveFormat';
import type { PodLocation } from '../IriRewriter';
import { IriRewriter } from '../IriRewriter';
import type { PodArchiveWriter } from '../PodArchiveWriter';
import type { StagedArchiveChecker } from '../StagedArchiveChecker';
import type { LeaseKeeper } from '../../cluster/LeaseKeeper';
import type { PodWriteFreezes } from '../../storage/PodWriteFreezes';
import { FreezeTimeoutError } from '../../storage/FreezeTimeoutError';
import type { PodReplacer, ReplaceCounts } from './PodReplacer';
import type { SnapshotStore } from './SnapshotStore';
import { writeArchiveFile } from './writeArchiveFile';

/** What a restore did. */
export interface RestoreSummary extends ReplaceCounts {
  pod: string;
  /** The pod the archive was taken of, and when. */
  from: string;
  takenAt: string;
  /** Containers and documents the pod holds now. */
  resources: number;
  seconds: number;
}

/**
 * Puts a pod back exactly as an archive (a snapshot, or any export) holds it, all or nothing: the archive is staged
 * and checked as an import is, the pod as it is now is written aside as a rollback archive, then {@link PodReplacer}
 * makes the pod equal to the archive. If a change fails, the rollback archive is put back the same way.
 *
 * The pod is frozen from start to end: other writes get `423 Locked` (reads go on), so no write is acknowledged
 * and then undone by the restore, and none can break it half-way (a new child in a container the restore removes).
 */
export class ArchiveRestorer {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param uploadStager - Unpacks an uploaded archive, within the upload limits.
   * @param ownStager - Unpacks the FMP's own archives (stored snapshots, the rollback archive); limits as large as a pod.
   * @param checker - Checks a staged archive against its manifest and parses its RDF.
   * @param writer - Writes the rollback archive, as export does.
   * @param replacer - Makes the pod equal to an archive.
   * @param snapshots - Where the rollback archive is kept if even putting it back fails.
   * @param freezes - Freezes the pod while it is replaced.
   * @param emitter - CSS's resource store, to announce the pod's containers changed once restored.
   * @param stateFolder - The FMP's state folder; staging happens in `<state>/restore-staging/`.
   * @param baseUrl - The server's base URL.
   * @param quota - The pod quota: the pod as restored must fit.
   * @param leases - The FMP's leases: one restore per pod at a time, on every process.
   */
  public constructor(
    private readonly uploadStager: ArchiveStager,
    private readonly ownStager: ArchiveStager,
    private readonly checker: StagedArchiveChecker,
    private readonly writer: PodArchiveWriter,
    private readonly replacer: PodReplacer,
    private readonly snapshots: SnapshotStore,
    private readonly freezes: PodWriteFreezes,
    private readonly emitter: ActivityEmitter,
    private readonly stateFolder: string,
    private readonly baseUrl: string,
    private readonly quota: PodQuota,
    private readonly leases: LeaseKeeper,
  ) {}

  /** The largest upload accepted. */
  public get maxUploadBytes(): number {
    return this.uploadStager.maxArchiveBytes;
  }

  /**
   * Restores the archive read from `input` into the pod of `member` (owned by `webId`); `uploaded` says whether it
   * comes from the client (upload limits) or from the snapshot store.
   */
  public async restore(member: string, pod: PodLocation, input: Readable, uploaded: boolean): Promise<RestoreSummary> {
    const lease = await this.leases.tryAcquire(`restore:${pod.pod}`);
    if (!lease) {
      throw new ArchiveError(409, `A restore of ${pod.pod} is already running; try again when it has finished.`);
    }
    try {
      return await this.whileFrozen(pod.pod, async(): Promise<RestoreSummary> => this.stageAndReplace(member, pod, input, uploaded));
    } finally {
      await lease.release();
    }
  }

  private async stageAndReplace(member: string, pod: PodLocation, input: Readable, uploaded: boolean): Promise<RestoreSummary> {
    const start = Date.now();
    const parent = join(this.stateFolder, 'restore-staging');
    await mkdir(parent, { recursive: true, mode: 0o700 });
    const folder = await mkdtemp(join(parent, `${member}-`));
    try {
      // 1. Unpack and check the whole archive before the pod is touched.
      const staged = await this.stage(uploaded ? this.uploadStager : this.ownStager, input, join(folder, 'archive'), true);
      const manifest = await this.checker.check(staged);
      const excess = await this.quota.findExcess(pod.pod, podBytesOf(manifest), 'restored');
      if (excess) {
        throw new ArchiveError(413, `${excess}; nothing was restored, the pod is as it was.`);
      }
      // 2. The pod as it is now, aside, then replaced.
      const counts = await this.replace(member, pod, folder, staged, manifest);
      announceBulkWrite(this.emitter, pod.pod, manifest);
      this.logger.info(`Restored ${pod.pod} to ${manifest.sourcePod} as of ${manifest.exportedAt}: ${counts.removed} removed, ` +
        `${counts.restored} restored, ${counts.unchanged} unchanged`);
      return { pod: pod.pod, from: manifest.sourcePod, takenAt: manifest.exportedAt, ...counts,
        resources: manifest.resourceCount, seconds: Math.round((Date.now() - start) / 100) / 10 };
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  /** Freezes the pod for `work`; a pod whose writes do not finish in time is not restored (409). */
  private async whileFrozen<T>(podRoot: string, work: () => Promise<T>): Promise<T> {
    try {
      return await this.freezes.whileFrozen(podRoot, `${podRoot} is being restored from a snapshot and is read-only ` +
        'until the restore is done; write again then.', work);
    } catch (error: unknown) {
      if (error instanceof FreezeTimeoutError) {
        throw new ArchiveError(409, `${error.message} Nothing was restored.`, undefined, { cause: error });
      }
      throw error;
    }
  }

  /** Writes the pod as it is now aside, then makes it equal to the staged archive; rolls back on failure. */
  private async replace(member: string, pod: PodLocation, folder: string, staged: StagedArchive, manifest: ArchiveManifest):
  Promise<ReplaceCounts> {
    const rollbackFile = join(folder, 'rollback.tar');
    const { manifest: current } = await writeArchiveFile(this.writer, pod, rollbackFile);
    // An archive of this very pod is written byte for byte, another one rewritten as import does.
    const from = { pod: manifest.sourcePod, webId: manifest.sourceWebId, server: manifest.sourceServer };
    const same = from.pod === pod.pod && from.webId === pod.webId && from.server === pod.server;
    // The pod may hold old and new data at once on the way, so writes are not checked against the quota one by one.
    try {
      return await this.quota.whileCheckedUpFront(pod.pod, async(): Promise<ReplaceCounts> => {
        const replaced = await this.replacer.replace(pod.pod, current, staged, manifest, same ? undefined : new IriRewriter(from, pod));
        const overrun = await this.quota.findOverrun(pod.pod);
        if (overrun) {
          throw new ArchiveError(413, `${overrun} with the archive restored`);
        }
        return replaced;
      });
    } catch (error: unknown) {
      throw await this.quota.whileCheckedUpFront(pod.pod, async(): Promise<ArchiveError> => this.rollBack(member, pod, folder,
        rollbackFile, ArchiveError.isInstance(error) ? error :
          new ArchiveError(500, `The restore failed (${(error as Error).message})`, undefined, { cause: error })));
    }
  }

  /** Puts the rollback archive back after `failure`; the error to answer, naming the entry that failed. */
  private async rollBack(member: string, pod: PodLocation, folder: string, rollbackFile: string, failure: ArchiveError):
  Promise<ArchiveError> {
    this.logger.warn(`Restore of ${pod.pod} failed at ${failure.entry}; putting the pod back: ${failure.message}`);
    const reason = `${failure.message}; nothing was restored`;
    try {
      const staged = await this.stage(this.ownStager, createReadStream(rollbackFile), join(folder, 'rollback'));
      // The pod as it was, even if it holds data newer shapes would refuse.
      const rollback: ArchiveManifest = await this.checker.check(staged, { shapes: false });
      const { manifest: current } = await writeArchiveFile(this.writer, pod);
      await this.replacer.replace(pod.pod, current, staged, rollback);
      return new ArchiveError(failure.status, `${reason}, the pod is as it was.`, failure.entry, { cause: failure });
    } catch (error: unknown) {
      // Not lost: the pod as it was before the restore is kept as a snapshot the member can restore.
      this.logger.error(`Could not put ${pod.pod} back after a failed restore: ${(error as Error).message}`);
      const id = this.snapshots.newId();
      await this.snapshots.add(member, rollbackFile,
        { id, takenAt: new Date().toISOString(), kind: 'manual', bytes: (await stat(rollbackFile)).size, resources: 0 });
      return new ArchiveError(500, `${reason}, and putting the pod back failed too (${(error as Error).message}); ` +
        `the pod as it was is kept as snapshot ${id}.`, failure.entry, { cause: failure });
    }
  }

  /** Stages `input`; `checkEarly` has RDF checked while it streams in, for a {@link StagedArchiveChecker.check} with shapes. */
  private async stage(stager: ArchiveStager, input: Readable, folder: string, checkEarly = false): Promise<StagedArchive> {
    await mkdir(folder, { mode: 0o700 });
    return stager.stage(input, folder, checkEarly ? this.checker : undefined);
  }
}
