import type { ContainerKind } from '../ContainerKind';
import { formatViolations } from '../formatViolations';
import type { ValidationReport, Violation } from '../ValidationReport';

/**
 * Thrown by the typed write functions when the data would break the container's shapes.
 * It carries the same violation list the pod server answers with, so an app can show it before
 * anything is sent.
 */
export class ShapeViolationError extends Error {
  public override readonly name = 'ShapeViolationError';
  /** Every violation found, with focus node, path, message and severity. */
  public readonly violations: readonly Violation[];

  /**
   * @param kind - The container the data was meant for.
   * @param resourceUrl - Where it would have been written.
   * @param report - The failed validation report.
   */
  public constructor(public readonly kind: ContainerKind, public readonly resourceUrl: string, report: ValidationReport) {
    super(`Data for ${resourceUrl} breaks the ${kind} shapes:\n${formatViolations(report).join('\n')}`);
    this.violations = report.violations;
  }

  /** Checks for this error type by name. */
  public static isInstance(error: unknown): error is ShapeViolationError {
    return error instanceof Error && error.name === 'ShapeViolationError';
  }
}
