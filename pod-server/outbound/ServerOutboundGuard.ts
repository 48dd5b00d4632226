import { getLoggerFor } from '@solid/community-server';
import type { OutboundPolicy } from '../../consent';
import { getOutboundPolicy, OutboundGuard, parseAllowedHosts, parseOutboundPrivate } from '../../consent';

/**
 * The pod server's {@link OutboundGuard}, from its settings: `--outbound-private` (empty: `deny`, or `allow` when the
 * base URL is on loopback) and `--outbound-allow-hosts`. The FMP's own origin is always allowed (CSS reads its own
 * WebID profiles during login). Every request the FMP makes on someone else's say-so goes through its `fetch`.
 */
export class ServerOutboundGuard {
  protected readonly logger = getLoggerFor(this);
  private readonly guard: OutboundGuard;

  /**
   * @param baseUrl - The FMP's base URL.
   * @param outboundPrivate - `deny`, `allow`, or empty for the default.
   * @param allowHosts - Comma-separated hosts that may be private (peers and bridges on a private network).
   */
  public constructor(baseUrl: string, outboundPrivate: string, allowHosts: string) {
    // Built here, not injected: Components.js only builds classes of pod-server/, and this one is the seam.
    this.guard = new OutboundGuard(getOutboundPolicy(baseUrl, outboundPrivate ? parseOutboundPrivate(outboundPrivate) : undefined,
      parseAllowedHosts(allowHosts)));
    this.logger.info(`Outbound requests to private addresses: ${this.policy.privateAddresses}` +
      `${this.policy.allowedHosts.length > 0 ? ` (allowed anyway: ${this.policy.allowedHosts.join(', ')})` : ''}`);
  }

  /** Where requests may go. */
  public get policy(): OutboundPolicy {
    return this.guard.policy;
  }

  /** `fetch` whose connections are checked (see {@link OutboundGuard.fetch}). */
  public get fetch(): typeof fetch {
    return this.guard.fetch;
  }

  /** See {@link OutboundGuard.check}. */
  public async check(url: string, label?: string): Promise<void> {
    return this.guard.check(url, label);
  }

  /** Closes pooled connections. */
  public async close(): Promise<void> {
    return this.guard.close();
  }
}
