import { getContainedResourceUrlAll, getDatetime, getSolidDataset, getStringNoLocale, getThing, getThingAll, getUrlAll } from '@inrupt/solid-client';
import type { SolidDataset, WithResourceInfo } from '@inrupt/solid-client';
import type { ContainerSummary } from './pages/home';
import type { InboxItem } from './pages/inbox';
import type { Texts } from './texts';

const MODIFIED = 'http://purl.org/dc/terms/modified';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

/** When each resource of a container listing last changed (CSS lists `dcterms:modified` of every child). */
function modifiedOf(listing: SolidDataset, url: string): Date | undefined {
  const thing = getThing(listing, url);
  return thing ? getDatetime(thing, MODIFIED) ?? undefined : undefined;
}

/** A container's summary as last computed, with the container's own change stamp then. */
export type SummaryCache = Map<string, { stamp: string; summary: ContainerSummary }>;

/**
 * The pod's containers with how many items each holds and when the newest changed, read as the member, and the
 * listings of the containers in `alwaysList` (which the caller reads items of). Another container is listed again
 * only when its own modification time (in the root listing) changed, i.e. when something was added to or removed
 * from it: its count cannot have changed otherwise.
 */
export async function listContainers(pod: string, fetchFn: typeof fetch, alwaysList: readonly string[], cache: SummaryCache):
Promise<{ summaries: ContainerSummary[]; listings: Map<string, SolidDataset & WithResourceInfo> }> {
  const root = await getSolidDataset(pod, { fetch: fetchFn });
  const containers = getContainedResourceUrlAll(root).filter((url): boolean => url.endsWith('/')).sort();
  const listings = new Map<string, SolidDataset & WithResourceInfo>();
  const summaries = await Promise.all(containers.map(async(url): Promise<ContainerSummary> => {
    const name = url.slice(pod.length, -1);
    const stamp = modifiedOf(root, url)?.toISOString() ?? '';
    const cached = cache.get(url);
    if (!alwaysList.includes(url) && stamp && cached?.stamp === stamp) {
      return cached.summary;
    }
    try {
      const listing = await getSolidDataset(url, { fetch: fetchFn });
      listings.set(url, listing);
      const children = getContainedResourceUrlAll(listing);
      const times = children.map((child): number => modifiedOf(listing, child)?.getTime() ?? 0);
      const newest = Math.max(0, ...times);
      const summary = { name, count: children.length, lastChange: newest > 0 ? new Date(newest) : modifiedOf(root, url) };
      cache.set(url, { stamp, summary });
      return summary;
    } catch {
      return { name, count: 0, lastChange: modifiedOf(root, url) };
    }
  }));
  return { summaries, listings };
}

/** The kind of an inbox message, from its RDF types, in plain words. */
function describeKind(types: string[], kinds: Texts['inbox']['kinds']): string {
  if (types.some((type): boolean => type.endsWith('#AccessRequest'))) {
    return kinds.request;
  }
  if (types.some((type): boolean => type.endsWith('activitystreams#Move'))) {
    return kinds.move;
  }
  const named = types.map((type): string => type.split(/[#/]/u).pop() ?? type).filter(Boolean);
  return named.length > 0 ? named.join(', ') : kinds.message;
}

/** What arrived in the member's `inbox/`, newest first; those after `seenBefore` (ms) are unread. */
export async function readInbox(pod: string, fetchFn: typeof fetch, seenBefore: number, kinds: Texts['inbox']['kinds']):
Promise<InboxItem[]> {
  const inbox = `${pod}inbox/`;
  const listing = await getSolidDataset(inbox, { fetch: fetchFn });
  const items = await Promise.all(getContainedResourceUrlAll(listing).map(async(url): Promise<InboxItem> => {
    const received = modifiedOf(listing, url);
    let kind = kinds.message;
    let summary = url.slice(inbox.length);
    try {
      const message = await getSolidDataset(url, { fetch: fetchFn });
      const things = getThingAll(message);
      kind = describeKind(things.flatMap((thing): string[] => getUrlAll(thing, RDF_TYPE)), kinds);
      const text = things.map((thing): string | null => getStringNoLocale(thing, 'http://purl.org/dc/terms/description') ??
        getStringNoLocale(thing, 'https://www.w3.org/ns/activitystreams#summary')).find(Boolean);
      summary = text ?? summary;
    } catch {
      // Not RDF (or unreadable): shown by its name.
    }
    return { url, kind, summary, received, unread: (received?.getTime() ?? 0) > seenBefore };
  }));
  return items.sort((a, b): number => (b.received?.getTime() ?? 0) - (a.received?.getTime() ?? 0));
}
