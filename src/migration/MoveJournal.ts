import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../../consent/util/writeFileAtomically';

/** Which inboxes a Move activity reached, kept in `<config>/moves.json` so a rerun of `fmp move` sends it once. */
export class MoveJournal {
  private readonly file: string;

  /** @param folder - The fmp config folder. */
  public constructor(folder: string) {
    this.file = join(folder, 'moves.json');
  }

  /** Whether the activity was delivered to the inbox. */
  public async wasDelivered(activity: string, inbox: string): Promise<boolean> {
    return (await this.read())[activity]?.includes(inbox) ?? false;
  }

  /** Notes that the activity reached the inbox. */
  public async recordDelivery(activity: string, inbox: string): Promise<void> {
    const deliveries = await this.read();
    deliveries[activity] = [ ...deliveries[activity] ?? [], inbox ];
    await writeFileAtomically(this.file, `${JSON.stringify(deliveries, null, 2)}\n`);
  }

  private async read(): Promise<Record<string, string[]>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as Record<string, string[]>;
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return {};
      }
      throw error;
    }
  }
}
