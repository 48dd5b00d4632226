import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../../consent/util/writeFileAtomically';
import type { Lease, LeaseKeeper } from '../cluster/LeaseKeeper';

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
 * Keeps `<state>/imports/<member>.json` and which imports are running (a lease per pod, shared by every FMP process),
 * so an import interrupted while committing (server killed) can be run again over its own partial result, and a mover
 * can ask whether it is done.
 */
export class ImportJournal {
  /** The leases this process holds, by member. */
  private readonly running = new Map<string, Lease>();

  /**
   * @param stateFolder - The FMP's state folder.
   * @param leases - The FMP's leases: one import per pod at a time, on every process.
   */
  public constructor(private readonly stateFolder: string, private readonly leases: LeaseKeeper) {}

  /** The last import into the member's pod, and whether one is running now. */
  public async read(member: string): Promise<ImportRecord & { running: boolean } | undefined> {
    try {
      const record = JSON.parse(await readFile(this.fileOf(member), 'utf8')) as ImportRecord;
      return { ...record, running: await this.isRunning(member) };
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw error;
    }
  }

  /** Whether an import into the member's pod is under way, in any process. */
  public async isRunning(member: string): Promise<boolean> {
    return this.leases.isHeld(this.leaseOf(member));
  }

  /** Marks an import as running (staging and checking); false if one already is. */
  public async begin(member: string): Promise<boolean> {
    const lease = await this.leases.tryAcquire(this.leaseOf(member));
    if (!lease) {
      return false;
    }
    this.running.set(member, lease);
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
  public async end(member: string): Promise<void> {
    await this.running.get(member)?.release();
    this.running.delete(member);
  }

  private leaseOf(member: string): string {
    return `import:${member}`;
  }

  private async write(member: string, record: ImportRecord): Promise<void> {
    const { running, ...stored } = record as ImportRecord & { running?: boolean };
    await writeFileAtomically(this.fileOf(member), `${JSON.stringify(stored, null, 2)}\n`);
  }

  private fileOf(member: string): string {
    return join(this.stateFolder, 'imports', `${encodeURIComponent(member)}.json`);
  }
}
