import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../../consent/util/writeFileAtomically';

/** What an FMP knows of the last import into a pod: running now, interrupted while committing, or done. */
export interface ImportRecord {
  state: 'committing' | 'done';
  sourcePod: string;
  sourceWebId: string;
  exportedAt: string;
  startedAt: string;
  finishedAt?: string;
  resources?: number;
}

/**
 * Keeps `<state>/imports/<member>.json` and the imports running in this process, so an import interrupted while
 * committing (server killed) can be run again over its own partial result, and a mover can ask whether it is done.
 */
export class ImportJournal {
  private readonly running = new Set<string>();

  /** @param stateFolder - The FMP's state folder. */
  public constructor(private readonly stateFolder: string) {}

  /** The last import into the member's pod, and whether one is running now. */
  public async read(member: string): Promise<ImportRecord & { running: boolean } | undefined> {
    try {
      const record = JSON.parse(await readFile(this.fileOf(member), 'utf8')) as ImportRecord;
      return { ...record, running: this.running.has(member) };
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw error;
    }
  }

  /** Whether an import into the member's pod is under way in this process. */
  public isRunning(member: string): boolean {
    return this.running.has(member);
  }

  /** Marks an import as running (staging and checking); false if one already is. */
  public begin(member: string): boolean {
    if (this.running.has(member)) {
      return false;
    }
    this.running.add(member);
    return true;
  }

  /** Records that committing starts: from here on a crash leaves a partial import that may be run again. */
  public async committing(member: string, record: Omit<ImportRecord, 'state' | 'startedAt'>): Promise<void> {
    await this.write(member, { ...record, state: 'committing', startedAt: new Date().toISOString() });
  }

  /** Records a finished import. */
  public async done(member: string, resources: number): Promise<void> {
    const record = await this.read(member);
    await this.write(member, { ...record!, state: 'done', finishedAt: new Date().toISOString(), resources });
  }

  /** Forgets a commit that failed (the importer put the pod back as it was). */
  public async forget(member: string): Promise<void> {
    await rm(this.fileOf(member), { force: true });
  }

  /** Ends what {@link begin} started. */
  public end(member: string): void {
    this.running.delete(member);
  }

  private async write(member: string, record: ImportRecord): Promise<void> {
    const { running, ...stored } = record as ImportRecord & { running?: boolean };
    await writeFileAtomically(this.fileOf(member), `${JSON.stringify(stored, null, 2)}\n`);
  }

  private fileOf(member: string): string {
    return join(this.stateFolder, 'imports', `${encodeURIComponent(member)}.json`);
  }
}
