import type { ResourceStore } from '@solid/community-server';
import { INTERNAL_QUADS, isContainerIdentifier, LDP, readableToQuads } from '@solid/community-server';

/** The documents (not sub-containers) a container holds, read through the store below the auth layer. */
export async function listDocuments(store: ResourceStore, container: string): Promise<string[]> {
  const listing = await store.getRepresentation({ path: container }, { type: { [INTERNAL_QUADS]: 1 }});
  return (await readableToQuads(listing.data)).getObjects(container, LDP.contains, null)
    .map((child): string => child.value)
    .filter((child): boolean => !isContainerIdentifier({ path: child }));
}
