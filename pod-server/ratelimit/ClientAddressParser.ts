import { DataFactory } from 'n3';
import type { HttpRequest, RepresentationMetadata } from '@solid/community-server';
import { MetadataParser } from '@solid/community-server';
import { clientAddressOf } from './clientAddress';
import type { RateLimitSettings } from './RateLimitSettings';

/** The metadata predicate holding the client address of an account API request. */
export const CLIENT_ADDRESS_PREDICATE = 'urn:fmp:http:client-address';

/**
 * Puts the client address of account API POSTs into the request's metadata, where CSS's account handlers (and
 * {@link ThrottledPasswordLoginHandler}) can read it: they get the parsed operation, not the request. Other requests
 * are left alone, so no address is ever stored with a resource.
 */
export class ClientAddressParser extends MetadataParser {
  private readonly accountPath: string;

  /**
   * @param baseUrl - The server's base URL; the account API is `.account/` below it.
   * @param settings - Which proxies to trust for the client address.
   */
  public constructor(baseUrl: string, private readonly settings: RateLimitSettings) {
    super();
    this.accountPath = `${new URL(baseUrl).pathname.replace(/\/$/u, '')}/.account/`;
  }

  public async handle({ request, metadata }: { request: HttpRequest; metadata: RepresentationMetadata }): Promise<void> {
    if (request.method === 'POST' && request.url?.startsWith(this.accountPath)) {
      metadata.set(DataFactory.namedNode(CLIENT_ADDRESS_PREDICATE),
        DataFactory.literal(clientAddressOf(request, this.settings.trustedProxies)));
    }
  }
}
