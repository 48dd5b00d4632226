import type { Quad, Term } from '@rdfjs/types';
import { Store } from 'n3';
import type { ContainerKind } from './ContainerKind';
import { getDefaultShapeRegistry, type ShapeRegistry } from './ShapeRegistry';
import type { ValidationReport, Violation, ViolationSeverity } from './ValidationReport';

/** The parts of an engine result this module reads (rdf-validate-shacl's ValidationResult). */
interface EngineResult {
  readonly focusNode: Term | null;
  readonly path: Term | null;
  readonly message: Term[];
  readonly severity: Term | null;
}

/**
 * Validates quads against the shapes of a container kind.
 *
 * The input is not modified. Validation is synchronous: the engine works on an in-memory copy.
 *
 * @param kind - Which container the data is meant for (`catalog`, `land`, `logs`, `orders`, `profile`).
 * @param quads - The data graph, e.g. the parsed body of a PUT.
 * @param registry - Where shapes come from; defaults to the project's own shapes.
 * @returns Whether the data conforms, and every violation with focus node, path and message.
 */
export function validateDataset(
  kind: ContainerKind,
  quads: Iterable<Quad>,
  registry: ShapeRegistry = getDefaultShapeRegistry(),
): ValidationReport {
  const report = registry.getValidator(kind).validate(new Store([ ...quads ]));
  const violations = (report.results as EngineResult[]).map(toViolation);
  return { conforms: report.conforms, violations };
}

function toViolation(result: EngineResult): Violation {
  return {
    focusNode: result.focusNode ? termToString(result.focusNode) : '',
    path: result.path?.termType === 'NamedNode' ? result.path.value : null,
    message: result.message.map((term): string => term.value).join(' ') || 'Shape violated.',
    severity: toSeverity(result.severity),
  };
}

function termToString(term: Term): string {
  return term.termType === 'BlankNode' ? `_:${term.value}` : term.value;
}

function toSeverity(term: Term | null): ViolationSeverity {
  const local = term?.value.split('#').pop();
  return local === 'Warning' || local === 'Info' ? local : 'Violation';
}
