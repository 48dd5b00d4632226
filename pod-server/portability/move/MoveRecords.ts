import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { MoveActivity } from '../../../consent';
import { writeFileAtomically } from '../../../consent/util/writeFileAtomically';

/** A member's pod that moved away from this FMP, and until when its old URLs forward. */
export interface MoveRecord {
  member: string;
  fromPod: string;
  fromWebId: string;
  toPod: string;
  toWebId: string;
  movedAt: string;
  forwardUntil: string;
  /** The signed Move activity, kept so a rerun sends the very same one. */
  activity: MoveActivity;
}

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

  /** The move whose old pod holds `url` and still forwards at `now`. */
  public async findForwarding(url: string, now = new Date()): Promise<MoveRecord | undefined> {
    return (await this.list()).find((record): boolean =>
      url.startsWith(record.fromPod) && new Date(record.forwardUntil) > now);
  }

  /** Records a move (replacing an earlier record of the same pod). */
  public async save(record: MoveRecord): Promise<void> {
    const others = (await this.list()).filter((existing): boolean => existing.fromPod !== record.fromPod);
    await writeFileAtomically(this.file, `${JSON.stringify({ moves: [ ...others, record ] }, null, 2)}\n`);
    this.cached = undefined;
  }
}
