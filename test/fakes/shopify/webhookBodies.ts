import type { FakeProduct, ShopifyFakeStore } from './ShopifyFakeStore';
import { gid } from './ShopifyFakeStore';

/**
 * Webhook bodies in the shapes of Shopify's published samples for `products/update`, `products/delete` and
 * `inventory_levels/update` (see test/fixtures/shopify/SOURCES.md): REST field names, numeric ids (bigints here, written
 * as plain JSON numbers, so they go past 2^53 as Shopify's do), money as decimal strings, tags as one text.
 */

const REST_WEIGHT_UNITS = Object.freeze({ GRAMS: 'g', KILOGRAMS: 'kg', OUNCES: 'oz', POUNDS: 'lb' });

/** A `products/update` (or `products/create`) body. */
export function productWebhookBody(product: FakeProduct, store: ShopifyFakeStore): Record<string, unknown> {
  return {
    admin_graphql_api_id: gid('Product', product.id),
    body_html: product.descriptionHtml,
    created_at: product.createdAt,
    handle: product.handle,
    id: product.id,
    product_type: product.productType,
    published_at: product.createdAt,
    template_suffix: null,
    title: product.title,
    updated_at: product.updatedAt,
    vendor: product.vendor,
    status: product.status.toLowerCase(),
    published_scope: 'web',
    tags: product.tags.join(', '),
    variants: product.variants.map((variant, index): Record<string, unknown> => ({
      admin_graphql_api_id: gid('ProductVariant', variant.id),
      barcode: null,
      compare_at_price: variant.compareAtPrice,
      created_at: variant.createdAt,
      id: variant.id,
      inventory_policy: variant.inventoryPolicy.toLowerCase(),
      position: index + 1,
      price: variant.price,
      product_id: product.id,
      sku: variant.sku,
      taxable: true,
      title: variant.title,
      updated_at: variant.updatedAt,
      option1: variant.optionValues[0]?.name ?? null,
      option2: variant.optionValues[1]?.name ?? null,
      option3: variant.optionValues[2]?.name ?? null,
      image_id: null,
      inventory_item_id: variant.inventoryItemId,
      inventory_quantity: store.available(variant.inventoryItemId),
      old_inventory_quantity: store.available(variant.inventoryItemId),
      ...variant.weight ? { weight: variant.weight.value, weight_unit: REST_WEIGHT_UNITS[variant.weight.unit] } : {},
    })),
    options: product.options.map((option, index): Record<string, unknown> =>
      ({ name: option.name, position: index + 1, values: option.values })),
    images: [],
    image: null,
    media: [],
    variant_gids: product.variants.map((variant): Record<string, unknown> =>
      ({ admin_graphql_api_id: gid('ProductVariant', variant.id), updated_at: variant.updatedAt })),
    has_variants_that_requires_components: false,
    category: null,
  };
}

/** A `products/delete` body: only the id. */
export function productDeleteBody(product: FakeProduct): Record<string, unknown> {
  return { id: product.id };
}

/** An `inventory_levels/update` body. */
export function inventoryLevelBody(inventoryItemId: bigint, locationId: bigint, available: number, updatedAt: string):
Record<string, unknown> {
  return {
    inventory_item_id: inventoryItemId,
    location_id: locationId,
    available,
    updated_at: updatedAt,
    admin_graphql_api_id: `gid://shopify/InventoryLevel/${locationId}?inventory_item_id=${inventoryItemId}`,
  };
}
