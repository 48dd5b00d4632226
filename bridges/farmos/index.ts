/** The farmOS bridge's target-specific parts: mapping, schemas and the JSON:API client. */
export * from './FarmosMappingError';
export * from './jsonApi';
export * from './mapping';
export * from './schemas';
export * from './units';
export * from './uuid';
export * from './FarmosClient';
export * from './FarmosAdapter';
