import type { Connection } from './Connection';
import type { Link } from './LinkTable';
import { LinkTable } from './LinkTable';
import type { LinkStore } from './LinkStore';
import { findLink, mergeLinks } from './LinkStore';

interface CachedLinks {
  readonly table: LinkTable;
  readonly links: Map<string, Link>;
  dirty: boolean;
  lastSaved: number;
}

/**
 * Every member's link table, read from their pod once and written back in batches (after a quiet moment or every
 * few seconds). A link lost to a crash costs one more idempotent send, never a duplicate at the target.
 */
export class LinkCache implements LinkStore {
  private readonly cached = new Map<string, Promise<CachedLinks>>();

  /**
   * @param fetchFn - The bridge's authenticated fetch.
   * @param saveEveryMs - How long changed links may wait while the bridge is busy.
   */
  public constructor(private readonly fetchFn: typeof fetch, private readonly saveEveryMs = 2000) {}

  /** The member's links at the connection's target, by pod resource. */
  public async linksOf(connection: Connection): Promise<Map<string, Link>> {
    return (await this.entryOf(connection)).links;
  }

  public async set(connection: Connection, link: Link): Promise<void> {
    const entry = await this.entryOf(connection);
    entry.links.set(link.resource, link);
    entry.dirty = true;
  }

  public async delete(connection: Connection, resource: string): Promise<void> {
    const entry = await this.entryOf(connection);
    entry.dirty = entry.links.delete(resource) || entry.dirty;
  }

  /** The link of a target record, by its id or one of its details (e.g. an inventory item). */
  public async find(connection: Connection, match: { targetId: string } | { detail: readonly [string, string] }):
  Promise<Link | undefined> {
    return findLink((await this.entryOf(connection)).links.values(), match);
  }

  /** Writes changed link tables back to the pods: all of them when `force`, else those that waited long enough. */
  public async save(now: number, force: boolean): Promise<void> {
    for (const pending of this.cached.values()) {
      const entry = await pending;
      if (entry.dirty && (force || now - entry.lastSaved >= this.saveEveryMs)) {
        entry.dirty = false;
        entry.lastSaved = now;
        try {
          await entry.table.save(entry.links.values());
        } catch (error: unknown) {
          entry.dirty = true;
          throw error;
        }
      }
    }
  }

  /**
   * Reads the member's link table from the pod again and merges it with the links in memory, the newer sync of a
   * resource winning: a table imported with the pod (a move) adds what this bridge did not know, and one restored
   * from a snapshot does not make the bridge forget what it sent since (the target did not go back in time).
   */
  public async refresh(connection: Connection): Promise<void> {
    const key = this.keyOf(connection);
    const cached = this.cached.get(key);
    if (!cached) {
      return;
    }
    const entry = await cached;
    const { newer, newerHere } = mergeLinks(entry.links, await entry.table.load());
    for (const link of newer) {
      entry.links.set(link.resource, link);
    }
    entry.dirty ||= newerHere;
  }

  /** Forgets a member's cached links (disconnect, connect). */
  public async forget(connection: Connection): Promise<void> {
    this.cached.delete(this.keyOf(connection));
  }

  private async entryOf(connection: Connection): Promise<CachedLinks> {
    const key = this.keyOf(connection);
    let entry = this.cached.get(key);
    if (!entry) {
      const table = new LinkTable(linkTableUrl(connection), this.fetchFn);
      entry = table.load().then((links): CachedLinks => ({ table, links, dirty: false, lastSaved: 0 }));
      entry.catch((): void => {
        this.cached.delete(key);
      });
      this.cached.set(key, entry);
    }
    return entry;
  }

  private keyOf(connection: Connection): string {
    return `${connection.target}\n${connection.pod}`;
  }
}

/** Where a member's link table for a target lives in the pod. */
export function linkTableUrl(connection: Pick<Connection, 'pod' | 'target'>): string {
  return `${bridgeFolderUrl(connection)}links`;
}

/** The pod container the bridge of a target keeps its own data in (`bridges/<target>/`). */
export function bridgeFolderUrl({ pod, target }: Pick<Connection, 'pod' | 'target'>): string {
  return `${pod}bridges/${target}/`;
}
