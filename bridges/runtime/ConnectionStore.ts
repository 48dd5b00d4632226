import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../../consent/util/writeFileAtomically';
import type { Connection } from './Connection';
import type { Mutex } from './Mutex';

const MEMBER_NAME = /^[\w-]+$/u;

/**
 * Members' connections, one JSON file each in `<folder>/<target>/<member>.json` (mode 0600, the folder 0700):
 * outside every pod and out of HTTP's reach, because they hold the targets' secrets. They do not travel with an
 * export or a move; the link table in the pod does.
 */
export class ConnectionStore {
  /** Writes of one file, one after the other (a webhook and a sync may update one connection at once). */
  private readonly queues = new Map<string, Promise<unknown>>();

  /**
   * @param folder - The bridges' state folder, e.g. `<data>/bridges`.
   * @param mutex - Changes across processes sharing the folder (Redis), one at a time per connection, so none is lost.
   */
  public constructor(private readonly folder: string, private readonly mutex?: Mutex) {}

  public async get(target: string, member: string): Promise<Connection | undefined> {
    try {
      return JSON.parse(await readFile(this.fileOf(target, member), 'utf8')) as Connection;
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw error;
    }
  }

  public async list(target: string): Promise<Connection[]> {
    let names: string[];
    try {
      names = await readdir(join(this.folder, target));
    } catch {
      return [];
    }
    const connections = await Promise.all(names.filter((name): boolean => name.endsWith('.json'))
      .map(async(name): Promise<Connection | undefined> => this.get(target, name.slice(0, -5))));
    return connections.filter((connection): connection is Connection => connection !== undefined);
  }

  public async save(connection: Connection): Promise<void> {
    await this.update(connection.target, connection.member, (): Connection => connection);
  }

  /**
   * Changes a stored connection with `change` (given the newest version), one change at a time per connection;
   * returns the new version, or `undefined` if there is none (nothing is written then).
   */
  public async update(target: string, member: string, change: (current?: Connection) => Connection | undefined):
  Promise<Connection | undefined> {
    const file = this.fileOf(target, member);
    const previous = this.queues.get(file) ?? Promise.resolve();
    const write = async(): Promise<Connection | undefined> => {
      const changed = change(await this.get(target, member));
      if (changed) {
        await mkdir(join(this.folder, target), { recursive: true, mode: 0o700 });
        await writeFileAtomically(file, `${JSON.stringify(changed, null, 2)}\n`, 0o600);
      }
      return changed;
    };
    const next = previous.catch((): void => undefined).then(async(): Promise<Connection | undefined> =>
      this.mutex ? this.mutex.withLock(`connection:${target}:${member}`, write) : write());
    this.queues.set(file, next);
    try {
      return await next;
    } finally {
      if (this.queues.get(file) === next) {
        this.queues.delete(file);
      }
    }
  }

  public async remove(target: string, member: string): Promise<void> {
    const remove = async(): Promise<void> => rm(this.fileOf(target, member), { force: true });
    await (this.mutex ? this.mutex.withLock(`connection:${target}:${member}`, remove) : remove());
  }

  private fileOf(target: string, member: string): string {
    if (!MEMBER_NAME.test(target) || !MEMBER_NAME.test(member)) {
      throw new Error(`Not a target and member name: ${target}/${member}`);
    }
    return join(this.folder, target, `${member}.json`);
  }
}
