/** How serious a violation is, from `sh:severity` (shapes default to `Violation`). */
export type ViolationSeverity = 'Violation' | 'Warning' | 'Info';

/** One way in which data breaks a shape. */
export interface Violation {
  /** The node that broke the shape: an IRI, or `_:label` for a blank node. */
  readonly focusNode: string;
  /** The property path that was checked, as an IRI; `null` for whole-node constraints. */
  readonly path: string | null;
  /** The shape's `sh:message`, or the engine's own message if the shape has none. */
  readonly message: string;
  /** The severity of the shape that was broken. */
  readonly severity: ViolationSeverity;
}

/** The outcome of validating a dataset against the shapes of one container kind. */
export interface ValidationReport {
  /** `true` when no shape reports a violation (warnings and infos do not count). */
  readonly conforms: boolean;
  /** Every result the engine produced, in the order it produced them. */
  readonly violations: readonly Violation[];
}
