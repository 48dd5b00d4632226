import type { ResourceStore } from '@solid/community-server';
import { BasicRepresentation, getLoggerFor, NotFoundHttpError, readableToString } from '@solid/community-server';
import type { Grant } from '../../consent';
import { grantToTurtle, parseGrant } from '../../consent';
import { listDocuments } from './listDocuments';

/** The container of a pod that holds its grants, relative to the pod's root. */
export const GRANTS_FOLDER = 'consent/';

/** Reads and writes a member's grants as Turtle resources in their pod's `consent/` container, below the auth layer. */
export class PodGrantStore {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param store - CSS's resource store (`urn:solid-server:default:ResourceStore`): no authorization is applied.
   */
  public constructor(private readonly store: ResourceStore) {}

  /** The container of a pod's grants. */
  public getGrantContainer(podRoot: string): string {
    return `${podRoot}${GRANTS_FOLDER}`;
  }

  /** Every grant of the pod; throws if any grant resource cannot be read or parsed, so callers fail closed. */
  public async listGrants(podRoot: string): Promise<Grant[]> {
    const container = this.getGrantContainer(podRoot);
    let children: string[];
    try {
      children = await listDocuments(this.store, container);
    } catch (error: unknown) {
      if (NotFoundHttpError.isInstance(error)) {
        return [];
      }
      throw error;
    }
    return Promise.all(children.map(async(child): Promise<Grant> => this.readGrant(child)));
  }

  /** One grant by its IRI. */
  public async readGrant(iri: string): Promise<Grant> {
    const representation = await this.store.getRepresentation({ path: iri }, { type: { 'text/turtle': 1 }});
    return parseGrant(await readableToString(representation.data), iri);
  }

  /** Stores (creates or replaces) a grant at its IRI. */
  public async writeGrant(grant: Grant): Promise<void> {
    await this.store.setRepresentation({ path: grant.id }, new BasicRepresentation(grantToTurtle(grant), 'text/turtle'));
  }
}
