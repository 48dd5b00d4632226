/**
 * IRI namespaces of the vocabularies the member data model uses.
 *
 * Each export is a function from a local name to a full IRI string, so call sites read like the
 * Turtle they produce (`DFC_B('SuppliedProduct')`).
 */

/** Builds IRIs in one namespace. */
export type Namespace = (localName: string) => string;

/** Creates a {@link Namespace} for the given base IRI. */
export function createNamespace(base: string): Namespace {
  return (localName: string): string => `${base}${localName}`;
}

/** The fmp-vault farm operations vocabulary (`shapes/vocab/fmp.ttl`). */
export const FMP = createNamespace('https://w3id.org/fmp-vault/ns#');
/** The fmp-vault SHACL shapes (`shapes/*.shapes.ttl`). */
export const FMP_SHAPES = createNamespace('https://w3id.org/fmp-vault/shapes#');
/** DFC business ontology 1.16. */
export const DFC_B = createNamespace(
  'https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#',
);
/** DFC measures taxonomy (units). */
export const DFC_M = createNamespace(
  'https://github.com/datafoodconsortium/taxonomies/releases/latest/download/measures.rdf#',
);
/** DFC product types taxonomy. */
export const DFC_PT = createNamespace(
  'https://github.com/datafoodconsortium/taxonomies/releases/latest/download/productTypes.rdf#',
);
/** RDF. */
export const RDF = createNamespace('http://www.w3.org/1999/02/22-rdf-syntax-ns#');
/** XML Schema datatypes. */
export const XSD = createNamespace('http://www.w3.org/2001/XMLSchema#');
/** schema.org (http form, as most RDF data uses it). */
export const SCHEMA = createNamespace('http://schema.org/');
/** GeoSPARQL. */
export const GEO = createNamespace('http://www.opengis.net/ont/geosparql#');
/** Dublin Core terms. */
export const DCTERMS = createNamespace('http://purl.org/dc/terms/');
/** SHACL. */
export const SH = createNamespace('http://www.w3.org/ns/shacl#');
