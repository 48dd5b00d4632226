/** A pod could not be frozen in time: writes under way in it did not finish. */
export class FreezeTimeoutError extends Error {
  public override readonly name = 'FreezeTimeoutError';
}
