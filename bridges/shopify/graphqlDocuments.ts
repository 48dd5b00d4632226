/**
 * The GraphQL Admin API documents the bridge sends. They are checked against Shopify's published 2025-10 schema by
 * the tests (the local Shopify fake validates every request), so a typo fails there, not in a member's shop.
 */

/** How a product is selected everywhere; `variantsFirst` bounds the variants (and so the query cost). */
function productFields(variantsFirst: number): string {
  return `id handle title descriptionHtml vendor productType status tags updatedAt
    variants(first: ${variantsFirst}) {
      nodes { id sku price inventoryQuantity inventoryItem { id measurement { weight { value unit } } } }
    }`;
}

/** Creates or updates a product with its variants, synchronously. */
export const PRODUCT_SET = `mutation FmpProductSet($identifier: ProductSetIdentifiers, $input: ProductSetInput!) {
  productSet(identifier: $identifier, input: $input, synchronous: true) {
    product { ${productFields(100)} }
    userErrors { field message code }
  }
}`;

/** Sets a product's status (the bridge archives, it never deletes). */
export const PRODUCT_STATUS = `mutation FmpProductStatus($product: ProductUpdateInput!) {
  productUpdate(product: $product) {
    product { id status }
    userErrors { field message }
  }
}`;

/** One product by id. */
export const PRODUCT = `query FmpProduct($id: ID!) {
  product(id: $id) { ${productFields(100)} }
}`;

/** A page of products; with 10 products of up to 10 variants a page asks for about 430 of Shopify's 1,000 points. */
export const PRODUCTS = `query FmpProducts($first: Int!, $after: String, $query: String) {
  products(first: $first, after: $after, query: $query) {
    nodes { ${productFields(10)} }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Sets the available quantity of inventory items at locations. */
export const INVENTORY_SET_QUANTITIES = `mutation FmpSetAvailable($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { reason }
    userErrors { field message code }
  }
}`;

/** The shop's primary location: `location` without an id (the schema's documented way since \`isPrimary\` is deprecated). */
export const PRIMARY_LOCATION = `query FmpPrimaryLocation {
  location { id name }
}`;

/** The shop's currency and weight unit. */
export const SHOP = `query FmpShop {
  shop { currencyCode weightUnit }
}`;
