import type { ResourceStore } from '@solid/community-server';
import { NotFoundHttpError } from '@solid/community-server';

/** Deletes a resource through the store; one that is already gone (e.g. with its container) is fine. */
export async function deleteIfExists(store: ResourceStore, url: string): Promise<void> {
  try {
    await store.deleteResource({ path: url });
  } catch (error: unknown) {
    if (!NotFoundHttpError.isInstance(error)) {
      throw error;
    }
  }
}
