import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { getLoggerFor, Initializer } from '@solid/community-server';

/** Removes what an export or import killed mid-way left in the staging folders; at start nothing is in flight. */
export class StagingCleanupInitializer extends Initializer {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param stateFolder - The FMP's state folder.
   * @param folders - Staging folders inside it, e.g. `export-staging`.
   */
  public constructor(private readonly stateFolder: string, private readonly folders: string[]) {
    super();
  }

  public async handle(): Promise<void> {
    for (const folder of this.folders) {
      await rm(join(this.stateFolder, folder), { recursive: true, force: true });
    }
  }
}
