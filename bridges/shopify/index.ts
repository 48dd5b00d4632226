/** The Shopify bridge's target-specific parts: mapping, webhook verification and the Admin API client. */
export * from './types';
export * from './ShopifyMappingError';
export * from './mapping';
export * from './html';
export * from './shopifyJson';
export * from './webhooks';
export * from './ShopifyClient';
export * as shopifyDocuments from './graphqlDocuments';
