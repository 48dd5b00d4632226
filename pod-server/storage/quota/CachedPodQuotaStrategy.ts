import type { DataAccessor, IdentifierStrategy, ResourceIdentifier, Size } from '@solid/community-server';
import { PodQuotaStrategy, UNIT_BYTES } from '@solid/community-server';
import type { PodSizeReporter } from './PodSizeReporter';

/**
 * CSS's {@link PodQuotaStrategy} in bytes, which finds a resource's pod once: CSS looks for the `pim:Storage` above a
 * resource at every check, reading the metadata of each container on the way (and listing the document's folder);
 * here a pod whose total the {@link PodSizeReporter} knows answers at once.
 */
export class CachedPodQuotaStrategy extends PodQuotaStrategy {
  /**
   * @param limitBytes - The most bytes a pod may take.
   * @param sizes - Sizes of pods and resources.
   * @param identifierStrategy - CSS's identifier strategy.
   * @param accessor - CSS's file data accessor, to read containers' metadata.
   */
  public constructor(limitBytes: number, private readonly sizes: PodSizeReporter, identifierStrategy: IdentifierStrategy,
    accessor: DataAccessor) {
    super({ amount: limitBytes, unit: UNIT_BYTES }, sizes, identifierStrategy, accessor);
  }

  protected async getTotalSpaceUsed(identifier: ResourceIdentifier): Promise<Size> {
    const known = await this.sizes.findKnownTotal(identifier.path);
    // A new object each time: the base class subtracts from it.
    return known === undefined ? super.getTotalSpaceUsed(identifier) : { amount: known, unit: UNIT_BYTES };
  }
}
