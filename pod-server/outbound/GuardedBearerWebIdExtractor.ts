import type { Credentials, HttpRequest } from '@solid/community-server';
import { BearerWebIdExtractor } from '@solid/community-server';
import { checkTokenTargets } from './checkTokenTargets';
import type { ServerOutboundGuard } from './ServerOutboundGuard';

/** CSS's Bearer token extractor, refusing a token whose issuer or WebID the outbound guard refuses before CSS reads them. */
export class GuardedBearerWebIdExtractor extends BearerWebIdExtractor {
  /** @param guard - Where the FMP may send. */
  public constructor(private readonly guard: ServerOutboundGuard) {
    super();
  }

  public async handle(request: HttpRequest): Promise<Credentials> {
    await checkTokenTargets(request.headers.authorization, this.guard);
    return super.handle(request);
  }
}
