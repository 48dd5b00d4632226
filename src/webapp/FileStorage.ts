import { readFile, rm } from 'node:fs/promises';
import type { IStorage } from '@inrupt/solid-client-authn-node';
import { writeFileAtomically } from '../../consent/util/writeFileAtomically';

/**
 * What the Solid-OIDC library keeps for one session (client registration, refresh token, DPoP key), in one JSON file
 * (mode 0600, written atomically), so that any process on the same data folder can restore the session. Read once
 * when first asked: make a new one for each sign-in or restore, so it starts from what is on disk.
 */
export class FileStorage implements IStorage {
  private entries?: Record<string, string>;
  /** Writes one after the other, each of everything known when it starts: the library sets fields concurrently. */
  private writing: Promise<void> = Promise.resolve();

  public constructor(private readonly path: string) {}

  public async get(key: string): Promise<string | undefined> {
    return (await this.read())[key];
  }

  public async set(key: string, value: string): Promise<void> {
    const entries = await this.read();
    entries[key] = value;
    await this.write();
  }

  public async delete(key: string): Promise<void> {
    const entries = await this.read();
    if (key in entries) {
      delete entries[key];
      await this.write();
    }
  }

  /** Forgets everything (the file too). */
  public async clear(): Promise<void> {
    this.entries = {};
    const removal = this.writing.catch((): void => undefined).then(async(): Promise<void> => rm(this.path, { force: true }));
    this.writing = removal;
    await removal;
  }

  // Without the queue, two writes started together could be renamed into place in the other order, the older last.
  private async write(): Promise<void> {
    const write = this.writing.catch((): void => undefined).then(async(): Promise<void> =>
      writeFileAtomically(this.path, JSON.stringify(this.entries ?? {})));
    this.writing = write;
    await write;
  }

  private async read(): Promise<Record<string, string>> {
    if (!this.entries) {
      try {
        this.entries = JSON.parse(await readFile(this.path, 'utf8')) as Record<string, string>;
      } catch {
        this.entries = {};
      }
    }
    return this.entries;
  }
}
