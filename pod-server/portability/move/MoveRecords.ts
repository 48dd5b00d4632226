import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { MoveActivity } from '../../../consent';
import { writeFileAtomically } from '../../../consent/util/writeFileAtomically';
import type { LeaseKeeper } from '../../cluster/LeaseKeeper';
import { runExclusively } from '../../cluster/LeaseKeeper';

/** A pod being moved away: frozen (read-only) while its copy is made, so no write is left behind. */
export interface PreparingMove {
  state: 'preparing';
  member: string;
  fromPod: string;
  fromWebId: string;
  preparedAt: string;
}

/** A member's pod that moved away from this FMP, and until when its old URLs forward. */
export interface CompletedMove extends Omit<PreparingMove, 'state'> {
  state: 'moved';
  toPod: string;
  toWebId: string;
  movedAt: string;
  forwardUntil: string;
  /** The signed Move activity, kept so a rerun sends the very same one. */
  activity: MoveActivity;
}

/** A move, prepared or done. */
export type MoveRecord = PreparingMove | CompletedMove;

/**
 * The pods that are moving or moved away, kept in `<state>/moves.json`. Every request is checked against them, so
 * they are kept in memory and read again only when the file changed (another FMP process on the same data folder
 * recorded a move); changes are made one process at a time, each over the file as it is then.
 */
export class MoveRecords {
  private records?: { version: string; records: Promise<MoveRecord[]> };

  /**
   * @param stateFolder - The FMP's state folder.
   * @param leases - The FMP's leases: one writer of the file at a time, on every process.
   */
  public constructor(private readonly stateFolder: string, private readonly leases: LeaseKeeper) {}

  private get file(): string {
    return join(this.stateFolder, 'moves.json');
  }

  /** Every move recorded, prepared or done. */
  public async list(): Promise<MoveRecord[]> {
    const version = await this.versionOfFile();
    if (this.records?.version !== version) {
      this.records = { version, records: this.read() };
    }
    return this.records.records;
  }

  /** The move of the pod at `podRoot`, if it is moving or moved. */
  public async find(podRoot: string): Promise<MoveRecord | undefined> {
    return (await this.list()).find((record): boolean => record.fromPod === podRoot);
  }

  /** The move of the member's pod, if it is moving or moved. */
  public async findByMember(member: string): Promise<MoveRecord | undefined> {
    return (await this.list()).find((record): boolean => record.member === member);
  }

  /** The move of the pod holding `url`, if it is being prepared or still forwards at `now`. */
  public async findActive(url: string, now = new Date()): Promise<MoveRecord | undefined> {
    return (await this.list()).find((record): boolean => url.startsWith(record.fromPod) &&
      (record.state === 'preparing' || new Date(record.forwardUntil) > now));
  }

  /** Records a move (replacing an earlier record of the same pod). */
  public async save(record: MoveRecord): Promise<void> {
    await this.change((records): MoveRecord[] => [ ...records.filter((existing): boolean => existing.fromPod !== record.fromPod),
      record ]);
  }

  /** Forgets the move of the pod at `podRoot` (a prepared move that was called off). */
  public async remove(podRoot: string): Promise<void> {
    await this.change((records): MoveRecord[] => records.filter((existing): boolean => existing.fromPod !== podRoot));
  }

  private async change(update: (records: MoveRecord[]) => MoveRecord[]): Promise<void> {
    await runExclusively(this.leases, 'file:moves.json', async(): Promise<void> => {
      await this.write(update(await this.read()));
    });
  }

  /** What changes when the file is replaced: its inode (written by renaming), size and time. */
  private async versionOfFile(): Promise<string> {
    try {
      const { ino, size, mtimeMs } = await stat(this.file);
      return `${ino}:${size}:${mtimeMs}`;
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return 'none';
      }
      throw error;
    }
  }

  private async read(): Promise<MoveRecord[]> {
    try {
      return (JSON.parse(await readFile(this.file, 'utf8')) as { moves: MoveRecord[] }).moves;
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return [];
      }
      throw error;
    }
  }

  private async write(records: MoveRecord[]): Promise<void> {
    await writeFileAtomically(this.file, `${JSON.stringify({ moves: records }, null, 2)}\n`);
    this.records = { version: await this.versionOfFile(), records: Promise.resolve(records) };
  }
}
