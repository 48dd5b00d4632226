import type { ActivityEmitter, IdentifierGenerator, PodStore, ResourceIdentifier } from '@solid/community-server';
import { getLoggerFor } from '@solid/community-server';
import type { Grant } from '../../consent';
import { GrantIndex } from '../../consent';
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

/**
 * Keeps each pod's grants indexed in memory and forgets them the moment anything in the pod's `consent/`
 * container changes, so a new or revoked grant counts from the very next request.
 */
export class GrantCache {
  protected readonly logger = getLoggerFor(this);
  private readonly pods = new Map<string, Promise<PodGrants>>();

  /**
   * @param grants - Where grants are stored.
   * @param podStore - CSS's pod store, for the owners of a pod.
   * @param identifierGenerator - Finds the pod root of a changed resource.
   * @param emitter - CSS's resource store, which announces every change.
   */
  public constructor(
    private readonly grants: PodGrantStore,
    private readonly podStore: PodStore,
    private readonly identifierGenerator: IdentifierGenerator,
    emitter: ActivityEmitter,
  ) {
    emitter.on('changed', (target: ResourceIdentifier): void => this.forgetIfGrant(target));
  }

  /** The indexed grants of the pod at `podRoot`; a failed load is not kept, so the next call tries again. */
  public async getPodGrants(podRoot: string): Promise<PodGrants> {
    let entry = this.pods.get(podRoot);
    if (!entry) {
      entry = this.load(podRoot);
      this.pods.set(podRoot, entry);
      entry.catch((): void => {
        if (this.pods.get(podRoot) === entry) {
          this.pods.delete(podRoot);
        }
      });
      // Bounded: anonymous requests (which public grants reach) could otherwise fill it with made-up paths.
      if (this.pods.size > MAX_CACHED_PODS) {
        this.pods.delete(this.pods.keys().next().value!);
      }
    }
    return entry;
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
