/** An error a person can act on: its message is one readable line, printed as-is by the CLI. */
export class FmpClientError extends Error {
  /** Seconds the server asked to wait (`Retry-After` of a 429 or 503), when it said. */
  public readonly retryAfter?: number;

  public constructor(message: string, public readonly status?: number, options?: { cause?: unknown; retryAfter?: number }) {
    super(message, options);
    this.name = 'FmpClientError';
    this.retryAfter = options?.retryAfter;
  }
}
