/**
 * Thrown when an RDF body cannot be parsed. Carries where the parser stopped, so a server can
 * answer 400 with "line 3, column 12" and an editor can jump there.
 */
export class RdfSyntaxError extends Error {
  public override readonly name: string = 'RdfSyntaxError';

  /**
   * @param message - The parser's message.
   * @param contentType - The media type that was being parsed.
   * @param line - 1-based line of the error, when the parser reports one.
   * @param column - 1-based column of the error, when it can be worked out.
   * @param options - `cause`: the parser's original error.
   */
  public constructor(
    message: string,
    public readonly contentType: string,
    public readonly line?: number,
    public readonly column?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Checks for this error type, including subclasses such as `RemoteContextRefusedError`. */
  public static isInstance(error: unknown): error is RdfSyntaxError {
    return error instanceof RdfSyntaxError;
  }
}

/** Thrown when a body uses a media type `parseRdf` does not read. */
export class UnsupportedContentTypeError extends Error {
  public override readonly name = 'UnsupportedContentTypeError';

  /** @param contentType - The media type that was refused. */
  public constructor(public readonly contentType: string) {
    super(`Cannot parse ${contentType} as RDF; use Turtle, N-Triples, N-Quads or JSON-LD.`);
  }

  /** Checks for this error type by name. */
  public static isInstance(error: unknown): error is UnsupportedContentTypeError {
    return error instanceof Error && error.name === 'UnsupportedContentTypeError';
  }
}
