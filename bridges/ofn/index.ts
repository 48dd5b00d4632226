/** The Open Food Network bridge's target-specific parts: DFC mapping, the DFC API client and the adapter. */
export * from './vocabulary';
export * from './OfnMappingError';
export * from './mapping';
export * from './OfnClient';
export * from './CatalogIndex';
export * from './OfnAdapter';
