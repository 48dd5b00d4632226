import { productToQuads, quadsToProduct } from './productRdf';
import { containerUrl, type PodOptions, readAll, readResource, resourceUrl, writeResource } from './podIo';
import type { Product } from './types';

/**
 * Lists the products in a pod's `catalog/` container.
 *
 * @param podUrl - The pod root, e.g. `https://vault.example/alice/`.
 * @param options - `fetch`: the authenticated fetch to use.
 */
export async function listProducts(podUrl: string, options: PodOptions = {}): Promise<Product[]> {
  return readAll(containerUrl(podUrl, 'catalog'), quadsToProduct, options);
}

/** Reads one product, `catalog/<slug>`; `undefined` if the resource holds no complete product. */
export async function getProduct(podUrl: string, slug: string, options: PodOptions = {}): Promise<Product | undefined> {
  return quadsToProduct(slug, await readResource(resourceUrl(podUrl, 'catalog', slug), options));
}

/**
 * Writes a product to `catalog/<slug>`, replacing any previous version.
 * Validates with the catalog shapes first and throws a `ShapeViolationError` without sending
 * anything if they are broken. The product object is not modified.
 */
export async function saveProduct(podUrl: string, product: Product, options: PodOptions = {}): Promise<void> {
  const url = resourceUrl(podUrl, 'catalog', product.slug);
  await writeResource('catalog', url, productToQuads(url, product), options);
}
