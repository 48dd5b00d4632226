/** An error a person can act on: its message is one readable line, printed as-is by the CLI. */
export class FmpClientError extends Error {
  public constructor(message: string, public readonly status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FmpClientError';
  }
}
