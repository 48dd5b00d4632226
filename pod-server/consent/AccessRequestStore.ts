import type { ResourceStore } from '@solid/community-server';
import { BasicRepresentation, getLoggerFor, readableToString } from '@solid/community-server';
import type { AccessRequest } from '../../consent';
import { accessRequestToTurtle, parseAccessRequest } from '../../consent';
import { listDocuments } from './listDocuments';

/** Finds the access requests apps and peers posted to a member's `inbox/`, and records decisions on them. */
export class AccessRequestStore {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param store - CSS's resource store (no authorization is applied).
   */
  public constructor(private readonly store: ResourceStore) {}

  /** Every access request in the pod's inbox; other messages are skipped. */
  public async listRequests(podRoot: string): Promise<AccessRequest[]> {
    const children = await listDocuments(this.store, `${podRoot}inbox/`);
    const requests = await Promise.all(children.map(async(child): Promise<AccessRequest | undefined> => this.tryRead(child)));
    return requests.filter((request): request is AccessRequest => Boolean(request));
  }

  /** The request at `iri`, or undefined if that message is not an access request. */
  public async tryRead(iri: string): Promise<AccessRequest | undefined> {
    try {
      const representation = await this.store.getRepresentation({ path: iri }, { type: { 'text/turtle': 1 }});
      return parseAccessRequest(await readableToString(representation.data), iri);
    } catch (error: unknown) {
      this.logger.debug(`${iri} is not an access request: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** Writes the request back, e.g. after it was approved or denied. */
  public async writeRequest(request: AccessRequest): Promise<void> {
    await this.store.setRepresentation({ path: request.id }, new BasicRepresentation(accessRequestToTurtle(request), 'text/turtle'));
  }
}
