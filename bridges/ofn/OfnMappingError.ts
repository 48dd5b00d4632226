/** A pod product the Open Food Network cannot take as it is, or a DFC document the bridge cannot read: says where and why. */
export class OfnMappingError extends Error {
  public override readonly name = 'OfnMappingError';

  /**
   * @param where - The field or node concerned, e.g. `price.currency`.
   * @param reason - Why, readably.
   */
  public constructor(public readonly where: string, public readonly reason: string) {
    super(where ? `${where}: ${reason}` : reason);
  }

  /** Checks for this error type by name (copies of this module in other bundles count too). */
  public static isInstance(error: unknown): error is OfnMappingError {
    return error instanceof Error && error.name === 'OfnMappingError';
  }
}
