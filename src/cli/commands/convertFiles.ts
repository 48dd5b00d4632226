// What the bridges' `convert` commands share: how a file's media type is told, where converted products live, and
// how a pod product is read from a file.
import { basename, extname } from 'node:path';
import { quadsToProduct } from '../../../shapes/access/productRdf';
import { ResourceGraph } from '../../../shapes/access/rdf';
import type { Product } from '../../../shapes/access/types';
import { formatViolations } from '../../../shapes/formatViolations';
import { parseRdf } from '../../../shapes/parseRdf';
import { validateDataset } from '../../../shapes/validateDataset';

/** The media type of a pod document, by its extension. */
export const RDF_EXTENSIONS: Readonly<Record<string, string>> = Object.freeze({
  '.ttl': 'text/turtle',
  '.jsonld': 'application/ld+json',
  '.json': 'application/ld+json',
  '.nt': 'application/n-triples',
  '.nq': 'application/n-quads',
});

/** Where converted products pretend to live; the Turtle is written relative to it (`<#item>`), so it fits any pod. */
export const CONVERT_BASE = 'https://pod.invalid/catalog/';

/** What `convert --from pod` reads: the file's syntax (if not told by its extension) and the product's slug. */
export interface PodFileOptions {
  slug?: string;
  contentType?: string;
}

/**
 * The product a pod document holds, checked by the catalog shapes as the pod's store would, and the URL it is read at.
 * @throws an Error with one line a person can act on.
 */
export async function readPodProduct(file: string, text: string, options: PodFileOptions): Promise<{ product: Product; url: string }> {
  const contentType = options.contentType ?? RDF_EXTENSIONS[extname(file).toLowerCase()];
  if (!contentType) {
    throw new Error(`cannot tell the RDF syntax from "${extname(file)}"; name the file .ttl, .jsonld, .nt or .nq, or give --content-type`);
  }
  const slug = options.slug ?? basename(file, extname(file));
  const url = `${CONVERT_BASE}${slug}`;
  const quads = await parseRdf(text, contentType, url);
  const report = validateDataset('catalog', quads);
  if (!report.conforms) {
    const lines = formatViolations(report);
    throw new Error(`breaks the catalog shapes: ${lines[0]}${lines.length > 1 ? ` (and ${lines.length - 1} more)` : ''}`);
  }
  const product = quadsToProduct(slug, new ResourceGraph(quads));
  if (!product) {
    throw new Error('holds no complete product (a dfc-b:CatalogItem linked to a dfc-b:SuppliedProduct with a name and ' +
      'quantity, offered through a dfc-b:Offer with a price)');
  }
  return { product, url };
}
