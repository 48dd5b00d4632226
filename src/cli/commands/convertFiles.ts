// What the bridges' `convert` commands share: how a file's media type is told, and where converted products live.

/** The media type of a pod document, by its extension. */
export const RDF_EXTENSIONS: Readonly<Record<string, string>> = Object.freeze({
  '.ttl': 'text/turtle',
  '.jsonld': 'application/ld+json',
  '.json': 'application/ld+json',
  '.nt': 'application/n-triples',
  '.nq': 'application/n-quads',
});

/** Where converted products pretend to live; the Turtle is written relative to it (`<#item>`), so it fits any pod. */
export const CONVERT_BASE = 'https://pod.invalid/catalog/';
