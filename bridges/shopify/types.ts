/**
 * Shopify shapes the bridge reads and writes, typed as far as the bridge uses them (GraphQL Admin API 2025-10).
 * Ids are always GraphQL global ids as strings (`gid://shopify/Product/788032119674292922`): Shopify's numeric ids go
 * past 2^53, where a JavaScript number loses digits.
 */

/** The Admin API version the bridge is written and tested against. */
export const SHOPIFY_API_VERSION = '2025-10';

/** Shopify's `WeightUnit` enum. */
export type ShopifyWeightUnit = 'GRAMS' | 'KILOGRAMS' | 'OUNCES' | 'POUNDS';

/** Shopify's `ProductStatus` enum. */
export type ShopifyProductStatus = 'ACTIVE' | 'ARCHIVED' | 'DRAFT' | 'UNLISTED';

/** `ProductSetInventoryInput`: a quantity at a location, set when a variant is created or stocked there. */
export interface ProductSetInventoryInput {
  locationId: string;
  /** `available` or `on_hand`. */
  name: 'available' | 'on_hand';
  quantity: number;
}

/** `ProductVariantSetInput`, the fields the bridge sets. */
export interface ProductVariantSetInput {
  id?: string;
  /** `Money`: a decimal string in the shop's currency, e.g. `"2.40"`. */
  price: string;
  sku?: string;
  optionValues: { optionName: string; name: string }[];
  inventoryPolicy?: 'CONTINUE' | 'DENY';
  inventoryItem?: {
    tracked?: boolean;
    measurement?: { weight: { value: number; unit: ShopifyWeightUnit } };
  };
  inventoryQuantities?: ProductSetInventoryInput[];
  taxable?: boolean;
}

/** `ProductSetInput`, the fields the bridge sets: the `input` of a `productSet` mutation. */
export interface ProductSetInput {
  title: string;
  descriptionHtml?: string;
  vendor?: string;
  productType?: string;
  handle?: string;
  status?: ShopifyProductStatus;
  tags?: string[];
  productOptions?: { name: string; position?: number; values: { name: string }[] }[];
  variants?: ProductVariantSetInput[];
}

/** One variant, as the bridge reads it back from any of Shopify's shapes. */
export interface ShopifyVariantData {
  /** `gid://shopify/ProductVariant/…` */
  readonly id: string;
  readonly sku?: string;
  /** A decimal string in the shop's currency, e.g. `"19.99"`. */
  readonly price: string;
  /** `gid://shopify/InventoryItem/…`, when Shopify says. */
  readonly inventoryItemId?: string;
  /** Units available across locations, when Shopify says. */
  readonly inventoryQuantity?: number;
  readonly weight?: number;
  readonly weightUnit?: ShopifyWeightUnit;
}

/** A product, as the bridge reads it from a webhook body, a REST product or a GraphQL `Product` node. */
export interface ShopifyProductData {
  /** `gid://shopify/Product/…` */
  readonly id: string;
  readonly handle?: string;
  readonly title: string;
  readonly descriptionHtml?: string;
  readonly vendor?: string;
  readonly productType?: string;
  readonly status?: ShopifyProductStatus;
  readonly tags: readonly string[];
  /** ISO 8601, as Shopify sent it. */
  readonly updatedAt?: string;
  readonly variants: readonly ShopifyVariantData[];
}

/** What an `inventory_levels/update` webhook says. */
export interface ShopifyStockLevel {
  /** `gid://shopify/InventoryItem/…` */
  readonly inventoryItemId: string;
  /** `gid://shopify/Location/…` */
  readonly locationId: string;
  /** Units available there; `undefined` when Shopify does not track the item (`available: null`). */
  readonly available?: number;
  readonly updatedAt?: string;
}
