import { createHash } from 'node:crypto';
import type { Quad } from '@rdfjs/types';
import { productOfItem, readPrice } from '../../shapes/access/productRdf';
import { ResourceGraph } from '../../shapes/access/rdf';
import type { Price, Product, Quantity } from '../../shapes/access/types';
import { DFC_B } from '../../shapes/namespaces';
import { OfnMappingError } from './OfnMappingError';
import { compactIri, DFC_CONTEXT, DFC_CURRENCIES, OFN_BASE_UNITS, ofnMeasureOf, PRODUCT_TYPES_NAMESPACE } from './vocabulary';
import { withoutUndefined } from '../runtime/withoutUndefined';

/**
 * The pure mapping between the pod's products (`shapes/access` `Product`: a DFC supplied product, catalog item and
 * offer) and the DFC 1.16 JSON-LD documents of OFN's DFC API, both ways. No I/O; inputs are never modified.
 */

/** A JSON-LD node as the bridge writes it (compact, DFC 1.16 context). */
export type JsonLdNode = Record<string, unknown>;

/** The three documents one pod product becomes at OFN, and the SKU it is found by. */
export interface OfnDocuments {
  /** For `POST …/supplied_products` (a new product) or `PUT …/supplied_products/:id`. */
  readonly suppliedProduct: JsonLdNode;
  /** For `PUT …/catalog_items/:id`: SKU and stock (OFN reads `dfc-b:sku` and `dfc-b:stockLimitation` from the top level). */
  readonly catalogItem: JsonLdNode;
  /** For `PUT …/offers/:id`: price and stock (-1 for unlimited: OFN's "on demand"). */
  readonly offer: JsonLdNode;
  /** The SKU OFN keeps: a product found by it is this product (a send retried after a crash makes no second one). */
  readonly sku: string;
}

/** One OFN variant (supplied product, catalog item and offer share its id) as the bridge reads it from DFC documents. */
export interface OfnRecord {
  /** OFN's id of the variant, the last segment of its URLs (`…/supplied_products/10001` → `10001`). */
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly productType?: string;
  readonly quantity?: Quantity;
  readonly sku?: string;
  /** Units in stock; `undefined` for "on demand" (no limitation, or OFN's and FDC's negative limitation). */
  readonly stock?: number;
  readonly price?: Price;
}

/**
 * What a pod product becomes at OFN. The supplied product keeps the pod's IRI as its `@id` (OFN records it as the
 * variant's semantic link); the product type, quantity unit and currency are DFC taxonomy IRIs, written compact.
 *
 * @throws {@link OfnMappingError} when OFN could not take it: a negative or non-finite price or quantity, a currency
 *   outside the five DFC currencies, or a product type outside the DFC product types.
 */
export function productToOfn(product: Product, productIri: string): OfnDocuments {
  if (!DFC_CURRENCIES.includes(product.price.currency)) {
    throw new OfnMappingError('price.currency', `<${product.price.currency}> is not one of the DFC currencies OFN knows`);
  }
  if (!Number.isFinite(product.price.value) || product.price.value < 0) {
    throw new OfnMappingError('price.value', `${product.price.value} is not a price (a number, zero or more)`);
  }
  if (!Number.isFinite(product.quantity.value) || product.quantity.value < 0) {
    throw new OfnMappingError('quantity.value', `${product.quantity.value} is not a quantity (a number, zero or more)`);
  }
  if (product.productType !== undefined && !product.productType.startsWith(PRODUCT_TYPES_NAMESPACE)) {
    throw new OfnMappingError('productType', `<${product.productType}> is not a DFC product type, which OFN needs`);
  }
  const sku = product.sku.trim() || `fmp-${product.slug}`;
  const suppliedProduct: JsonLdNode = withoutUndefined({
    '@context': DFC_CONTEXT,
    '@id': productIri,
    '@type': 'dfc-b:SuppliedProduct',
    'dfc-b:name': product.name,
    'dfc-b:description': product.description,
    'dfc-b:hasType': product.productType === undefined ? undefined : compactIri(product.productType),
    'dfc-b:hasQuantity': {
      '@type': 'dfc-b:QuantitativeValue',
      'dfc-b:hasUnit': compactIri(product.quantity.unit),
      'dfc-b:value': product.quantity.value,
    },
  });
  const catalogItem: JsonLdNode = withoutUndefined({
    '@context': DFC_CONTEXT,
    '@type': 'dfc-b:CatalogItem',
    'dfc-b:sku': sku,
    'dfc-b:stockLimitation': product.stock,
  });
  const offer: JsonLdNode = {
    '@context': DFC_CONTEXT,
    '@type': 'dfc-b:Offer',
    'dfc-b:hasPrice': withoutUndefined({
      '@type': 'dfc-b:Price',
      'dfc-b:value': product.price.value,
      'dfc-b:hasUnit': compactIri(product.price.currency),
      'dfc-b:VATrate': product.price.vatRate,
    }),
    // OFN takes a negative limitation as "on demand" (backorderable); no limitation would leave its stock unchanged.
    'dfc-b:stockLimitation': product.stock ?? -1,
  };
  return { suppliedProduct, catalogItem, offer, sku };
}

/**
 * A pod product as one DFC graph shaped like OFN's answer for an enterprise's catalog items: the catalog item (SKU,
 * stock, linked both ways to its product), the supplied product and the offer, with the pod's IRIs (`<url>#item`…).
 *
 * @throws {@link OfnMappingError} as {@link productToOfn}.
 */
export function productToDfcGraph(product: Product, url: string): JsonLdNode {
  const { suppliedProduct, catalogItem, offer } = productToOfn(product, `${url}#product`);
  const [ item, offerId ] = [ `${url}#item`, `${url}#offer` ];
  return {
    '@context': DFC_CONTEXT,
    '@graph': [
      { '@id': item, ...bodyOf(catalogItem), 'dfc-b:references': `${url}#product`, 'dfc-b:offeredThrough': offerId },
      { ...bodyOf(suppliedProduct), 'dfc-b:referencedBy': item },
      { '@id': offerId, ...bodyOf(offer), 'dfc-b:offers': item },
    ],
  };
}

function bodyOf(document: JsonLdNode): JsonLdNode {
  const { '@context': _context, ...rest } = document;
  return rest;
}

/** A document with its `@id` set (the URL OFN gave the node). */
export function withId(document: JsonLdNode, id: string): JsonLdNode {
  const { '@context': context, ...rest } = document;
  return { '@context': context, '@id': id, ...rest };
}

/** OFN's id of a record from any of its URLs: the last path segment (`…/catalog_items/10001` → `10001`). */
export function ofnIdOf(url: string): string {
  const path = new URL(url).pathname.replace(/\/+$/u, '');
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
}

/**
 * Reads OFN's records from the quads of its DFC documents (an enterprise's catalog, or one product's documents
 * together): one per catalog item, with its product (linked either way), the product group's name for a variant
 * without one, and its offer. `ofn:` and other foreign properties are ignored; numbers may be numeric text.
 *
 * @throws {@link OfnMappingError} when a catalog item's numbers are not numbers.
 */
export function readOfnRecords(quads: readonly Quad[]): OfnRecord[] {
  const graph = new ResourceGraph(quads);
  return graph.getSubjectsOfType(DFC_B('CatalogItem')).map((item): OfnRecord => readRecord(graph, item));
}

function readRecord(graph: ResourceGraph, item: string): OfnRecord {
  const supplied = productOfItem(graph, item);
  const offer = graph.getNode(item, DFC_B('offeredThrough'));
  const group = supplied ? graph.getNode(supplied, DFC_B('isVariantOf')) : undefined;
  const quantityNode = supplied ? graph.getNode(supplied, DFC_B('hasQuantity')) : undefined;
  const stock = numberOf(graph, item, DFC_B('stockLimitation')) ?? (offer ? numberOf(graph, offer, DFC_B('stockLimitation')) : undefined);
  const price = offer ? readPrice(graph, graph.getNode(offer, DFC_B('hasPrice'))) : undefined;
  const quantityValue = quantityNode ? numberOf(graph, quantityNode, DFC_B('value')) : undefined;
  const unit = quantityNode ? graph.getValue(quantityNode, DFC_B('hasUnit')) : undefined;
  return withoutUndefined({
    id: recordIdOf(item),
    name: (supplied ? graph.getValue(supplied, DFC_B('name')) : undefined) ?? (group ? graph.getValue(group, DFC_B('name')) : undefined),
    description: supplied ? graph.getValue(supplied, DFC_B('description')) : undefined,
    productType: supplied ? graph.getNode(supplied, DFC_B('hasType')) : undefined,
    quantity: quantityValue === undefined || unit === undefined ? undefined : { value: quantityValue, unit },
    sku: graph.getValue(item, DFC_B('sku')),
    stock: stock === undefined || stock < 0 ? undefined : stock,
    price,
  });
}

/** OFN's id for an OFN catalog item URL (`…/catalog_items/10001`); the whole IRI for other platforms' items. */
function recordIdOf(item: string): string {
  return /\/catalog_items\/[^/]+\/?$/u.test(item) ? ofnIdOf(item) : item;
}

function numberOf(graph: ResourceGraph, subject: string, predicate: string): number | undefined {
  const text = graph.getValue(subject, predicate);
  if (text === undefined) {
    return undefined;
  }
  const number = graph.getNumber(subject, predicate);
  if (number === undefined) {
    throw new OfnMappingError(`<${subject}> ${compactIri(predicate)}`, `${JSON.stringify(text)} is not a number`);
  }
  return number;
}

/**
 * Maps an OFN record back to a pod product. What OFN does not keep is taken from `base`, the pod's current product:
 * the slug, the VAT rate, the name when OFN only appended the unit to it, and the quantity's unit when OFN's answer is the same amount in its own units (OFN keeps
 * weights in grams, volumes in litres and everything else as pieces: `1 kg` comes back as `1000 g`, a bunch as a piece).
 * Without a base the slug is made from the name and OFN's id, and a record without a SKU gets `OFN-<id>` (another
 * platform's item IRI is shortened to a hash).
 *
 * @throws {@link OfnMappingError} when the record has no name, quantity or price and there is no base to keep them from.
 */
export function ofnToProduct(record: OfnRecord, base?: Product): Product {
  const name = nameFor(record.name, base?.name);
  const quantity = quantityFor(record.quantity, base?.quantity);
  const price = record.price ?? base?.price;
  if (name === undefined) {
    throw new OfnMappingError(`record ${record.id}`, 'has no dfc-b:name (nor its product group)');
  }
  if (quantity === undefined) {
    throw new OfnMappingError(`record ${record.id}`, 'has no dfc-b:hasQuantity with a value and a unit');
  }
  if (price === undefined) {
    throw new OfnMappingError(`record ${record.id}`, 'has no offer with a dfc-b:Price (a value and a currency)');
  }
  const vatRate = record.price?.vatRate ?? base?.price.vatRate;
  const product: Product = {
    slug: base?.slug ?? slugOf(name, record.id),
    name,
    quantity,
    sku: record.sku ?? base?.sku ?? `OFN-${shortIdOf(record.id)}`,
    price: { value: price.value, currency: price.currency, ...vatRate === undefined ? {} : { vatRate } },
  };
  const description = record.description ?? base?.description;
  const productType = record.productType ?? base?.productType;
  return {
    ...product,
    ...description === undefined ? {} : { description },
    ...productType === undefined ? {} : { productType },
    ...record.stock === undefined ? {} : { stock: record.stock },
  };
}

/** The pod's name when OFN's is that name with the unit OFN appends, else OFN's. */
function nameFor(ofn: string | undefined, pod: string | undefined): string | undefined {
  if (ofn === undefined || pod === undefined) {
    return ofn ?? pod;
  }
  return sameName(ofn, pod) ? pod : ofn;
}

/** Whether OFN's name is the pod's, maybe with the unit OFN appends (`Apple` comes back as `Apple - 6g` or `Apple (6g)`). */
export function sameName(ofn: string, pod: string): boolean {
  return ofn === pod || ofn.startsWith(`${pod} - `) || ofn.startsWith(`${pod} (`);
}

/** The pod's quantity when OFN's is the same amount in OFN's units, else OFN's. */
function quantityFor(ofn: Quantity | undefined, pod: Quantity | undefined): Quantity | undefined {
  if (ofn === undefined || pod === undefined) {
    return ofn ?? pod;
  }
  return sameAmount(ofn, pod) ? pod : ofn;
}

/** Whether two quantities are the same amount once OFN has stored them. */
export function sameAmount(left: Quantity, right: Quantity): boolean {
  const [ a, b ] = [ asOfnStores(left), asOfnStores(right) ];
  return a.unit === b.unit && Math.abs(a.value - b.value) <= 1e-9 * Math.max(1, Math.abs(a.value));
}

/**
 * A quantity as OFN stores and answers it (OFN's `QuantitativeValueBuilder`): `1 kg` → `1000 g`, a dozen → 12 pieces,
 * a bunch → 1 piece; a weight or volume of zero or less becomes one piece.
 */
export function asOfnStores(quantity: Quantity): Quantity {
  const { measure, scale } = ofnMeasureOf(quantity.unit);
  const value = quantity.value * scale;
  if (measure !== 'items' && value <= 0) {
    return { value: 1, unit: OFN_BASE_UNITS.items };
  }
  return { value: Math.round(value * 1e9) / 1e9, unit: OFN_BASE_UNITS[measure] };
}

/**
 * A resource name for a product first seen at OFN: `Fillet Steak` and `42` → `fillet-steak-ofn-42`; an id that is a
 * whole IRI (another platform's) is shortened to a hash of it.
 */
export function slugOf(name: string, id: string): string {
  const words = name.normalize('NFKD').replace(/[\u0300-\u036f]/gu, '').toLowerCase().replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-+|-+$/gu, '').slice(0, 60).replace(/-+$/u, '');
  return `${words ? `${words}-` : ''}ofn-${shortIdOf(id)}`;
}

/** OFN's id as it is, another platform's IRI as a short hash of it. */
function shortIdOf(id: string): string {
  return /^[A-Za-z0-9_-]{1,40}$/u.test(id) ? id : createHash('sha256').update(id).digest('hex').slice(0, 10);
}

