import type { Quad } from '@rdfjs/types';
import { DFC_B } from '../namespaces';
import { iriQuads, type ResourceGraph, stringQuads, typeQuad, xsdDecimalQuads } from './rdf';
import type { Price, Product } from './types';

/**
 * Turns a product into the quads of its resource `catalog/<slug>`: a DFC supplied product
 * (`#product`), the catalog item that lists it (`#item`) and the offer that prices it (`#offer`).
 * This is the canonical form: numbers typed xsd:decimal, and the product-item link written both ways
 * (`dfc-b:references` and `dfc-b:referencedBy`), so every DFC reader finds it. The product object is not modified.
 */
export function productToQuads(resourceUrl: string, product: Product): Quad[] {
  const [ item, supplied, offer, quantity ] = [ '#item', '#product', '#offer', '#quantity' ]
    .map((hash): string => `${resourceUrl}${hash}`);
  return [
    typeQuad(supplied, DFC_B('SuppliedProduct')),
    ...stringQuads(supplied, DFC_B('name'), product.name),
    ...stringQuads(supplied, DFC_B('description'), product.description),
    ...iriQuads(supplied, DFC_B('hasType'), product.productType),
    ...iriQuads(supplied, DFC_B('hasQuantity'), quantity),
    ...iriQuads(supplied, DFC_B('referencedBy'), item),
    typeQuad(quantity, DFC_B('QuantitativeValue')),
    ...xsdDecimalQuads(quantity, DFC_B('value'), product.quantity.value),
    ...iriQuads(quantity, DFC_B('hasUnit'), product.quantity.unit),
    typeQuad(item, DFC_B('CatalogItem')),
    ...iriQuads(item, DFC_B('references'), supplied),
    ...stringQuads(item, DFC_B('sku'), product.sku),
    ...xsdDecimalQuads(item, DFC_B('stockLimitation'), product.stock),
    ...iriQuads(item, DFC_B('offeredThrough'), offer),
    typeQuad(offer, DFC_B('Offer')),
    ...iriQuads(offer, DFC_B('offers'), item),
    ...priceToQuads(offer, `${resourceUrl}#price`, product.price),
  ];
}

/** The quads of `<owner> dfc-b:hasPrice <priceNode>` and the price itself. */
export function priceToQuads(owner: string, priceNode: string, price: Price): Quad[] {
  return [
    ...iriQuads(owner, DFC_B('hasPrice'), priceNode),
    typeQuad(priceNode, DFC_B('Price')),
    ...xsdDecimalQuads(priceNode, DFC_B('value'), price.value),
    ...iriQuads(priceNode, DFC_B('hasUnit'), price.currency),
    ...xsdDecimalQuads(priceNode, DFC_B('VATrate'), price.vatRate),
  ];
}

/** Reads a price node back; `undefined` if it has no value or currency. */
export function readPrice(graph: ResourceGraph, priceNode: string | undefined): Price | undefined {
  const value = priceNode ? graph.getNumber(priceNode, DFC_B('value')) : undefined;
  const currency = priceNode ? graph.getValue(priceNode, DFC_B('hasUnit')) : undefined;
  if (!priceNode || value === undefined || currency === undefined) {
    return undefined;
  }
  return withOptional<Price, 'vatRate'>({ value, currency }, 'vatRate', graph.getNumber(priceNode, DFC_B('VATrate')));
}

/**
 * Reads a product back from the graph of its resource. Finds the catalog item first, so resources
 * written by other DFC tools read too: any IRIs (not only `#item`), blank-node prices and quantities, numbers as
 * numeric text, and the product-item link on either side (`dfc-b:references` or `dfc-b:referencedBy`). A variant
 * without a name of its own takes its product group's (`dfc-b:isVariantOf`).
 * Returns `undefined` when the resource holds no complete product (a name, a quantity and a price).
 */
export function quadsToProduct(slug: string, graph: ResourceGraph): Product | undefined {
  const item = graph.getSubjectsOfType(DFC_B('CatalogItem'))[0];
  const supplied = item ? productOfItem(graph, item) : undefined;
  const offer = item ? graph.getNode(item, DFC_B('offeredThrough')) : undefined;
  const quantityNode = supplied ? graph.getNode(supplied, DFC_B('hasQuantity')) : undefined;
  const price = offer ? readPrice(graph, graph.getNode(offer, DFC_B('hasPrice'))) : undefined;
  const name = supplied ? nameOfProduct(graph, supplied) : undefined;
  const quantityValue = quantityNode ? graph.getNumber(quantityNode, DFC_B('value')) : undefined;
  const unit = quantityNode ? graph.getValue(quantityNode, DFC_B('hasUnit')) : undefined;
  if (!item || !supplied || !price || name === undefined || quantityValue === undefined || unit === undefined) {
    return undefined;
  }
  const product: Product = {
    slug,
    name,
    quantity: { value: quantityValue, unit },
    sku: graph.getValue(item, DFC_B('sku')) ?? '',
    price,
  };
  return withOptional(withOptional(withOptional(product,
    'description', graph.getValue(supplied, DFC_B('description'))),
  'productType', graph.getValue(supplied, DFC_B('hasType'))),
  'stock', graph.getNumber(item, DFC_B('stockLimitation')));
}

/** The supplied product a catalog item sells, whichever side wrote the link. */
export function productOfItem(graph: ResourceGraph, item: string): string | undefined {
  return graph.getNode(item, DFC_B('references')) ?? graph.getSubjectsWith(DFC_B('referencedBy'), item)[0];
}

function nameOfProduct(graph: ResourceGraph, supplied: string): string | undefined {
  const group = graph.getNode(supplied, DFC_B('isVariantOf'));
  return graph.getValue(supplied, DFC_B('name')) ?? (group ? graph.getValue(group, DFC_B('name')) : undefined);
}

/** Returns the object with `key` set, or unchanged when the value is undefined (keeps objects free of `undefined`s). */
export function withOptional<T extends object, K extends keyof T>(object: T, key: K, value: T[K] | undefined): T {
  return value === undefined ? object : { ...object, [key]: value };
}
