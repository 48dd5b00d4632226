import type { Quad } from '@rdfjs/types';
import { DFC_B, XSD } from '../namespaces';
import { priceToQuads, readPrice, withOptional } from './productRdf';
import { decimalQuads, iriQuads, type ResourceGraph, stringQuads, typedQuads, typeQuad } from './rdf';
import type { Order, OrderLine } from './types';

/** Turns an order into the quads of `orders/<slug>`; the order is `#order`, its lines `#line-1`, … */
export function orderToQuads(resourceUrl: string, order: Order): Quad[] {
  const it = `${resourceUrl}#order`;
  return [
    typeQuad(it, DFC_B('Order')),
    ...stringQuads(it, DFC_B('orderNumber'), order.orderNumber),
    ...typedQuads(it, DFC_B('date'), XSD('dateTime'), order.date),
    ...iriQuads(it, DFC_B('orderedBy'), order.customer),
    ...order.lines.flatMap((line, index): Quad[] => orderLineToQuads(it, `${resourceUrl}#line-${index + 1}`, line)),
  ];
}

function orderLineToQuads(order: string, node: string, line: OrderLine): Quad[] {
  return [
    ...iriQuads(order, DFC_B('hasPart'), node),
    typeQuad(node, DFC_B('OrderLine')),
    ...iriQuads(node, DFC_B('partOf'), order),
    ...iriQuads(node, DFC_B('concerns'), line.offer),
    ...decimalQuads(node, DFC_B('quantity'), line.quantity),
    ...line.price ? priceToQuads(node, `${node}-price`, line.price) : [],
  ];
}

/** Reads the order of a resource, or `undefined` if it holds none. */
export function quadsToOrder(slug: string, graph: ResourceGraph): Order | undefined {
  const it = graph.getSubjectsOfType(DFC_B('Order'))[0];
  if (!it) {
    return undefined;
  }
  const lines = graph.getValues(it, DFC_B('hasPart')).map((node): OrderLine => withOptional<OrderLine, 'price'>({
    offer: graph.getValue(node, DFC_B('concerns')) ?? '',
    quantity: graph.getNumber(node, DFC_B('quantity')) ?? Number.NaN,
  }, 'price', readPrice(graph, graph.getNode(node, DFC_B('hasPrice')))));
  let order: Order = { slug, lines };
  order = withOptional(order, 'orderNumber', graph.getValue(it, DFC_B('orderNumber')));
  order = withOptional(order, 'date', graph.getValue(it, DFC_B('date')));
  return withOptional(order, 'customer', graph.getValue(it, DFC_B('orderedBy')));
}
