import { isIP } from 'node:net';
import { getPrivateAddressKind } from './privateAddresses';

/** `deny`: outbound requests never reach private addresses (the default); `allow`: they may (local development). */
export type OutboundPrivateSetting = 'deny' | 'allow';

/** Where requests made on someone else's say-so may go. */
export interface OutboundPolicy {
  /** Whether private, loopback, link-local and unspecified addresses may be reached. */
  privateAddresses: OutboundPrivateSetting;
  /** Host names or IP addresses (lower case, any port) that may be private anyway: peers and bridges on a private network. */
  allowedHosts: readonly string[];
  /** Origins (`http://localhost:3000`) that may be private anyway: the FMP's own, whose profiles CSS reads during login. */
  allowedOrigins: readonly string[];
}

/** Thrown for a setting of `--outbound-private` or `--outbound-allow-hosts` that is not understood. */
export class OutboundSettingError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'OutboundSettingError';
  }
}

/** `deny` or `allow` (any case); anything else is refused with a message naming the option. */
export function parseOutboundPrivate(value: string): OutboundPrivateSetting {
  const setting = value.trim().toLowerCase();
  if (setting !== 'deny' && setting !== 'allow') {
    throw new OutboundSettingError(`--outbound-private must be deny or allow, got ${JSON.stringify(value)}.`);
  }
  return setting;
}

/** `host,host…` as a list of lower-case hosts; IPv6 addresses may be given with or without brackets. */
export function parseAllowedHosts(value: string | undefined): string[] {
  const hosts = (value ?? '').split(',').map((host): string => host.trim().toLowerCase().replace(/^\[(.*)\]$/u, '$1'))
    .filter((host): boolean => host.length > 0);
  for (const host of hosts) {
    if (!isIP(host) && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/u.test(host)) {
      throw new OutboundSettingError(`--outbound-allow-hosts takes host names or IP addresses without scheme or port, got ${JSON.stringify(host)}.`);
    }
  }
  return hosts;
}

/** Whether a URL's host is this machine: `localhost`, a `*.localhost` name or a loopback address. */
export function isLoopbackUrl(url: string): boolean {
  const host = getUrlHost(new URL(url));
  return host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && getPrivateAddressKind(host) === 'loopback');
}

/** A URL's host name in lower case, IPv6 addresses without brackets. */
export function getUrlHost(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[(.*)\]$/u, '$1');
}

/**
 * The policy of an FMP at `baseUrl`: private addresses are denied unless `privateAddresses` says otherwise, and by
 * default allowed when the FMP itself runs on loopback (development, where peers and apps are on the same machine).
 * The FMP's own origin is always allowed.
 */
export function getOutboundPolicy(baseUrl: string, privateAddresses?: OutboundPrivateSetting, allowedHosts: readonly string[] = []): OutboundPolicy {
  return {
    privateAddresses: privateAddresses ?? (isLoopbackUrl(baseUrl) ? 'allow' : 'deny'),
    allowedHosts: [ ...allowedHosts ],
    allowedOrigins: [ new URL(baseUrl).origin ],
  };
}
