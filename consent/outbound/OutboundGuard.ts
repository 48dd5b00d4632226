import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import type { LookupOptions } from 'node:dns';
import type { RequestInfo as UndiciRequestInfo, RequestInit as UndiciRequestInit } from 'undici';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { findPrivateAddress, findRefusedAddress, getTargetOrigin, isExemptTarget } from './checkAddresses';
import type { OutboundPolicy } from './OutboundPolicy';
import { getUrlHost } from './OutboundPolicy';
import { OutboundRefusedError } from './OutboundRefusedError';

/** Resolves a host name to its addresses, as `dns.lookup(name, { all: true })` does; injected in tests. */
export type HostResolver = (hostname: string) => Promise<readonly { address: string }[]>;

/** The system's resolver (what `fetch` would use). */
export const resolveWithDns: HostResolver = async(hostname): Promise<readonly { address: string }[]> =>
  lookup(hostname, { all: true });

/** A `lookup` for `net.connect` that resolves with `resolve` and fails with what `check` says of the addresses. */
function createLookup(resolve: HostResolver, check: (hostname: string, addresses: string[]) => Error | undefined): LookupFunction {
  return ((hostname: string, options: LookupOptions, callback: (...args: unknown[]) => void): void => {
    resolve(hostname).then((entries): void => {
      const addresses = entries.map((entry): string => entry.address);
      const error = addresses.length === 0 ?
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }) :
        check(hostname, addresses);
      if (error) {
        callback(error);
      } else if (options.all) {
        callback(null, addresses.map((address): { address: string; family: number } => ({ address, family: isIP(address) })));
      } else {
        callback(null, addresses[0], isIP(addresses[0]));
      }
    }, (error: Error): void => callback(error));
  }) as LookupFunction;
}

/**
 * Makes outbound requests on someone else's say-so (webhooks, profiles, peers, inboxes, bridges) keep to an
 * {@link OutboundPolicy}. The check is made where the connection is made: the connection's own DNS `lookup` refuses
 * a name if any of its addresses is private, and IP literals (which `net.connect` does not look up) are checked
 * before connecting. So a name that resolves to 127.0.0.1, a second answer from DNS (rebinding) or a redirect (a new
 * connection, checked again) cannot get around it.
 *
 * Nothing global is changed: only requests made with {@link OutboundGuard.fetch} (or its dispatcher) are guarded.
 */
export class OutboundGuard {
  /** The undici dispatcher whose connections are checked, for clients that take one. */
  public readonly dispatcher: Agent;

  /**
   * @param policy - Where requests may go.
   * @param resolve - Name resolution; the system's by default.
   */
  public constructor(public readonly policy: OutboundPolicy, private readonly resolve: HostResolver = resolveWithDns) {
    const connectExempt = buildConnector({ lookup: createLookup(resolve, (): undefined => undefined) });
    const connectChecked = buildConnector({ lookup: createLookup(resolve, (hostname, addresses): Error | undefined =>
      findPrivateAddress(addresses, hostname)) });
    this.dispatcher = new Agent({
      connect: (options, callback): void => {
        if (isExemptTarget(policy, options)) {
          connectExempt(options, callback);
          return;
        }
        const origin = getTargetOrigin(options);
        const refusal = isIP(options.hostname) ? findRefusedAddress(policy, options, [ options.hostname ]) : undefined;
        if (refusal) {
          callback(refusal, null);
          return;
        }
        connectChecked(options, (...args): void => {
          const [ error ] = args;
          // The lookup only knows the name; say which origin was refused.
          if (error instanceof OutboundRefusedError) {
            callback(new OutboundRefusedError(origin, error.address, error.kind), null);
          } else {
            callback(...args);
          }
        });
      },
    });
  }

  /** `fetch` through the guarded dispatcher; a refused connection fails as `fetch` failures do, with the refusal as cause. */
  public readonly fetch: typeof fetch = async(input, init): Promise<Response> =>
    undiciFetch(input as UndiciRequestInfo, { ...init, dispatcher: this.dispatcher } as UndiciRequestInit) as unknown as Promise<Response>;

  /**
   * Checks ahead of time that `url` may be reached (e.g. a webhook's `sendTo` when it is subscribed): an http(s) URL
   * whose name resolves to public addresses only, unless the policy exempts it. Requests are checked again when made.
   * @param label - How the refusal names the URL, e.g. `sendTo`.
   * @throws {@link OutboundRefusedError} for a private address, `TypeError` for a URL that is not http(s).
   */
  public async check(url: string, label?: string): Promise<void> {
    const parsed = new URL(url);
    const shownAs = `${label ? `${label} ` : ''}${parsed.href}`;
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new TypeError(`${shownAs} is not an http(s) URL.`);
    }
    const target = { protocol: parsed.protocol, hostname: getUrlHost(parsed), port: parsed.port };
    if (isExemptTarget(this.policy, target)) {
      return;
    }
    const addresses = isIP(target.hostname) ?
      [ target.hostname ] :
      (await this.resolve(target.hostname)).map((entry): string => entry.address);
    const refusal = findRefusedAddress(this.policy, target, addresses, shownAs);
    if (refusal) {
      throw refusal;
    }
  }

  /** Closes pooled connections. */
  public async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
