import type { DataAccessor, ReadWriteLocker, RepresentationMetadata, ResourceIdentifier } from '@solid/community-server';
import { isContainerIdentifier, PassthroughDataAccessor } from '@solid/community-server';

/**
 * Reads and rewrites a container's metadata (its `.meta` file) one at a time.
 *
 * CSS 7.2 rewrites a container's `.meta` every time a child is created in it (to update its modified date), without
 * locking the container, and the file backend truncates the file before writing it again. Children created in parallel
 * therefore read each other's half-written `.meta` and store what they read: the container loses its description
 * (title, `ldp:constrainedBy`, the root's `pim:Storage`). Within this process, this accessor makes each read wait for
 * the write in progress.
 */
export class ContainerMetadataLockingAccessor extends PassthroughDataAccessor {
  /**
   * @param accessor - The accessor that reads and writes (CSS's file accessor).
   * @param locker - An in-memory locker of its own (not CSS's resource locker, whose locks the store already holds).
   */
  public constructor(accessor: DataAccessor, private readonly locker: ReadWriteLocker) {
    super(accessor);
  }

  public async getMetadata(identifier: ResourceIdentifier): Promise<RepresentationMetadata> {
    if (!isContainerIdentifier(identifier)) {
      return super.getMetadata(identifier);
    }
    return this.locker.withReadLock(identifier, async(): Promise<RepresentationMetadata> => super.getMetadata(identifier));
  }

  public async writeContainer(identifier: ResourceIdentifier, metadata: RepresentationMetadata): Promise<void> {
    return this.locker.withWriteLock(identifier, async(): Promise<void> => super.writeContainer(identifier, metadata));
  }

  public async writeMetadata(identifier: ResourceIdentifier, metadata: RepresentationMetadata): Promise<void> {
    if (!isContainerIdentifier(identifier)) {
      return super.writeMetadata(identifier, metadata);
    }
    return this.locker.withWriteLock(identifier, async(): Promise<void> => super.writeMetadata(identifier, metadata));
  }
}
