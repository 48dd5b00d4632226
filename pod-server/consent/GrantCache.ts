import type { ActivityEmitter, IdentifierGenerator, PodStore, ResourceIdentifier } from '@solid/community-server';
import { getLoggerFor } from '@solid/community-server';
import type { Grant } from '../../consent';
import { GrantIndex } from '../../consent';
import type { GrantGenerations } from '../cluster/GrantGenerations';
import type { PodGrantStore } from './PodGrantStore';

/** Pods whose grants are kept in memory at most; the first cached goes first. */
const MAX_CACHED_PODS = 10_000;

/** A pod's grants, indexed, with the WebIDs allowed to give them. */
export interface PodGrants {
  index: GrantIndex;
  owners: string[];
  /** Every grant stored in the pod, revoked and expired ones included, as read. */
  grants: readonly Grant[];
}

interface CachedPodGrants {
  /** The pod's grant generation read before the grants were. */
  generation: string;
  grants: Promise<PodGrants>;
}

/**
 * Keeps each pod's grants indexed in memory, with the pod's grant generation as it was when they were read: before
 * each use the generation is asked again, and grants of an older one are read anew. Every write into a pod's
 * `consent/` container moves the generation on before it is acknowledged ({@link GrantChangeStore}), so a new or
 * revoked grant counts from the very next request — on every FMP process, when the generations live in Redis. When the
 * generation cannot be read, the grants are read from the pod (never served from memory).
 */
export class GrantCache {
  protected readonly logger = getLoggerFor(this);
  private readonly pods = new Map<string, CachedPodGrants>();

  /**
   * @param grants - Where grants are stored.
   * @param podStore - CSS's pod store, for the owners of a pod.
   * @param identifierGenerator - Finds the pod root of a changed resource.
   * @param emitter - CSS's resource store, which announces every change.
   * @param generations - The pods' grant generations (in Redis when several processes serve the FMP).
   */
  public constructor(
    private readonly grants: PodGrantStore,
    private readonly podStore: PodStore,
    private readonly identifierGenerator: IdentifierGenerator,
    emitter: ActivityEmitter,
    private readonly generations: GrantGenerations,
  ) {
    emitter.on('changed', (target: ResourceIdentifier): void => this.forgetIfGrant(target));
  }

  /** The indexed grants of the pod at `podRoot`; a failed load is not kept, so the next call tries again. */
  public async getPodGrants(podRoot: string): Promise<PodGrants> {
    let generation: string;
    try {
      generation = await this.generations.current(podRoot);
    } catch (error: unknown) {
      this.logger.warn(`Grant generation of ${podRoot} unknown (${(error as Error).message}); reading its grants anew`);
      return this.load(podRoot);
    }
    const cached = this.pods.get(podRoot);
    if (cached?.generation === generation) {
      return cached.grants;
    }
    const entry = { generation, grants: this.load(podRoot) };
    this.pods.set(podRoot, entry);
    entry.grants.catch((): void => {
      if (this.pods.get(podRoot) === entry) {
        this.pods.delete(podRoot);
      }
    });
    // Bounded: anonymous requests (which public grants reach) could otherwise fill it with made-up paths.
    if (this.pods.size > MAX_CACHED_PODS) {
      this.pods.delete(this.pods.keys().next().value!);
    }
    return entry.grants;
  }


  // The owners live in the account storage, whose locks a pod being created holds while anonymous requests (such as
  // a token verifier fetching the new WebID profile) reach its pod: they are only read for a pod that has grants.
  private async load(podRoot: string): Promise<PodGrants> {
    const grants = await this.grants.listGrants(podRoot);
    if (grants.length === 0) {
      return { index: new GrantIndex(grants), owners: [], grants };
    }
    const pod = await this.podStore.findByBaseUrl(podRoot);
    const owners = pod ? (await this.podStore.getOwners(pod.id) ?? []).map((owner): string => owner.webId) : [];
    return { index: new GrantIndex(grants), owners, grants };
  }

  // `emit` is synchronous and uncaught in CSS: this must never throw.
  private forgetIfGrant(target: ResourceIdentifier): void {
    try {
      const podRoot = this.identifierGenerator.extractPod(target).path;
      if (target.path.startsWith(this.grants.getGrantContainer(podRoot))) {
        this.pods.delete(podRoot);
      }
    } catch {
      // Not inside a pod (e.g. /.internal/): no grants there.
    }
  }
}
