import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ARCHIVE_CONTENT_TYPE } from '../../pod-server/portability/archiveFormat';
import { FmpClientError } from './FmpClientError';
import { fetchServer, readErrorMessage } from './serverFetch';

/** One stored snapshot, as the server describes it. */
export interface SnapshotJson {
  id: string;
  takenAt: string;
  kind: 'manual' | 'scheduled';
  bytes: number;
  resources: number;
}

/** The member's snapshots, oldest first, and how much of the quota they use. */
export interface SnapshotList {
  pod: string;
  usedBytes: number;
  quotaBytes: number;
  snapshots: SnapshotJson[];
}

/** What a restore did, as the server reports it. */
export interface RestoreResult {
  pod: string;
  from: string;
  takenAt: string;
  snapshot?: string;
  removed: number;
  restored: number;
  unchanged: number;
  resources: number;
  seconds: number;
}

/** Client for `/.fmp/snapshots/<member>` and `/.fmp/restore/<member>` with the member's authenticated fetch. */
export class SnapshotApi {
  private readonly snapshotsUrl: string;
  private readonly restoreUrl: string;

  public constructor(server: string, member: string, private readonly fetchFn: typeof fetch) {
    this.snapshotsUrl = new URL(`.fmp/snapshots/${encodeURIComponent(member)}`, server).href;
    this.restoreUrl = new URL(`.fmp/restore/${encodeURIComponent(member)}`, server).href;
  }

  /** Takes a snapshot now. */
  public async take(): Promise<SnapshotJson & { pod: string }> {
    return this.call('the snapshot was refused', this.snapshotsUrl, { method: 'POST' });
  }

  public async list(): Promise<SnapshotList> {
    return this.call('listing snapshots failed', this.snapshotsUrl, {});
  }

  public async delete(id: string): Promise<{ deleted: string; usedBytes: number }> {
    return this.call('deleting the snapshot failed', `${this.snapshotsUrl}/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }

  /** Puts the pod back as snapshot `id` holds it. */
  public async restoreSnapshot(id: string): Promise<RestoreResult> {
    return this.call('the restore was refused', this.restoreUrl, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ snapshot: id }),
    });
  }

  /** Puts the pod back as the archive in `file` (from fmp export) holds it. */
  public async restoreFile(file: string): Promise<RestoreResult> {
    try {
      await stat(file);
    } catch (error: unknown) {
      throw new FmpClientError(`cannot read ${file}: ${(error as Error).message}`, undefined, { cause: error });
    }
    return this.call('the restore was refused', this.restoreUrl, {
      method: 'POST',
      headers: { 'content-type': ARCHIVE_CONTENT_TYPE },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
      duplex: 'half',
    } as RequestInit);
  }

  private async call<T>(what: string, url: string, init: RequestInit): Promise<T> {
    const response = await fetchServer(url, { ...init, headers: { accept: 'application/json', ...init.headers }}, this.fetchFn);
    if (!response.ok) {
      throw new FmpClientError(`${what} (${response.status}): ${await readErrorMessage(response)}`, response.status);
    }
    return await response.json() as T;
  }
}
