import type { Product, Quantity } from '../../shapes/access/types';
import { DFC_M } from '../../shapes/namespaces';
import { descriptionToHtml, htmlToDescription } from './html';
import { decimalString, numericIdOf, requiredString } from './readShopify';
import { ShopifyMappingError } from './ShopifyMappingError';
import type { ProductSetInput, ProductVariantSetInput, ShopifyProductData, ShopifyVariantData, ShopifyWeightUnit } from './types';

// What Shopify sends is read by readShopify.ts; re-exported so the whole mapping is importable from here.
export { deletedProductId, gidOf, inventoryLevelToStock, numericIdOf, readShopifyProduct } from './readShopify';

/**
 * The pure mapping between the pod's products (`shapes/access` `Product`: a DFC supplied product, catalog item and
 * offer) and Shopify's product payloads, both ways (reading Shopify's shapes is in readShopify.ts). No I/O; every
 * function leaves its inputs unchanged.
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
