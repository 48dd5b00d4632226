/**
 * Why an archive was refused (or an import failed), with the HTTP status to answer and the entry at fault.
 * Koa's error middleware shows its message (`expose`) with its `status`.
 */
export class ArchiveError extends Error {
  public override readonly name = 'ArchiveError';
  public readonly expose = true;

  /**
   * @param status - 400 for a malformed archive, 413 for one too large, 409 for a pod that is not empty, 422 for refused data.
   * @param message - One line a person can act on; it names the entry when there is one.
   * @param entry - The archive entry at fault, if any.
   */
  public constructor(public readonly status: number, message: string, public readonly entry?: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /** Checks for this error type by name (it may cross module copies). */
  public static isInstance(error: unknown): error is ArchiveError {
    return error instanceof Error && error.name === 'ArchiveError';
  }
}
