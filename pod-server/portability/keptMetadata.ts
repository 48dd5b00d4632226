import type { Quad } from '@rdfjs/types';
import { LDP } from '@solid/community-server';

// Metadata the server makes up on every read; never exported, never imported.
const DERIVED_PREDICATES = new Set([
  'http://purl.org/dc/terms/modified', LDP.contains, 'http://www.w3.org/ns/ma-ont#format',
]);
const DERIVED_NAMESPACES = [ 'http://www.w3.org/ns/posix/stat#', 'urn:npm:solid:community-server:' ];
const DERIVED_TYPES = new Set<string>([ LDP.Resource, LDP.Container, LDP.BasicContainer ]);
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

/**
 * The metadata a person or app set on a resource: `quads` minus what the server derives (types, dates, sizes,
 * content type, containment) and minus what it says about the container's `children`. `quads` is not modified.
 */
export function keptMetadata(quads: readonly Quad[], children: ReadonlySet<string>): Quad[] {
  return quads.filter((quad): boolean =>
    quad.graph.termType === 'DefaultGraph' &&
    !children.has(quad.subject.value) &&
    !DERIVED_PREDICATES.has(quad.predicate.value) &&
    !DERIVED_NAMESPACES.some((namespace): boolean => quad.predicate.value.startsWith(namespace)) &&
    !(quad.predicate.value === RDF_TYPE && DERIVED_TYPES.has(quad.object.value)));
}
