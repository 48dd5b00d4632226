import type { Readable } from 'node:stream';
import type { DataAccessor, Guarded, RepresentationMetadata, ResourceIdentifier } from '@solid/community-server';
import { isContainerIdentifier, PassthroughDataAccessor } from '@solid/community-server';
import type { ChangedPart, PodSizeReporter } from './PodSizeReporter';

/**
 * Tells the {@link PodSizeReporter} how much each write or delete changed the files it touched, so pod totals stay
 * right without walking the pod again. Outermost in the accessor chain, so the quota check inside sees what the
 * document being written takes now. CSS's resource locks keep two changes of one resource apart.
 */
export class PodSizeTrackingDataAccessor extends PassthroughDataAccessor {
  /**
   * @param accessor - The accessor that writes (CSS's quota-checking file accessor).
   * @param sizes - Keeps the pod totals.
   */
  public constructor(accessor: DataAccessor, private readonly sizes: PodSizeReporter) {
    super(accessor);
  }

  public async writeDocument(identifier: ResourceIdentifier, data: Guarded<Readable>, metadata: RepresentationMetadata):
  Promise<void> {
    // Read now: the file accessor removes the media type from the metadata it stores.
    const { contentType } = metadata;
    return this.track(identifier, 'resource', async(): Promise<void> => this.accessor.writeDocument(identifier, data, metadata),
      contentType);
  }

  public async writeContainer(identifier: ResourceIdentifier, metadata: RepresentationMetadata): Promise<void> {
    return this.track(identifier, 'meta', async(): Promise<void> => this.accessor.writeContainer(identifier, metadata));
  }

  public async writeMetadata(identifier: ResourceIdentifier, metadata: RepresentationMetadata): Promise<void> {
    return this.track(identifier, 'meta', async(): Promise<void> => this.accessor.writeMetadata(identifier, metadata));
  }

  public async deleteResource(identifier: ResourceIdentifier): Promise<void> {
    return this.track(identifier, isContainerIdentifier(identifier) ? 'whole' : 'resource',
      async(): Promise<void> => this.accessor.deleteResource(identifier));
  }

  /** Runs `change`, measuring the files of `part` before and after (also after a failure, which may have written some). */
  private async track(identifier: ResourceIdentifier, part: ChangedPart, change: () => Promise<void>, contentType?: string):
  Promise<void> {
    const measured = await this.sizes.beginChange(identifier, part, contentType);
    try {
      await change();
    } finally {
      await this.sizes.endChange(measured);
    }
  }
}
