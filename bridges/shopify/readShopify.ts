import { parseShopifyJson } from './shopifyJson';
import { ShopifyMappingError } from './ShopifyMappingError';
import type { ShopifyProductData, ShopifyProductStatus, ShopifyStockLevel, ShopifyVariantData, ShopifyWeightUnit } from './types';
import { withoutUndefined } from '../runtime/withoutUndefined';

/**
 * Reads what Shopify sends (webhook bodies, REST objects, GraphQL nodes) into the bridge's normalized shapes. Pure;
 * ids become GraphQL global id strings with every digit kept.
 */

/** REST's `weight_unit` values. */
const REST_WEIGHT_UNITS: Readonly<Record<string, ShopifyWeightUnit>> = Object.freeze({
  g: 'GRAMS', kg: 'KILOGRAMS', oz: 'OUNCES', lb: 'POUNDS',
});
const WEIGHT_UNITS: readonly string[] = Object.values(REST_WEIGHT_UNITS);
const STATUSES: readonly ShopifyProductStatus[] = [ 'ACTIVE', 'ARCHIVED', 'DRAFT', 'UNLISTED' ];
const DECIMAL = /^-?\d+(\.\d+)?$/u;

/**
 * Reads a Shopify product in any of the shapes Shopify sends it: a `products/update` (or `products/create`) webhook
 * body, a REST product (bare or as `{product: …}`), or a GraphQL `Product` node (variants as `nodes` or `edges`, bare
 * or as `{data: {product: …}}`). Pass the raw JSON text (string or Buffer) where you have it: numeric ids beyond 2^53
 * then keep every digit.
 *
 * @throws {@link ShopifyMappingError} naming the field that cannot be read.
 */
export function readShopifyProduct(json: unknown): ShopifyProductData {
  const parsed = typeof json === 'string' || Buffer.isBuffer(json) ? parseShopifyJson(json) : json;
  const { node, path } = unwrapProduct(parsed);
  return isGraphQlNode(node) ? readGraphQlProduct(node, path) : readRestProduct(node, path);
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unwrapProduct(json: unknown): { node: JsonObject; path: string } {
  if (!isObject(json)) {
    throw new ShopifyMappingError('', 'expected a Shopify product as a JSON object (a products/update webhook body, ' +
      'a REST product or a GraphQL Product node)');
  }
  if (isObject(json.data) && isObject(json.data.product)) {
    return { node: json.data.product, path: 'data.product.' };
  }
  if (isObject(json.product)) {
    return { node: json.product, path: 'product.' };
  }
  if (json.id === undefined && json.variants === undefined) {
    throw new ShopifyMappingError('', 'not a Shopify product: it has neither "id" nor "variants"');
  }
  return { node: json, path: '' };
}

/** GraphQL nodes have connection objects for variants and gid strings as ids; REST and webhook bodies neither. */
function isGraphQlNode(node: JsonObject): boolean {
  return isObject(node.variants) || (typeof node.id === 'string' && node.id.startsWith('gid://') &&
    !('admin_graphql_api_id' in node) && !('body_html' in node));
}

function readRestProduct(node: JsonObject, path: string): ShopifyProductData {
  if (!Array.isArray(node.variants)) {
    throw new ShopifyMappingError(`${path}variants`, 'missing: a product body lists its variants');
  }
  return withoutUndefined({
    id: gidOf('Product', node.admin_graphql_api_id ?? node.id, `${path}id`),
    handle: optionalString(node.handle, `${path}handle`),
    title: requiredString(node.title, `${path}title`),
    descriptionHtml: optionalString(node.body_html, `${path}body_html`),
    vendor: optionalString(node.vendor, `${path}vendor`),
    productType: optionalString(node.product_type, `${path}product_type`),
    status: statusOf(node.status, `${path}status`),
    tags: tagsOf(node.tags, `${path}tags`),
    updatedAt: optionalString(node.updated_at, `${path}updated_at`),
    variants: node.variants.map((variant, index): ShopifyVariantData =>
      readRestVariant(variant, `${path}variants[${index}]`)),
  });
}

function readRestVariant(variant: unknown, path: string): ShopifyVariantData {
  if (!isObject(variant)) {
    throw new ShopifyMappingError(path, 'expected a variant object');
  }
  const weightUnit = variant.weight_unit === undefined || variant.weight_unit === null ?
    undefined :
    REST_WEIGHT_UNITS[String(variant.weight_unit)];
  if (variant.weight_unit !== undefined && variant.weight_unit !== null && weightUnit === undefined) {
    throw new ShopifyMappingError(`${path}.weight_unit`, `${JSON.stringify(variant.weight_unit)} is not g, kg, oz or lb`);
  }
  return withoutUndefined({
    id: gidOf('ProductVariant', variant.admin_graphql_api_id ?? variant.id, `${path}.id`),
    sku: optionalString(variant.sku, `${path}.sku`),
    price: decimalString(variant.price, `${path}.price`),
    inventoryItemId: variant.inventory_item_id === null || variant.inventory_item_id === undefined ?
      undefined :
      gidOf('InventoryItem', variant.inventory_item_id, `${path}.inventory_item_id`),
    inventoryQuantity: optionalInteger(variant.inventory_quantity, `${path}.inventory_quantity`),
    weight: optionalNumber(variant.weight, `${path}.weight`),
    weightUnit,
  });
}

function readGraphQlProduct(node: JsonObject, path: string): ShopifyProductData {
  return withoutUndefined({
    id: gidOf('Product', node.id, `${path}id`),
    handle: optionalString(node.handle, `${path}handle`),
    title: requiredString(node.title, `${path}title`),
    descriptionHtml: optionalString(node.descriptionHtml, `${path}descriptionHtml`),
    vendor: optionalString(node.vendor, `${path}vendor`),
    productType: optionalString(node.productType, `${path}productType`),
    status: statusOf(node.status, `${path}status`),
    tags: tagsOf(node.tags, `${path}tags`),
    updatedAt: optionalString(node.updatedAt, `${path}updatedAt`),
    variants: graphQlVariantNodes(node.variants, `${path}variants`).map(({ variant, where }): ShopifyVariantData =>
      readGraphQlVariant(variant, where)),
  });
}

/** The variant nodes of a connection, as `nodes` or as `edges[].node`, each with its path. */
function graphQlVariantNodes(variants: unknown, path: string): { variant: unknown; where: string }[] {
  if (isObject(variants) && Array.isArray(variants.nodes)) {
    return variants.nodes.map((variant, index): { variant: unknown; where: string } =>
      ({ variant, where: `${path}.nodes[${index}]` }));
  }
  if (isObject(variants) && Array.isArray(variants.edges)) {
    return variants.edges.map((edge, index): { variant: unknown; where: string } =>
      ({ variant: isObject(edge) ? edge.node : undefined, where: `${path}.edges[${index}].node` }));
  }
  throw new ShopifyMappingError(path, 'missing: select the variants as `variants(first: …) { nodes { … } }` or `edges`');
}

function readGraphQlVariant(variant: unknown, path: string): ShopifyVariantData {
  if (!isObject(variant)) {
    throw new ShopifyMappingError(path, 'expected a variant object');
  }
  const item = isObject(variant.inventoryItem) ? variant.inventoryItem : undefined;
  const weight = item && isObject(item.measurement) && isObject(item.measurement.weight) ? item.measurement.weight : undefined;
  const weightUnit = weight?.unit === undefined || weight.unit === null ? undefined : String(weight.unit);
  if (weightUnit !== undefined && !WEIGHT_UNITS.includes(weightUnit)) {
    throw new ShopifyMappingError(`${path}.inventoryItem.measurement.weight.unit`, `${weightUnit} is not a WeightUnit`);
  }
  return withoutUndefined({
    id: gidOf('ProductVariant', variant.id, `${path}.id`),
    sku: optionalString(variant.sku, `${path}.sku`),
    price: decimalString(variant.price, `${path}.price`),
    inventoryItemId: item ? gidOf('InventoryItem', item.id, `${path}.inventoryItem.id`) : undefined,
    inventoryQuantity: optionalInteger(variant.inventoryQuantity, `${path}.inventoryQuantity`),
    weight: weight ? optionalNumber(weight.value, `${path}.inventoryItem.measurement.weight.value`) : undefined,
    weightUnit: weightUnit as ShopifyWeightUnit | undefined,
  });
}

/**
 * A Shopify id as a GraphQL global id string. Accepts a gid, a string of digits, a bigint (from the lossless parse)
 * or a safe integer; refuses a number past 2^53, whose last digits are already lost.
 */
export function gidOf(kind: string, value: unknown, where: string): string {
  if (typeof value === 'string' && value.startsWith(`gid://shopify/${kind}/`)) {
    return value.split('?')[0];
  }
  if (typeof value === 'bigint' && value > 0n) {
    return `gid://shopify/${kind}/${value}`;
  }
  if (typeof value === 'string' && /^\d+$/u.test(value)) {
    return `gid://shopify/${kind}/${value}`;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) {
    if (!Number.isSafeInteger(value)) {
      throw new ShopifyMappingError(where, `${value} is beyond 2^53 and has lost digits; read the raw JSON text ` +
        '(readShopifyProduct(text)) so ids keep full precision');
    }
    return `gid://shopify/${kind}/${value}`;
  }
  throw new ShopifyMappingError(where, `${describe(value)} is not a Shopify ${kind} id`);
}

/** The numeric part of a gid (`gid://shopify/Product/42` → `42`). */
export function numericIdOf(gid: string): string {
  return gid.slice(gid.lastIndexOf('/') + 1).split('?')[0];
}

function describe(value: unknown): string {
  if (value === undefined) {
    return 'missing';
  }
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}

/** Used by the mapping too. */
export function requiredString(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ShopifyMappingError(where, value === undefined || value === null ? 'missing' : `${describe(value)} is not a non-empty text`);
  }
  return value;
}

function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new ShopifyMappingError(where, `${describe(value)} is not a text`);
  }
  return value;
}

function optionalNumber(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const number = typeof value === 'bigint' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw new ShopifyMappingError(where, `${describe(value)} is not a number`);
  }
  return number;
}

function optionalInteger(value: unknown, where: string): number | undefined {
  const number = optionalNumber(value, where);
  if (number !== undefined && !Number.isInteger(number)) {
    throw new ShopifyMappingError(where, `${number} is not a whole number`);
  }
  return number;
}

/** Shopify sends money as decimal strings (`"19.99"`); a plain number is read too. */
/** Used by the mapping too. */
export function decimalString(value: unknown, where: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  if (typeof value !== 'string' || !DECIMAL.test(value.trim())) {
    throw new ShopifyMappingError(where, `${describe(value)} is not a decimal`);
  }
  return value.trim();
}

function statusOf(value: unknown, where: string): ShopifyProductStatus | undefined {
  const text = optionalString(value, where)?.toUpperCase();
  if (text !== undefined && !STATUSES.includes(text as ShopifyProductStatus)) {
    throw new ShopifyMappingError(where, `${describe(value)} is not a product status (active, archived, draft, unlisted)`);
  }
  return text as ShopifyProductStatus | undefined;
}

/** REST and webhooks send tags as one comma-separated text, GraphQL as a list. */
function tagsOf(value: unknown, where: string): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (typeof value === 'string') {
    return value.split(',').map((tag): string => tag.trim()).filter(Boolean);
  }
  if (Array.isArray(value) && value.every((tag): boolean => typeof tag === 'string')) {
    return value as string[];
  }
  throw new ShopifyMappingError(where, `${describe(value)} is not a list of tags`);
}


/**
 * Reads an `inventory_levels/update` webhook body (`inventory_item_id`, `location_id`, `available`), raw JSON text or
 * parsed. The inventory item id is taken from `admin_graphql_api_id` when there, so it keeps every digit.
 *
 * @throws {@link ShopifyMappingError} when the item or location is missing or `available` is not a whole number.
 */
export function inventoryLevelToStock(json: unknown): ShopifyStockLevel {
  const parsed = typeof json === 'string' || Buffer.isBuffer(json) ? parseShopifyJson(json) : json;
  const body = isObject(parsed) && isObject(parsed.inventory_level) ? parsed.inventory_level : parsed;
  if (!isObject(body)) {
    throw new ShopifyMappingError('', 'expected an inventory_levels/update body (a JSON object)');
  }
  const fromGid = typeof body.admin_graphql_api_id === 'string' ?
    /[?&]inventory_item_id=(\d+)/u.exec(body.admin_graphql_api_id)?.[1] :
    undefined;
  return withoutUndefined({
    inventoryItemId: gidOf('InventoryItem', fromGid ?? body.inventory_item_id, 'inventory_item_id'),
    locationId: gidOf('Location', body.location_id, 'location_id'),
    available: optionalInteger(body.available, 'available'),
    updatedAt: optionalString(body.updated_at, 'updated_at'),
  });
}

/**
 * The gid of the product a `products/delete` webhook body (`{"id": 788032119674292922}`) names; raw JSON text keeps
 * every digit.
 *
 * @throws {@link ShopifyMappingError} when the body names no product id.
 */
export function deletedProductId(json: unknown): string {
  const body = typeof json === 'string' || Buffer.isBuffer(json) ? parseShopifyJson(json) : json;
  if (!isObject(body)) {
    throw new ShopifyMappingError('', 'expected a products/delete body (a JSON object with "id")');
  }
  return gidOf('Product', body.admin_graphql_api_id ?? body.id, 'id');
}
