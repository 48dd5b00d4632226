import type { AdapterFactory, RepresentationConverter } from '@solid/community-server';
import { PassthroughAdapterFactory } from '@solid/community-server';
import { GuardedClientIdAdapter } from './GuardedClientIdAdapter';
import type { ServerOutboundGuard } from './ServerOutboundGuard';

/** CSS's `ClientIdAdapterFactory`, but its adapters read Client ID Documents through the outbound guard. */
export class GuardedClientIdAdapterFactory extends PassthroughAdapterFactory {
  /**
   * @param source - Where client registrations are stored.
   * @param converter - Parses Client ID Documents in RDF syntaxes.
   * @param guard - Where the FMP may send.
   */
  public constructor(source: AdapterFactory, private readonly converter: RepresentationConverter,
    private readonly guard: ServerOutboundGuard) {
    super(source);
  }

  public createStorageAdapter(name: string): GuardedClientIdAdapter {
    return new GuardedClientIdAdapter(name, this.source.createStorageAdapter(name), this.converter, this.guard);
  }
}
