import { RDF_CONTENT_TYPES } from '../../shapes/parseRdf';

/** The bare media type of a Content-Type value (no parameters, lower case). */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** Whether resources of this media type are RDF the archive code parses (Turtle, N-Triples, N-Quads, JSON-LD). */
export function isRdfMediaType(contentType: string | undefined): boolean {
  return RDF_CONTENT_TYPES.includes(mediaTypeOf(contentType));
}
