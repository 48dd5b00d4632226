import { rm } from 'node:fs/promises';
import { getLoggerFor } from '@solid/community-server';
import type { LeaseKeeper } from '../../cluster/LeaseKeeper';
import { runExclusively } from '../../cluster/LeaseKeeper';
import { ArchiveError } from '../ArchiveError';
import type { PodLocation } from '../IriRewriter';
import type { PodArchiveWriter } from '../PodArchiveWriter';
import type { SnapshotInfo, SnapshotKind, SnapshotStore } from './SnapshotStore';
import { writeArchiveFile } from './writeArchiveFile';

/**
 * Takes a snapshot of a pod: an export archive written into the {@link SnapshotStore}, within the member's quota.
 * A manual snapshot that does not fit is refused (507); a scheduled one makes room by dropping the oldest scheduled
 * snapshots, and keeps only the newest `kept` of them. One snapshot per member at a time, on every FMP process, so
 * quotas add up.
 */
export class SnapshotTaker {
  protected readonly logger = getLoggerFor(this);
  private readonly kept: number;

  /**
   * @param writer - Writes the pod as an archive, as export does (on the file backend).
   * @param store - Where snapshots are kept.
   * @param quotaBytes - Most bytes of snapshots one member may keep (`urn:fmp:variable:snapshotQuotaBytes`).
   * @param kept - How many scheduled snapshots are kept per member (`urn:fmp:variable:snapshotsKept`).
   * @param leases - The FMP's leases: one snapshot per member at a time.
   */
  public constructor(
    private readonly writer: PodArchiveWriter,
    private readonly store: SnapshotStore,
    private readonly quotaBytes: number,
    kept: number,
    private readonly leases: LeaseKeeper,
  ) {
    this.kept = Math.max(1, Math.floor(Number(kept)));
  }

  /** Takes a snapshot of `source` (the pod of `member`) and stores it. */
  public async take(member: string, source: PodLocation, kind: SnapshotKind): Promise<SnapshotInfo> {
    return runExclusively(this.leases, `snapshot:${member}`, async(): Promise<SnapshotInfo> => this.takeNow(member, source, kind));
  }

  private async takeNow(member: string, source: PodLocation, kind: SnapshotKind): Promise<SnapshotInfo> {
    if (kind === 'manual') {
      // Not worth reading the pod when nothing more fits.
      await this.requireRoom(member, 0);
    }
    // Taken as of its start: a change made while the pod is read may be missing from it, never the other way round.
    const started = new Date();
    const id = this.store.newId(started);
    const staged = await this.store.stagingFile(member, id);
    try {
      const { manifest, bytes } = await writeArchiveFile(this.writer, source, staged);
      const info: SnapshotInfo = { id, takenAt: started.toISOString(), kind, bytes, resources: manifest.resourceCount };
      if (kind === 'manual') {
        await this.requireRoom(member, bytes);
      } else {
        await this.makeRoom(member, bytes);
      }
      await this.store.add(member, staged, info);
      this.logger.info(`Took ${kind} snapshot ${id} of ${source.pod} (${bytes} bytes)`);
      return info;
    } finally {
      await rm(staged, { force: true });
    }
  }

  /** Refuses (507) when `bytes` more would bring the member over the quota. */
  private async requireRoom(member: string, bytes: number): Promise<void> {
    const used = await this.store.usage(member);
    if (used + bytes > this.quotaBytes || used >= this.quotaBytes) {
      const why = bytes > 0 ?
        `this snapshot (${megabytes(bytes)}) would bring ${member}'s snapshots to ${megabytes(used + bytes)}` :
        `${member}'s snapshots already use ${megabytes(used)}`;
      throw new ArchiveError(507, `No room: ${why}, and this FMP allows ${megabytes(this.quotaBytes)} per member ` +
        `(${megabytes(used)} used). Delete a snapshot with fmp snapshot delete ${member} <id> (fmp snapshot list ${member} shows them).`);
    }
  }

  /**
   * Drops the oldest scheduled snapshots beyond `kept - 1` (the new one is the last), then more of them, oldest first,
   * until `bytes` fit in the quota. Drops nothing and refuses (507) when even that is not enough.
   */
  private async makeRoom(member: string, bytes: number): Promise<void> {
    const snapshots = await this.store.list(member);
    const scheduled = snapshots.filter((info): boolean => info.kind === 'scheduled');
    const dropping = scheduled.slice(0, Math.max(0, scheduled.length - (this.kept - 1)));
    let used = snapshots.reduce((sum, info): number => sum + info.bytes, 0) -
      dropping.reduce((sum, info): number => sum + info.bytes, 0);
    for (const info of scheduled.slice(dropping.length)) {
      if (used + bytes <= this.quotaBytes) {
        break;
      }
      dropping.push(info);
      used -= info.bytes;
    }
    if (used + bytes > this.quotaBytes) {
      throw new ArchiveError(507, `A scheduled snapshot of ${member} (${megabytes(bytes)}) does not fit in the ` +
        `${megabytes(this.quotaBytes)} this FMP allows, even without older scheduled ones (manual snapshots use ` +
        `${megabytes(used)}); nothing was dropped.`);
    }
    for (const info of dropping) {
      await this.store.delete(member, info.id);
    }
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
