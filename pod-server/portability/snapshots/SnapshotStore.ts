import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isSystemError } from '@solid/community-server';
import { ArchiveError } from '../ArchiveError';

/** Who took a snapshot: the member (`manual`) or the server's schedule (`scheduled`). */
export type SnapshotKind = 'manual' | 'scheduled';

/** What is known of one stored snapshot (kept beside its archive as `<id>.json`). */
export interface SnapshotInfo {
  id: string;
  takenAt: string;
  kind: SnapshotKind;
  /** Size of the archive in bytes. */
  bytes: number;
  /** Containers and documents in the archive. */
  resources: number;
}

// `2026-11-25T19-30-00-123Z-1a2b`: the time sorts as text, the random tail keeps two in one millisecond apart.
const SNAPSHOT_ID = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[0-9a-f]{4}$/u;
// Pod names as CSS makes them; anything else never names a folder.
const MEMBER_NAME = /^[\w-][\w.-]*$/u;
const ARCHIVE_SUFFIX = '.tar';

/**
 * The snapshot archives of every member in `<state>/snapshots/<member>/<id>.tar` (+ `<id>.json`), out of HTTP's
 * reach. Archives are written elsewhere (`<state>/snapshot-staging/`) and renamed in, so a listed one is whole.
 */
export class SnapshotStore {
  private readonly root: string;
  private readonly staging: string;

  /** @param stateFolder - The FMP's state folder. */
  public constructor(stateFolder: string) {
    this.root = join(stateFolder, 'snapshots');
    this.staging = join(stateFolder, 'snapshot-staging');
  }

  /** A new, sortable snapshot id for `date`. */
  public newId(date = new Date()): string {
    return `${date.toISOString().replace(/[:.]/gu, '-')}-${randomBytes(2).toString('hex')}`;
  }

  /** A file to write a new archive into before {@link add} moves it in (same file system, so renaming is atomic). */
  public async stagingFile(member: string, id: string): Promise<string> {
    this.checkMember(member);
    await mkdir(this.staging, { recursive: true, mode: 0o700 });
    return join(this.staging, `${member}-${id}${ARCHIVE_SUFFIX}.part`);
  }

  /** Moves a staged archive in as snapshot `info.id` of `member`. */
  public async add(member: string, staged: string, info: SnapshotInfo): Promise<void> {
    const folder = await this.memberFolder(member, true);
    await rename(staged, join(folder, `${info.id}${ARCHIVE_SUFFIX}`));
    // The description goes in last and the same way; without it, `list` falls back to what the file says.
    const description = `${staged}.json`;
    await writeFile(description, JSON.stringify(info, null, 1), { mode: 0o600 });
    await rename(description, join(folder, `${info.id}.json`));
  }

  /** The member's snapshots, oldest first. */
  public async list(member: string): Promise<SnapshotInfo[]> {
    const folder = await this.memberFolder(member, false);
    let names: string[];
    try {
      names = await readdir(folder);
    } catch (error: unknown) {
      if (isSystemError(error) && error.code === 'ENOENT') {
        return [];
      }
      throw error;
    }
    const ids = names.filter((name): boolean => name.endsWith(ARCHIVE_SUFFIX))
      .map((name): string => name.slice(0, -ARCHIVE_SUFFIX.length)).filter((id): boolean => SNAPSHOT_ID.test(id)).sort();
    const found: SnapshotInfo[] = [];
    for (const id of ids) {
      const info = await this.describe(folder, id);
      if (info) {
        found.push(info);
      }
    }
    return found;
  }

  /** One snapshot; 400 for a malformed id (it never reaches the file system), 404 when there is none. */
  public async get(member: string, id: string): Promise<SnapshotInfo> {
    if (!SNAPSHOT_ID.test(id)) {
      throw new ArchiveError(400, `${JSON.stringify(id)} is not a snapshot id (fmp snapshot list ${member} shows them).`);
    }
    const info = await this.describe(await this.memberFolder(member, false), id);
    if (!info) {
      throw new ArchiveError(404, `${member} has no snapshot ${id} (fmp snapshot list ${member} shows them).`);
    }
    return info;
  }

  /** The archive file of a snapshot (checked with {@link get}). */
  public async archivePath(member: string, id: string): Promise<string> {
    await this.get(member, id);
    return join(await this.memberFolder(member, false), `${id}${ARCHIVE_SUFFIX}`);
  }

  /** Removes a snapshot (checked with {@link get}). */
  public async delete(member: string, id: string): Promise<void> {
    await this.get(member, id);
    const folder = await this.memberFolder(member, false);
    // The description first: a snapshot without its archive must not be listed, one without description still is.
    await rm(join(folder, `${id}.json`), { force: true });
    await rm(join(folder, `${id}${ARCHIVE_SUFFIX}`), { force: true });
  }

  /** Bytes of all the member's snapshots together. */
  public async usage(member: string): Promise<number> {
    return (await this.list(member)).reduce((sum, info): number => sum + info.bytes, 0);
  }

  private async describe(folder: string, id: string): Promise<SnapshotInfo | undefined> {
    let bytes: number;
    let modified: Date;
    try {
      ({ size: bytes, mtime: modified } = await stat(join(folder, `${id}${ARCHIVE_SUFFIX}`)));
    } catch (error: unknown) {
      if (isSystemError(error) && error.code === 'ENOENT') {
        return undefined;
      }
      throw error;
    }
    try {
      const info = JSON.parse(await readFile(join(folder, `${id}.json`), 'utf8')) as SnapshotInfo;
      return { ...info, id, bytes };
    } catch {
      // Killed between the two renames of `add`: the archive is whole, only its description is missing.
      return { id, takenAt: modified.toISOString(), kind: 'manual', bytes, resources: 0 };
    }
  }

  private async memberFolder(member: string, create: boolean): Promise<string> {
    this.checkMember(member);
    const folder = join(this.root, member);
    if (create) {
      await mkdir(folder, { recursive: true, mode: 0o700 });
    }
    return folder;
  }

  private checkMember(member: string): void {
    if (!MEMBER_NAME.test(member)) {
      throw new ArchiveError(400, `${JSON.stringify(member)} is not a member name.`);
    }
  }
}
