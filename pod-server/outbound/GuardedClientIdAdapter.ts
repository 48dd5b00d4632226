import type { RepresentationConverter } from '@solid/community-server';
import { getLoggerFor, hasScheme, OIDC, PassthroughAdapter, responseToDataset } from '@solid/community-server';
import { findOutboundRefusal } from '../../consent';
import type { ServerOutboundGuard } from './ServerOutboundGuard';

type Adapter = ConstructorParameters<typeof PassthroughAdapter>[1];
type AdapterPayload = Exclude<Awaited<ReturnType<PassthroughAdapter['find']>>, void | undefined>;

const OIDC_CONTEXT = 'https://www.w3.org/ns/solid/oidc-context.jsonld';

/**
 * CSS 7.2's `ClientIdAdapter` (a Solid-OIDC client id that is a URL is dereferenced to its Client ID Document) with
 * the document read through the outbound guard: the client id is whatever an app sends to the login, so it must not
 * make the FMP read its own private network. CSS's adapter calls `cross-fetch` directly, with no seam for a fetch;
 * this one does what it does otherwise.
 */
export class GuardedClientIdAdapter extends PassthroughAdapter {
  protected readonly logger = getLoggerFor(this);

  public constructor(name: string, source: Adapter, private readonly converter: RepresentationConverter,
    private readonly guard: ServerOutboundGuard) {
    super(name, source);
  }

  public async find(id: string): Promise<AdapterPayload | void> {
    const stored = await this.source.find(id);
    if (stored || this.name !== 'Client' || !hasScheme(id, 'http', 'https')) {
      return stored;
    }
    this.logger.debug(`Looking for payload data at ${id}`);
    if (!/^https:|^http:\/\/localhost(?::\d+)?(?:\/|$)/u.test(id)) {
      throw new Error('SSL is required for client_id authentication unless working locally.');
    }
    // A refusal propagates as the error of the login, with its reason.
    const response = await this.guard.fetch(id).catch((error: Error): never => {
      throw findOutboundRefusal(error) ?? error;
    });
    if (response.status !== 200) {
      throw new Error(`Unable to access data at ${id}: ${await response.text()}`);
    }
    const data = await response.text();
    const json = this.parseJsonClientId(data, id);
    // `token_endpoint_auth_method: 'none'` keeps oidc-provider from asking for a client secret.
    return { ...json ?? await this.parseRdfClientId(data, id, response), token_endpoint_auth_method: 'none' };
  }

  /** The document as plain JSON if it names the Solid-OIDC context (and must then be about `id`). */
  private parseJsonClientId(data: string, id: string): AdapterPayload | undefined {
    let json: AdapterPayload;
    try {
      json = JSON.parse(data) as AdapterPayload;
      const contexts = Array.isArray(json['@context']) ? json['@context'] as unknown[] : [ json['@context'] ];
      if (!contexts.includes(OIDC_CONTEXT)) {
        throw new Error(`Missing context ${OIDC_CONTEXT}`);
      }
    } catch (error: unknown) {
      this.logger.debug(`Found unexpected client ID for ${id}: ${(error as Error).message}`);
      return undefined;
    }
    if (json.client_id !== id) {
      throw new Error('The client registration `client_id` field must match the client ID');
    }
    return json;
  }

  /** The redirect URIs of a Client ID Document in another RDF syntax. */
  private async parseRdfClientId(data: string, id: string, response: Response): Promise<AdapterPayload> {
    const representation = await responseToDataset(response, this.converter, data);
    const redirectUris: string[] = [];
    for await (const quad of representation.data) {
      if ((quad as { predicate: { equals: (term: unknown) => boolean } }).predicate.equals(OIDC.terms.redirect_uris)) {
        redirectUris.push((quad as { object: { value: string } }).object.value);
      }
    }
    return { client_id: id, redirect_uris: redirectUris };
  }
}
