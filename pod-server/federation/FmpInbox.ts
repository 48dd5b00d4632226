import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One activity a peer FMP or service delivered to this FMP's inbox. */
export interface InboxMessage {
  id: string;
  receivedAt: string;
  activity: unknown;
}

/** The FMP's own inbox (for peers' activities such as a member's Move), kept as files in `<state>/inbox/`. */
export class FmpInbox {
  /**
   * @param stateFolder - The FMP's state folder.
   */
  public constructor(private readonly stateFolder: string) {}

  /** Keeps an activity; returns its id. */
  public async deliver(activity: unknown): Promise<string> {
    const folder = this.getFolder();
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const receivedAt = new Date().toISOString();
    const id = `${receivedAt.replace(/[:.]/gu, '-')}-${randomUUID()}`;
    // Write then rename: a reader never sees half a message.
    const temporary = join(folder, `.${id}.tmp`);
    await writeFile(temporary, JSON.stringify({ id, receivedAt, activity }), { mode: 0o600 });
    await rename(temporary, join(folder, `${id}.json`));
    return id;
  }

  /** Every kept message, oldest first. */
  public async list(): Promise<InboxMessage[]> {
    let names: string[];
    try {
      names = (await readdir(this.getFolder())).filter((name): boolean => name.endsWith('.json')).sort();
    } catch {
      return [];
    }
    return Promise.all(names.map(async(name): Promise<InboxMessage> =>
      JSON.parse(await readFile(join(this.getFolder(), name), 'utf8')) as InboxMessage));
  }

  private getFolder(): string {
    return join(this.stateFolder, 'inbox');
  }
}
