import type { ChangeMap, Conditions, Patch, Representation, ResourceIdentifier, ResourceStore } from '@solid/community-server';
import { PassthroughStore } from '@solid/community-server';
import type { PodWriteFreezes } from './PodWriteFreezes';

/**
 * Refuses writes into a frozen pod with `423 Locked` and tells {@link PodWriteFreezes} which writes are under way,
 * so a freeze can wait for them. Sits inside CSS's lock, above the patching store, so PATCH counts as a write too.
 */
export class FreezableStore<T extends ResourceStore = ResourceStore> extends PassthroughStore<T> {
  /**
   * @param source - The store that writes (the patching store).
   * @param freezes - The frozen pods.
   */
  public constructor(source: T, private readonly freezes: PodWriteFreezes) {
    super(source);
  }

  public async addResource(container: ResourceIdentifier, representation: Representation, conditions?: Conditions):
  Promise<ChangeMap> {
    return this.write(container, async(): Promise<ChangeMap> => this.source.addResource(container, representation, conditions));
  }

  public async setRepresentation(identifier: ResourceIdentifier, representation: Representation, conditions?: Conditions):
  Promise<ChangeMap> {
    return this.write(identifier, async(): Promise<ChangeMap> =>
      this.source.setRepresentation(identifier, representation, conditions));
  }

  public async deleteResource(identifier: ResourceIdentifier, conditions?: Conditions): Promise<ChangeMap> {
    return this.write(identifier, async(): Promise<ChangeMap> => this.source.deleteResource(identifier, conditions));
  }

  public async modifyResource(identifier: ResourceIdentifier, patch: Patch, conditions?: Conditions): Promise<ChangeMap> {
    return this.write(identifier, async(): Promise<ChangeMap> => this.source.modifyResource(identifier, patch, conditions));
  }

  private async write(identifier: ResourceIdentifier, change: () => Promise<ChangeMap>): Promise<ChangeMap> {
    const done = await this.freezes.beginWrite(identifier.path);
    try {
      return await change();
    } finally {
      done();
    }
  }
}
