import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Connection } from './Connection';
import { linkTableUrl } from './LinkCache';
import type { LinkStore } from './LinkStore';
import { findLink, mergeLinks } from './LinkStore';
import type { Link } from './LinkTable';
import { LinkTable } from './LinkTable';
import type { Mutex } from './Mutex';

/** The field that says a hash holds the pod's table (an empty table is a hash with only it). */
const LOADED = '';

interface Changed {
  readonly table: LinkTable;
  dirty: boolean;
  lastSaved: number;
}

/**
 * Every member's link table in Redis (a hash per target and pod, a link per field), for bridge workers in several
 * processes: a job of one member works with what a job in another process just linked, so nothing is sent as new
 * twice and an echo is known wherever it arrives. The pod's table is read once into Redis and written back from
 * Redis whole, in batches by whichever process changed a link, one write at a time (so the last write holds all).
 */
export class RedisLinkCache implements LinkStore {
  private readonly changed = new Map<string, Changed>();

  /**
   * @param redis - The connection (not closed here).
   * @param mutex - Locks across processes: loading a table and changing a link do not cross.
   * @param fetchFn - The bridge's authenticated fetch.
   * @param saveEveryMs - How long changed links may wait while the bridge is busy.
   */
  public constructor(
    private readonly redis: Redis,
    private readonly mutex: Mutex,
    private readonly fetchFn: typeof fetch,
    private readonly saveEveryMs = 2000,
  ) {}

  public async linksOf(connection: Connection): Promise<Map<string, Link>> {
    const key = await this.loaded(connection);
    return parseHash(await this.redis.hgetall(key));
  }

  public async set(connection: Connection, link: Link): Promise<void> {
    const key = await this.loaded(connection);
    await this.mutex.withLock(key, async(): Promise<unknown> => this.redis.hset(key, link.resource, JSON.stringify(link)));
    this.markChanged(connection, key);
  }

  public async delete(connection: Connection, resource: string): Promise<void> {
    const key = await this.loaded(connection);
    await this.mutex.withLock(key, async(): Promise<unknown> => this.redis.hdel(key, resource));
    this.markChanged(connection, key);
  }

  public async find(connection: Connection, match: { targetId: string } | { detail: readonly [string, string] }):
  Promise<Link | undefined> {
    return findLink((await this.linksOf(connection)).values(), match);
  }

  public async save(now: number, force: boolean): Promise<void> {
    for (const [ key, entry ] of this.changed) {
      if (entry.dirty && (force || now - entry.lastSaved >= this.saveEveryMs)) {
        entry.dirty = false;
        entry.lastSaved = now;
        try {
          await this.mutex.withLock(`${key}:save`, async(): Promise<void> =>
            entry.table.save(parseHash(await this.redis.hgetall(key)).values()));
        } catch (error: unknown) {
          entry.dirty = true;
          throw error;
        }
      }
    }
  }

  public async refresh(connection: Connection): Promise<void> {
    const key = keyOf(connection);
    if (await this.redis.hexists(key, LOADED) === 0) {
      // Not read yet: it will be read as the pod holds it.
      return;
    }
    const stored = await this.tableOf(connection).load();
    const { newerHere } = await this.mutex.withLock(key, async(): Promise<{ newerHere: boolean }> => {
      const merged = mergeLinks(parseHash(await this.redis.hgetall(key)), stored);
      if (merged.newer.length > 0) {
        await this.redis.hset(key, ...merged.newer.flatMap((link): string[] => [ link.resource, JSON.stringify(link) ]));
      }
      return merged;
    });
    if (newerHere) {
      this.markChanged(connection, key);
    }
  }

  public async forget(connection: Connection): Promise<void> {
    const key = keyOf(connection);
    await this.mutex.withLock(key, async(): Promise<unknown> => this.redis.del(key));
    this.changed.delete(key);
  }

  /** The connection's hash, filled from the pod's table first if nothing has read it yet. */
  private async loaded(connection: Connection): Promise<string> {
    const key = keyOf(connection);
    if (await this.redis.hexists(key, LOADED) === 1) {
      return key;
    }
    await this.mutex.withLock(key, async(): Promise<void> => {
      if (await this.redis.hexists(key, LOADED) === 0) {
        const stored = await this.tableOf(connection).load();
        await this.redis.hset(key, LOADED, '1', ...[ ...stored.values() ].flatMap((link): string[] =>
          [ link.resource, JSON.stringify(link) ]));
      }
    });
    return key;
  }

  private markChanged(connection: Connection, key: string): void {
    const entry = this.changed.get(key) ?? { table: this.tableOf(connection), dirty: false, lastSaved: 0 };
    entry.dirty = true;
    this.changed.set(key, entry);
  }

  private tableOf(connection: Connection): LinkTable {
    return new LinkTable(linkTableUrl(connection), this.fetchFn);
  }
}

function keyOf(connection: Pick<Connection, 'target' | 'pod'>): string {
  return `fmp:bridges:links:${connection.target}:${createHash('sha256').update(connection.pod).digest('base64url').slice(0, 27)}`;
}

function parseHash(fields: Record<string, string>): Map<string, Link> {
  return new Map(Object.entries(fields).filter(([ field ]): boolean => field !== LOADED)
    .map(([ resource, text ]): [string, Link] => [ resource, JSON.parse(text) as Link ]));
}
