/**
 * The member data model: shapes, validation, RDF parsing, typed pod access and demo data.
 * Plain logic with no server imports, shared by the pod server, bridges and apps.
 */
export * from './ContainerKind';
export * from './namespaces';
export * from './ValidationReport';
export * from './ShapeRegistry';
export * from './shapeFiles';
export * from './validateDataset';
export * from './formatViolations';
export * from './RdfSyntaxError';
export * from './DfcDocumentLoader';
export * from './parseRdf';
export * from './access';
export * from './demo';
