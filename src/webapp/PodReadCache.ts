import { getContainedResourceUrlAll, getDatetime, getInteger, getSolidDataset, getThing } from '@inrupt/solid-client';
import type { SolidDataset, WithResourceInfo } from '@inrupt/solid-client';
import { readResource, slugOf } from '../../shapes/access/podIo';
import type { ResourceGraph } from '../../shapes/access/rdf';
import type { SummaryCache } from './podListing';

const MODIFIED = 'http://purl.org/dc/terms/modified';
const SIZE = 'http://www.w3.org/ns/posix/stat#size';
/** Resources kept per cache: more than a farm's catalog and a few seasons of logs. */
const MAX_ENTRIES = 20_000;

/** How a container listing describes a child: when it changed and how large it is (CSS lists both). */
function stampOf(listing: SolidDataset, url: string): string | undefined {
  const thing = getThing(listing, url);
  const modified = thing ? getDatetime(thing, MODIFIED) : null;
  return modified ? `${modified.toISOString()} ${thing ? getInteger(thing, SIZE) ?? '' : ''}` : undefined;
}

/**
 * One member's pod resources as last read, each with the change stamp its container listing gave it: a page reads
 * the listings (one request per container) and only the items that changed since, instead of every item each time.
 * Kept per member, in memory, holding only what that member's own requests could read.
 */
export class PodReadCache {
  private readonly entries = new Map<string, { stamp: string; graph: ResourceGraph }>();
  /** The pod's container summaries, by container. */
  public readonly summaries: SummaryCache = new Map();

  public constructor(private readonly fetchFn: typeof fetch) {}

  /** Every item of a container (not sub-containers) mapped with `read`, reading only what changed; skips what `read` refuses. */
  public async readAll<T>(container: string, read: (slug: string, graph: ResourceGraph) => T | undefined,
    listing?: SolidDataset & WithResourceInfo): Promise<T[]> {
    const list = listing ?? await getSolidDataset(container, { fetch: this.fetchFn });
    const urls = getContainedResourceUrlAll(list).filter((url): boolean => !url.endsWith('/'));
    const items: (T | undefined)[] = await Promise.all(urls.map(async(url): Promise<T | undefined> =>
      read(slugOf(url), await this.read(url, stampOf(list, url)))));
    return items.filter((item): item is T => item !== undefined);
  }

  /** Forgets a resource (after the app wrote it). */
  public forget(url: string): void {
    this.entries.delete(url);
  }

  private async read(url: string, stamp: string | undefined): Promise<ResourceGraph> {
    const cached = this.entries.get(url);
    if (stamp && cached?.stamp === stamp) {
      return cached.graph;
    }
    const graph = await readResource(url, { fetch: this.fetchFn });
    if (stamp) {
      if (this.entries.size >= MAX_ENTRIES) {
        this.entries.delete(this.entries.keys().next().value!);
      }
      this.entries.set(url, { stamp, graph });
    }
    return graph;
  }
}
