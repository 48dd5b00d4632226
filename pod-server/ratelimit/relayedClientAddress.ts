import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The header in which the web app relay, and then the web app, name the client a request is made for. */
export const CLIENT_ADDRESS_HEADER = 'x-fmp-client-address';
/** The header carrying the secret the relay and the web app share; without it the address header is ignored. */
export const RELAY_KEY_HEADER = 'x-fmp-relay-key';

/**
 * The client address a request names in {@link CLIENT_ADDRESS_HEADER}, if it also carries the relay's key; otherwise
 * undefined, so a client that writes the header itself is counted under its own address as ever. An empty key (no web
 * app) is never matched.
 */
export function relayedClientAddressOf(headers: IncomingHttpHeaders, relayKey: string): string | undefined {
  const key = headers[RELAY_KEY_HEADER];
  const address = headers[CLIENT_ADDRESS_HEADER];
  if (!relayKey || typeof key !== 'string' || typeof address !== 'string' || address.length === 0 || address.length > 100) {
    return undefined;
  }
  const given = Buffer.from(key);
  const expected = Buffer.from(relayKey);
  return given.length === expected.length && timingSafeEqual(given, expected) ? address : undefined;
}
