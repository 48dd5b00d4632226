import type { Credentials, HttpRequest, TargetExtractor } from '@solid/community-server';
import { DPoPWebIdExtractor } from '@solid/community-server';
import { checkTokenTargets } from './checkTokenTargets';
import type { ServerOutboundGuard } from './ServerOutboundGuard';

/** CSS's DPoP token extractor, refusing a token whose issuer or WebID the outbound guard refuses before CSS reads them. */
export class GuardedDPoPWebIdExtractor extends DPoPWebIdExtractor {
  /**
   * @param originalUrlExtractor - Reconstructs the URL the client asked for (as CSS's extractor).
   * @param guard - Where the FMP may send.
   */
  public constructor(originalUrlExtractor: TargetExtractor, private readonly guard: ServerOutboundGuard) {
    super(originalUrlExtractor);
  }

  public async handle(request: HttpRequest): Promise<Credentials> {
    await checkTokenTargets(request.headers.authorization, this.guard);
    return super.handle(request);
  }
}
