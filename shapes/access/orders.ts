import { orderToQuads, quadsToOrder } from './orderRdf';
import { containerUrl, type PodOptions, readAll, resourceUrl, writeResource } from './podIo';
import type { Order } from './types';

/** Lists the orders in a pod's `orders/` container. */
export async function listOrders(podUrl: string, options: PodOptions = {}): Promise<Order[]> {
  return readAll(containerUrl(podUrl, 'orders'), quadsToOrder, options);
}

/** Writes an order to `orders/<slug>` after validating it; throws `ShapeViolationError` before sending if invalid. */
export async function saveOrder(podUrl: string, order: Order, options: PodOptions = {}): Promise<void> {
  const url = resourceUrl(podUrl, 'orders', order.slug);
  await writeResource('orders', url, orderToQuads(url, order), options);
}
