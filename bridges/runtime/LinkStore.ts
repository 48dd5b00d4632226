import type { Connection } from './Connection';
import type { Link } from './LinkTable';

/**
 * Members' link tables as the bridge worker uses them: read from the pod once, changed link by link, written back in
 * batches. {@link LinkCache} keeps them in this process; {@link RedisLinkCache} in Redis, for several processes.
 */
export interface LinkStore {
  /** The member's links at the connection's target, by pod resource. */
  linksOf: (connection: Connection) => Promise<Map<string, Link>>;
  set: (connection: Connection, link: Link) => Promise<void>;
  delete: (connection: Connection, resource: string) => Promise<void>;
  /** The link of a target record, by its id or one of its details (e.g. an inventory item). */
  find: (connection: Connection, match: { targetId: string } | { detail: readonly [string, string] }) => Promise<Link | undefined>;
  /** Writes changed link tables back to the pods: all of them when `force`, else those that waited long enough. */
  save: (now: number, force: boolean) => Promise<void>;
  /** Merges the link table the pod holds now (imported, restored) into the links known, the newer sync winning. */
  refresh: (connection: Connection) => Promise<void>;
  /** Forgets a member's links (disconnect, connect): they are read from the pod again. */
  forget: (connection: Connection) => Promise<void>;
}

/** The link matching `match` among `links`. */
export function findLink(links: Iterable<Link>, match: { targetId: string } | { detail: readonly [string, string] }):
Link | undefined {
  for (const link of links) {
    if ('targetId' in match ? link.targetId === match.targetId : link.details?.[match.detail[0]] === match.detail[1]) {
      return link;
    }
  }
}

/** The links of `stored` that are new or synced later than in `known`, and whether `known` has any the pod lacks. */
export function mergeLinks(known: ReadonlyMap<string, Link>, stored: ReadonlyMap<string, Link>):
{ newer: Link[]; newerHere: boolean } {
  const newer = [ ...stored.values() ].filter((link): boolean => {
    const mine = known.get(link.resource);
    return !mine || Date.parse(link.syncedAt) > Date.parse(mine.syncedAt);
  });
  const taken = new Set(newer.map((link): string => link.resource));
  const newerHere = [ ...known.values() ].some((mine): boolean => {
    const theirs = stored.get(mine.resource);
    if (taken.has(mine.resource)) {
      return false;
    }
    return !theirs || theirs.syncedAt !== mine.syncedAt || theirs.hash !== mine.hash;
  });
  return { newer, newerHere };
}
