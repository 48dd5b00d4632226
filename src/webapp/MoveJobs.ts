import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../../consent/util/writeFileAtomically';
import type { MoveJob } from './pages/move';

/** A move whose process stopped telling how it goes for this long has stopped (its process died). */
const SILENT_LIMIT_MS = 10 * 60_000;

/**
 * Where the moves started from the web app stand, in the state folder (one small file per member, named by a hash of
 * the WebID): the process running a move writes each step there, so the progress page shows it whichever process
 * serves the member's next request, and after a restart.
 */
export class MoveJobs {
  public constructor(private readonly folder: string) {}

  /** The member's last move, if any; one whose process fell silent is reported as interrupted. */
  public async get(webId: string, now = Date.now()): Promise<MoveJob | undefined> {
    let job: MoveJob;
    try {
      job = JSON.parse(await readFile(this.fileOf(webId), 'utf8')) as MoveJob;
    } catch {
      return undefined;
    }
    const running = !job.done && !job.error;
    return running && now - (job.updatedAt ?? 0) > SILENT_LIMIT_MS ? { ...job, interrupted: true } : job;
  }

  /** Records where the member's move stands now. */
  public async save(webId: string, job: MoveJob): Promise<void> {
    await writeFileAtomically(this.fileOf(webId), JSON.stringify({ ...job, updatedAt: Date.now() }));
  }

  private fileOf(webId: string): string {
    return join(this.folder, `${createHash('sha256').update(webId).digest('hex')}.json`);
  }
}
