/**
 * Thrown when data cannot be mapped between the pod and Shopify. The message says what and where, e.g.
 * `variants[0].price: "abc" is not a decimal`, so a member can fix the input; nothing is sent or stored.
 */
export class ShopifyMappingError extends Error {
  public override readonly name = 'ShopifyMappingError';

  /**
   * @param where - The path of the offending value in the input (`variants[0].price`), or `''` for the whole input.
   * @param problem - What is wrong with it.
   */
  public constructor(public readonly where: string, public readonly problem: string) {
    super(where ? `${where}: ${problem}` : problem);
  }

  /** Checks for this error type by name. */
  public static isInstance(error: unknown): error is ShopifyMappingError {
    return error instanceof Error && error.name === 'ShopifyMappingError';
  }
}
