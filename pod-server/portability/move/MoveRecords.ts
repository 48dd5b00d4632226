import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MoveActivity } from '../../../consent';
import { writeFileAtomically } from '../../../consent/util/writeFileAtomically';

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
 * they are read once and then kept in memory: only this server writes the file.
 */
export class MoveRecords {
  private records?: Promise<MoveRecord[]>;

  /** @param stateFolder - The FMP's state folder. */
  public constructor(private readonly stateFolder: string) {}

  private get file(): string {
    return join(this.stateFolder, 'moves.json');
  }

  /** Every move recorded, prepared or done. */
  public async list(): Promise<MoveRecord[]> {
    this.records ??= this.read();
    return this.records;
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
    await this.write([ ...(await this.list()).filter((existing): boolean => existing.fromPod !== record.fromPod), record ]);
  }

  /** Forgets the move of the pod at `podRoot` (a prepared move that was called off). */
  public async remove(podRoot: string): Promise<void> {
    await this.write((await this.list()).filter((existing): boolean => existing.fromPod !== podRoot));
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
    this.records = Promise.resolve(records);
  }
}
