/** Thrown when a grant (or the input to create one) breaks a rule; `field` names the offending input. */
export class GrantValidationError extends Error {
  public constructor(public readonly field: string, message: string) {
    super(message);
    this.name = 'GrantValidationError';
  }
}

/** Thrown when RDF cannot be read as a grant or an access request. */
export class ConsentParseError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConsentParseError';
  }
}

/** Thrown for a duration such as `90s`, `15m`, `2h` or `30d` that cannot be read. */
export class DurationError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'DurationError';
  }
}
