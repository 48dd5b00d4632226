import { isIP } from 'node:net';
import type { HttpRequest } from '@solid/community-server';

/**
 * The address a request came from: the socket's peer, or, behind `trustedProxies` proxies that each append the
 * address they were connected from to `X-Forwarded-For`, the entry the outermost trusted proxy appended. Entries
 * further left were written by the client and could be anything, so they are never used.
 */
export function clientAddressOf(request: HttpRequest, trustedProxies: number): string {
  const peer = request.socket?.remoteAddress ?? 'unknown';
  if (trustedProxies < 1) {
    return normalizeAddress(peer);
  }
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : header ?? '')
    .split(',').map((entry): string => entry.trim()).filter((entry): boolean => entry.length > 0);
  if (forwarded.length === 0) {
    return normalizeAddress(peer);
  }
  return normalizeAddress(forwarded[Math.max(0, forwarded.length - trustedProxies)]);
}

/**
 * The address as rate limits count it: IPv4 as is (also when mapped into IPv6), IPv6 by its /64 network, since one
 * host usually has a whole /64 to pick addresses from.
 */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/iu.exec(address);
  if (mapped) {
    return mapped[1];
  }
  if (isIP(address) !== 6) {
    return address;
  }
  return `${expandIpv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, `::` filled in, without leading zeros. */
function expandIpv6(address: string): string[] {
  const [ head, tail ] = address.toLowerCase().split('%')[0].split('::');
  const groupsOf = (part: string | undefined): string[] => part ? part.split(':') : [];
  const left = groupsOf(head);
  const right = groupsOf(tail);
  // An IPv4 tail (`::ffff:1.2.3.4`, `64:ff9b::1.2.3.4`) takes two groups.
  const ipv4Tail = (tail ?? head).includes('.') ? 1 : 0;
  const missing = tail === undefined ? 0 : 8 - left.length - right.length - ipv4Tail;
  return [ ...left, ...Array.from({ length: missing }, (): string => '0'), ...right ]
    .map((group): string => group.replace(/^0+(?=.)/u, ''));
}
