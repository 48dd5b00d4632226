/**
 * Errors a bridge client throws when a target system (Shopify, farmOS, the Open Food Network) does not take a change.
 * The runtime only needs to tell two cases apart: try again later ({@link TargetRetriableError}), or give up and put
 * the change on the dead-letter list with the target's reason ({@link TargetRefusedError}).
 * Messages never hold credentials: clients build them from status codes and the target's own error texts only.
 */

/** Any failure talking to a target. */
export class TargetError extends Error {
  public override readonly name: string = 'TargetError';

  /**
   * @param target - Which target failed, e.g. `shopify`.
   * @param message - One readable line.
   * @param options - `cause`: the underlying error, if any.
   */
  public constructor(public readonly target: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /** Checks for this error type or a subclass (by name, so copies of this module in other bundles count too). */
  public static isInstance(error: unknown): error is TargetError {
    return error instanceof Error && typeof (error as TargetError).target === 'string' &&
      [ 'TargetError', 'TargetRetriableError', 'TargetRefusedError' ].includes(error.name);
  }
}

/** The target could not take the change now (429, 5xx, throttled, network): the same change may succeed later. */
export class TargetRetriableError extends TargetError {
  public override readonly name: string = 'TargetRetriableError';

  /**
   * @param target - Which target failed.
   * @param message - One readable line.
   * @param retryAfterMs - How long the target asked us to wait (`Retry-After`, or computed from its rate limit), if it said.
   * @param options - `cause`: the underlying error, if any.
   */
  public constructor(target: string, message: string, public readonly retryAfterMs?: number, options?: { cause?: unknown }) {
    super(target, message, options);
  }

  /** Checks for this error type by name. */
  public static override isInstance(error: unknown): error is TargetRetriableError {
    return TargetError.isInstance(error) && error.name === 'TargetRetriableError';
  }
}

/** The target refused this change (4xx, or GraphQL `userErrors`): sending it again unchanged will not help. */
export class TargetRefusedError extends TargetError {
  public override readonly name: string = 'TargetRefusedError';

  /**
   * @param target - Which target refused.
   * @param reason - Why, readably, for the member: e.g. `Shopify refused productSet: Variant price must be positive
   *   (field: input.variants.0.price)`. Also the error message.
   * @param status - The HTTP status, when the refusal was one.
   * @param options - `cause`: the underlying error, if any.
   */
  public constructor(target: string, public readonly reason: string, public readonly status?: number,
    options?: { cause?: unknown }) {
    super(target, reason, options);
  }

  /** Checks for this error type by name. */
  public static override isInstance(error: unknown): error is TargetRefusedError {
    return TargetError.isInstance(error) && error.name === 'TargetRefusedError';
  }
}
