import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { getLoggerFor, Initializer } from '@solid/community-server';
import type { LeaseKeeper } from '../cluster/LeaseKeeper';

/** How old a staging entry must be before a process sharing the data folder with others removes it at start. */
const ABANDONED_AFTER_MS = 24 * 3_600_000;

/**
 * Removes what an export, import or restore killed mid-way left in the staging folders. A lone process removes
 * everything at start (nothing is in flight); one of several on a shared data folder removes only what nobody touched
 * for a day, as another process may be staging right now.
 */
export class StagingCleanupInitializer extends Initializer {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param stateFolder - The FMP's state folder.
   * @param folders - Staging folders inside it, e.g. `export-staging`.
   * @param leases - The FMP's leases: they tell whether other processes share the data folder.
   */
  public constructor(private readonly stateFolder: string, private readonly folders: string[], private readonly leases: LeaseKeeper) {
    super();
  }

  public async handle(): Promise<void> {
    for (const folder of this.folders) {
      const path = join(this.stateFolder, folder);
      if (!this.leases.sharedWithOtherProcesses) {
        await rm(path, { recursive: true, force: true });
        continue;
      }
      const entries = await readdir(path).catch((): string[] => []);
      for (const entry of entries) {
        const { mtimeMs } = await stat(join(path, entry)).catch((): { mtimeMs: number } => ({ mtimeMs: Date.now() }));
        if (Date.now() - mtimeMs > ABANDONED_AFTER_MS) {
          await rm(join(path, entry), { recursive: true, force: true });
        }
      }
    }
  }
}
