import type { PrivateAddressKind } from './privateAddresses';
import { describeAddressKind } from './privateAddresses';

/** Thrown when an outbound request would reach a private address that the policy denies. */
export class OutboundRefusedError extends Error {
  /**
   * @param target - What was asked for (a URL or an origin).
   * @param address - The address it resolves to.
   * @param kind - What kind of address that is.
   */
  public constructor(public readonly target: string, public readonly address: string, public readonly kind: PrivateAddressKind) {
    super(`${target} resolves to ${address}, ${describeAddressKind(kind)}; this FMP does not send to private addresses ` +
      '(--outbound-private deny)');
    this.name = 'OutboundRefusedError';
  }
}

/**
 * The {@link OutboundRefusedError} behind an error, if any: `fetch` wraps a refused connection as
 * `TypeError: fetch failed` with the refusal as its cause.
 */
export function findOutboundRefusal(error: unknown): OutboundRefusedError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    if (current instanceof OutboundRefusedError) {
      return current;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
