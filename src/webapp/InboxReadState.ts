import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../../consent/util/writeFileAtomically';

/**
 * Until when each member has seen their inbox, in the state folder (one small file per member, named by a hash of the
 * WebID), so every process on the data folder marks the same messages new. It is the app's view state, not the
 * member's data: kept out of the pod, where each visit to the inbox would be a write (counted against the pod's
 * quota, kept in snapshots and exports, seen by every app).
 */
export class InboxReadState {
  public constructor(private readonly folder: string) {}

  /** Milliseconds since the epoch up to which the member has seen the inbox; 0 if never. */
  public async seenUntil(webId: string): Promise<number> {
    try {
      const { seenUntil } = JSON.parse(await readFile(this.fileOf(webId), 'utf8')) as { seenUntil?: unknown };
      return typeof seenUntil === 'number' ? seenUntil : 0;
    } catch {
      return 0;
    }
  }

  public async markSeen(webId: string, until: number): Promise<void> {
    await writeFileAtomically(this.fileOf(webId), JSON.stringify({ seenUntil: until }));
  }

  private fileOf(webId: string): string {
    return join(this.folder, `${createHash('sha256').update(webId).digest('hex')}.json`);
  }
}
