import type { Product, Quantity } from '../../shapes/access/types';
import { DFC_M } from '../../shapes/namespaces';
import { descriptionToHtml, htmlToDescription } from './html';
import { parseShopifyJson } from './shopifyJson';
import { ShopifyMappingError } from './ShopifyMappingError';
import type { ProductSetInput, ProductVariantSetInput, ShopifyProductData, ShopifyProductStatus, ShopifyStockLevel,
  ShopifyVariantData, ShopifyWeightUnit } from './types';

/**
 * The pure mapping between the pod's products (`shapes/access` `Product`: a DFC supplied product, catalog item and
 * offer) and Shopify's product payloads, both ways. No I/O; every function leaves its inputs unchanged.
 */

/** The tag every product the bridge writes carries, so a shop's bridged products can be listed (`tag:fmp-vault`). */
export const FMP_TAG = 'fmp-vault';
/** The single option Shopify gives a product without variants of its own. */
const DEFAULT_OPTION = { optionName: 'Title', name: 'Default Title' };

/** DFC currency units and their ISO 4217 codes (the five the catalog shapes allow). */
const CURRENCY_CODES: Readonly<Record<string, string>> = Object.freeze({
  [DFC_M('Euro')]: 'EUR',
  [DFC_M('USDollar')]: 'USD',
  [DFC_M('PoundSterling')]: 'GBP',
  [DFC_M('CanadianDollar')]: 'CAD',
  [DFC_M('AustralianDollar')]: 'AUD',
});

/** DFC mass units as a Shopify weight: factor to the Shopify unit, and that unit. */
const MASS_UNITS: Readonly<Record<string, readonly [number, ShopifyWeightUnit]>> = Object.freeze({
  [DFC_M('Gram')]: [ 1, 'GRAMS' ],
  [DFC_M('Kilogram')]: [ 1, 'KILOGRAMS' ],
  [DFC_M('Milligram')]: [ 0.001, 'GRAMS' ],
  [DFC_M('Tonne')]: [ 1000, 'KILOGRAMS' ],
  [DFC_M('Ounce')]: [ 1, 'OUNCES' ],
  [DFC_M('PoundMass')]: [ 1, 'POUNDS' ],
});

/** Shopify weight units back to DFC units. */
const DFC_MASS_UNITS: Readonly<Record<ShopifyWeightUnit, string>> = Object.freeze({
  GRAMS: DFC_M('Gram'), KILOGRAMS: DFC_M('Kilogram'), OUNCES: DFC_M('Ounce'), POUNDS: DFC_M('PoundMass'),
});

/** REST's `weight_unit` values. */
const REST_WEIGHT_UNITS: Readonly<Record<string, ShopifyWeightUnit>> = Object.freeze({
  g: 'GRAMS', kg: 'KILOGRAMS', oz: 'OUNCES', lb: 'POUNDS',
});

const STATUSES: readonly ShopifyProductStatus[] = [ 'ACTIVE', 'ARCHIVED', 'DRAFT', 'UNLISTED' ];
const DECIMAL = /^-?\d+(\.\d+)?$/u;

/** What {@link productToProductSetInput} needs besides the product. */
export interface ProductSetOptions {
  /** The shop's currency, ISO 4217 (`EUR`): Shopify prices everything in it, so a product priced otherwise is refused. */
  readonly shopCurrency: string;
  /** The farm's name, shown as the product's vendor. */
  readonly vendor?: string;
  /** `gid://shopify/Location/…` where the stock is kept; without it no inventory quantity is sent. */
  readonly locationId?: string;
  /** The Shopify variant already linked to this product, so `productSet` updates it instead of replacing it. */
  readonly variantId?: string;
}

/**
 * Maps a pod product to the `input` of a `productSet` mutation: one ACTIVE product with one variant that carries the
 * offer's price, the catalog item's SKU and stock, and the weight when the product's quantity is a mass.
 *
 * @throws {@link ShopifyMappingError} when the product cannot be sold as is: priced in another currency than the
 *   shop's, a price with more than 2 decimals, or a slug that gives no Shopify handle.
 */
export function productToProductSetInput(product: Product, options: ProductSetOptions): ProductSetInput {
  const variant: ProductVariantSetInput = {
    ...options.variantId === undefined ? {} : { id: options.variantId },
    price: priceInShopCurrency(product, options.shopCurrency),
    sku: product.sku,
    optionValues: [ DEFAULT_OPTION ],
    // Unlimited stock (no stockLimitation) is an untracked inventory item, so Shopify never sells it out.
    inventoryItem: { tracked: product.stock !== undefined, ...measurementOf(product.quantity) },
    ...stockAt(product.stock, options.locationId),
  };
  const productType = productTypeLabel(product.productType);
  return {
    title: product.name,
    ...product.description === undefined ? {} : { descriptionHtml: descriptionToHtml(product.description) },
    ...options.vendor === undefined ? {} : { vendor: options.vendor },
    ...productType === undefined ? {} : { productType },
    handle: handleOf(product.slug),
    status: 'ACTIVE',
    tags: product.productType === undefined ? [ FMP_TAG ] : [ FMP_TAG, localName(product.productType) ],
    productOptions: [{ name: DEFAULT_OPTION.optionName, position: 1, values: [{ name: DEFAULT_OPTION.name }] }],
    variants: [ variant ],
  };
}

/** The offer's price as Shopify `Money`, after checking it is in the shop's currency. */
function priceInShopCurrency(product: Product, shopCurrency: string): string {
  const code = CURRENCY_CODES[product.price.currency];
  if (code === undefined) {
    throw new ShopifyMappingError('price.currency', `<${product.price.currency}> is not a DFC currency Shopify knows`);
  }
  if (code !== shopCurrency.toUpperCase()) {
    throw new ShopifyMappingError('price.currency',
      `${product.name} is priced in ${code}, but the shop sells in ${shopCurrency.toUpperCase()}; ` +
      `set the price in ${shopCurrency.toUpperCase()} in the pod`);
  }
  return formatMoney(product.price.value, 'price.value');
}

/** A non-negative amount with at most two decimals as a `Money` string (`2.4` → `"2.40"`). */
export function formatMoney(value: number, where: string): string {
  const cents = Math.round(value * 100);
  if (!Number.isFinite(value) || value < 0) {
    throw new ShopifyMappingError(where, `${value} is not a price (a number, zero or more)`);
  }
  if (Math.abs(cents - value * 100) > 1e-6) {
    throw new ShopifyMappingError(where, `${value} has more than 2 decimals; Shopify would round it`);
  }
  return (cents / 100).toFixed(2);
}

/** `inventoryItem.measurement` when the unit of sale is a mass; nothing for pieces, bunches, litres... */
function measurementOf(quantity: Quantity): Pick<NonNullable<ProductVariantSetInput['inventoryItem']>, 'measurement'> {
  const mass = MASS_UNITS[quantity.unit];
  return mass ? { measurement: { weight: { value: roundWeight(quantity.value * mass[0]), unit: mass[1] }}} : {};
}

function roundWeight(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** `inventoryQuantities` at the location, when stock is counted and a location is known. */
function stockAt(stock: number | undefined, locationId: string | undefined): Pick<ProductVariantSetInput, 'inventoryQuantities'> {
  return stock === undefined || locationId === undefined ?
    {} :
    { inventoryQuantities: [{ locationId, name: 'available', quantity: Math.floor(stock) }]};
}

/** A readable label for a DFC product type IRI: `dfc-pt:round-tomato` → `Round tomato`. */
export function productTypeLabel(productType: string | undefined): string | undefined {
  if (productType === undefined) {
    return undefined;
  }
  const words = localName(productType).replace(/[-_]+/gu, ' ').trim();
  return words ? `${words[0].toUpperCase()}${words.slice(1)}` : undefined;
}

function localName(iri: string): string {
  return iri.slice(Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/')) + 1);
}

/** A Shopify handle (letters, digits, hyphens) from a pod resource name: `Carrots_1kg` → `carrots-1kg`. */
export function handleOf(slug: string): string {
  let decoded = slug;
  try {
    decoded = decodeURIComponent(slug);
  } catch {
    // A stray % is just a character here.
  }
  const handle = decoded.normalize('NFKD').replace(/[\u0300-\u036f]/gu, '').toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-').replace(/^-+|-+$/gu, '');
  if (!handle) {
    throw new ShopifyMappingError('slug', `"${slug}" gives no Shopify handle (it needs letters or digits)`);
  }
  return handle;
}

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
  if (weightUnit !== undefined && !(weightUnit in DFC_MASS_UNITS)) {
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

function requiredString(value: unknown, where: string): string {
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
function decimalString(value: unknown, where: string): string {
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

/** Drops `undefined` properties from a fresh object literal, so results compare and print cleanly. */
function withoutUndefined<T extends object>(object: T): T {
  const record = object as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (record[key] === undefined) {
      delete record[key];
    }
  }
  return object;
}

/** What {@link shopifyToProduct} may need besides the Shopify data. */
export interface ShopifyToProductOptions {
  /** The shop's currency (`EUR`): Shopify prices carry no currency. Without it, the pod product's currency is kept. */
  readonly shopCurrency?: string;
}

/**
 * Maps Shopify's view of a product back to a pod product: title, description, price, SKU and stock come from
 * Shopify; what Shopify does not know (slug, product type, unit of sale, VAT rate) is kept from `base`, the pod's
 * current product. Without a base, the slug is the handle, the unit of sale the variant's weight (else one piece),
 * and a variant without SKU gets `SHOPIFY-<variant id>`. Negative stock (oversold) counts as none left.
 *
 * @throws {@link ShopifyMappingError} when the product has no variant, a price is not a decimal, or the currency is
 *   unknown (no `shopCurrency` and no base).
 */
export function shopifyToProduct(data: ShopifyProductData, base?: Product, options: ShopifyToProductOptions = {}): Product {
  const index = variantIndexFor(data, base?.sku);
  const variant = data.variants[index];
  const where = `variants[${index}]`;
  const stock = variant.inventoryQuantity === undefined ? base?.stock : Math.max(0, variant.inventoryQuantity);
  const description = data.descriptionHtml === undefined ? base?.description : htmlToDescription(data.descriptionHtml);
  const product: Product = {
    slug: base?.slug ?? data.handle ?? numericIdOf(data.id),
    name: requiredString(data.title, 'title'),
    quantity: base?.quantity ?? weightQuantity(variant) ?? { value: 1, unit: DFC_M('Piece') },
    sku: variant.sku?.trim() ? variant.sku : base?.sku ?? `SHOPIFY-${numericIdOf(variant.id)}`,
    price: {
      value: Number(decimalString(variant.price, `${where}.price`)),
      currency: currencyFor(options.shopCurrency, base),
      ...base?.price.vatRate === undefined ? {} : { vatRate: base.price.vatRate },
    },
  };
  return {
    ...product,
    ...description ? { description } : {},
    ...base?.productType === undefined ? {} : { productType: base.productType },
    ...stock === undefined ? {} : { stock },
  };
}

/** The variant that carries the pod product: the one with its SKU, else the first. */
function variantIndexFor(data: ShopifyProductData, sku: string | undefined): number {
  if (data.variants.length === 0) {
    throw new ShopifyMappingError('variants', 'the product has no variant, so no price');
  }
  const index = sku === undefined ? -1 : data.variants.findIndex((variant): boolean => variant.sku === sku);
  return Math.max(index, 0);
}

function weightQuantity(variant: ShopifyVariantData): Quantity | undefined {
  return variant.weight && variant.weightUnit ? { value: variant.weight, unit: DFC_MASS_UNITS[variant.weightUnit] } : undefined;
}

function currencyFor(shopCurrency: string | undefined, base: Product | undefined): string {
  if (shopCurrency !== undefined) {
    return dfcCurrencyOf(shopCurrency);
  }
  if (base) {
    return base.price.currency;
  }
  throw new ShopifyMappingError('price', 'Shopify prices carry no currency: give the shop\'s currency (e.g. EUR)');
}

/** The DFC currency unit for an ISO 4217 code (`EUR` → `dfc-m:Euro`). */
export function dfcCurrencyOf(code: string): string {
  const found = Object.entries(CURRENCY_CODES).find(([ , iso ]): boolean => iso === code.toUpperCase());
  if (!found) {
    throw new ShopifyMappingError('currency', `${code} is not a currency the pod's catalog takes ` +
      `(${Object.values(CURRENCY_CODES).join(', ')})`);
  }
  return found[0];
}

/** The ISO 4217 code of a DFC currency unit (`dfc-m:Euro` → `EUR`), or `undefined`. */
export function currencyCodeOf(dfcCurrency: string): string | undefined {
  return CURRENCY_CODES[dfcCurrency];
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
