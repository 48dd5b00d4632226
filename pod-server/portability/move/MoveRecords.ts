import { readFile, stat } from 'node:fs/promises';
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

/** The pods that moved away, kept in `<state>/moves.json`; read on every request, so cached until the file changes. */
export class MoveRecords {
  private cached?: { modified: number; records: MoveRecord[] };

  /** @param stateFolder - The FMP's state folder. */
  public constructor(private readonly stateFolder: string) {}

  private get file(): string {
    return join(this.stateFolder, 'moves.json');
  }

  /** Every move ever recorded, forwarding or not. */
  public async list(): Promise<MoveRecord[]> {
    let modified: number;
    try {
      modified = (await stat(this.file)).mtimeMs;
    } catch {
      return [];
    }
    if (this.cached?.modified !== modified) {
      const { moves } = JSON.parse(await readFile(this.file, 'utf8')) as { moves: MoveRecord[] };
      this.cached = { modified, records: moves };
    }
    return this.cached.records;
  }

  /** The move of the pod at `podRoot`, if it moved. */
  public async find(podRoot: string): Promise<MoveRecord | undefined> {
    return (await this.list()).find((record): boolean => record.fromPod === podRoot);
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

  private async write(records: MoveRecord[]): Promise<void> {
    await writeFileAtomically(this.file, `${JSON.stringify({ moves: records }, null, 2)}\n`);
    this.cached = undefined;
  }
}
