import type { ChangeMap, Conditions, IdentifierGenerator, Patch, Representation, ResourceIdentifier, ResourceStore }
  from '@solid/community-server';
import { PassthroughStore } from '@solid/community-server';
import type { GrantGenerations } from '../cluster/GrantGenerations';
import { GRANTS_FOLDER } from './PodGrantStore';

/**
 * Moves a pod's grant generation on after every write into its `consent/` container and before the write is
 * acknowledged, so that by the time the writer hears back every process's {@link GrantCache} reads the pod's grants
 * anew. (It knows the grants' container by name: the cache itself reads through this store.)
 */
export class GrantChangeStore<T extends ResourceStore = ResourceStore> extends PassthroughStore<T> {
  /**
   * @param source - The store that writes.
   * @param generations - The pods' grant generations.
   * @param identifierGenerator - Finds the pod of a written resource.
   */
  public constructor(source: T, private readonly generations: GrantGenerations,
    private readonly identifierGenerator: IdentifierGenerator) {
    super(source);
  }

  public async addResource(container: ResourceIdentifier, representation: Representation, conditions?: Conditions):
  Promise<ChangeMap> {
    return this.noted(await this.source.addResource(container, representation, conditions));
  }

  public async setRepresentation(identifier: ResourceIdentifier, representation: Representation, conditions?: Conditions):
  Promise<ChangeMap> {
    return this.noted(await this.source.setRepresentation(identifier, representation, conditions));
  }

  public async deleteResource(identifier: ResourceIdentifier, conditions?: Conditions): Promise<ChangeMap> {
    return this.noted(await this.source.deleteResource(identifier, conditions));
  }

  public async modifyResource(identifier: ResourceIdentifier, patch: Patch, conditions?: Conditions): Promise<ChangeMap> {
    return this.noted(await this.source.modifyResource(identifier, patch, conditions));
  }

  private async noted(changes: ChangeMap): Promise<ChangeMap> {
    const pods = new Set<string>();
    for (const identifier of changes.keys()) {
      const podRoot = this.grantPodOf(identifier);
      if (podRoot !== undefined) {
        pods.add(podRoot);
      }
    }
    for (const podRoot of pods) {
      await this.generations.advance(podRoot);
    }
    return changes;
  }

  private grantPodOf(identifier: ResourceIdentifier): string | undefined {
    try {
      const podRoot = this.identifierGenerator.extractPod(identifier).path;
      return identifier.path.startsWith(`${podRoot}${GRANTS_FOLDER}`) ? podRoot : undefined;
    } catch {
      // Not inside a pod (e.g. /.internal/): no grants there.
    }
  }
}
