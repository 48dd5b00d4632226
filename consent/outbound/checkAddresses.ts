import type { OutboundPolicy } from './OutboundPolicy';
import { OutboundRefusedError } from './OutboundRefusedError';
import { getPrivateAddressKind } from './privateAddresses';

/** Where a connection goes, as a URL or connector names it; `hostname` without IPv6 brackets. */
export interface OutboundTarget {
  protocol: string;
  hostname: string;
  port?: string | number;
}

/** The origin of a target (`http://localhost:3000`), default ports left out as `URL` does. */
export function getTargetOrigin({ protocol, hostname, port }: OutboundTarget): string {
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  return new URL(`${protocol}//${host}${port ? `:${port}` : ''}`).origin;
}

/** Whether the policy lets this target reach any address: `allow`, an allowed host, or an allowed origin. */
export function isExemptTarget(policy: OutboundPolicy, target: OutboundTarget): boolean {
  return policy.privateAddresses === 'allow' ||
    policy.allowedHosts.includes(target.hostname.toLowerCase()) ||
    policy.allowedOrigins.includes(getTargetOrigin(target));
}

/** The refusal for the first private address among `addresses`, naming the target as `shownAs`; undefined if all are public. */
export function findPrivateAddress(addresses: readonly string[], shownAs: string): OutboundRefusedError | undefined {
  for (const address of addresses) {
    const kind = getPrivateAddressKind(address);
    if (kind) {
      return new OutboundRefusedError(shownAs, address, kind);
    }
  }
  return undefined;
}

/**
 * The refusal for a target whose name resolved to `addresses`, or undefined if it may be reached. Every address
 * must be public, not just one, so a name with both kinds of record cannot slip through.
 * @param shownAs - How the refusal names the target (a URL or the origin).
 */
export function findRefusedAddress(policy: OutboundPolicy, target: OutboundTarget, addresses: readonly string[],
  shownAs = getTargetOrigin(target)): OutboundRefusedError | undefined {
  return isExemptTarget(policy, target) ? undefined : findPrivateAddress(addresses, shownAs);
}
