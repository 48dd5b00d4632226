/**
 * Thrown when data cannot be mapped between the pod and farmOS. The message says what and where, e.g.
 * `relationships.units: farmOS unit "bushels" is not a unit of the DFC measures taxonomy`; nothing is sent or stored.
 */
export class FarmosMappingError extends Error {
  public override readonly name = 'FarmosMappingError';

  /**
   * @param where - The path of the offending value (`attributes.land_type`), or `''` for the whole record.
   * @param problem - What is wrong with it.
   */
  public constructor(public readonly where: string, public readonly problem: string) {
    super(where ? `${where}: ${problem}` : problem);
  }

  /** Checks for this error type by name. */
  public static isInstance(error: unknown): error is FarmosMappingError {
    return error instanceof Error && error.name === 'FarmosMappingError';
  }
}
