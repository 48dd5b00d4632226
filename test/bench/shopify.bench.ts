import { productToProductSetInput, readShopifyProduct, shopifyToProduct } from '../../bridges/shopify/mapping';
import { quadsToTurtle } from '../../shapes/access/podIo';
import { productToQuads, quadsToProduct } from '../../shapes/access/productRdf';
import { ResourceGraph } from '../../shapes/access/rdf';
import type { Product } from '../../shapes/access/types';
import { generateProducts } from '../../shapes/demo/catalogData';
import { parseRdf } from '../../shapes/parseRdf';
import { fixed, throughput } from './benchUtil';

const PRODUCTS = Number(process.env.FMP_BENCH_SHOPIFY_PRODUCTS ?? 10_000);
const ROUNDS = 7;
const GOAL = 5000;
const LOCATION = 'gid://shopify/Location/24826418';

/**
 * Issue 11: mapping throughput, pod products → Shopify `productSet` payloads (the variables JSON the client sends),
 * against plain `JSON.stringify` of the same products measured in the same run; plus the way back and, for scale,
 * parsing the products' Turtle as a bridge reading the pod does.
 */
export async function benchShopify(): Promise<void> {
  const products = generateProducts(PRODUCTS);
  const options = { shopCurrency: 'EUR', vendor: 'Green Acres', locationId: LOCATION };
  const baseline = throughput(products, (product): string => JSON.stringify(product));
  const mapped = throughput(products, (product): string =>
    JSON.stringify({ identifier: null, input: productToProductSetInput(product, options) }));
  // The way back: a products/update body (raw text, lossless ids) → a pod product.
  const bodies = products.map((product, index): string => webhookBody(product, index));
  const back = throughput(bodies, (body): Product => shopifyToProduct(readShopifyProduct(body), undefined, { shopCurrency: 'EUR' }));
  // For scale: reading the same products from their Turtle (1,000 of them; parsing is slower).
  const sample = products.slice(0, Math.min(1000, products.length));
  const turtles = sample.map((product): [string, string] => {
    const url = `https://pod.example/alice/catalog/${product.slug}`;
    return [ url, quadsToTurtle(productToQuads(url, product)) ];
  });
  const parseStart = process.hrtime.bigint();
  for (const [ url, turtle ] of turtles) {
    quadsToProduct(url, new ResourceGraph(await parseRdf(turtle, 'text/turtle', url)));
  }
  const parsed = turtles.length / (Number(process.hrtime.bigint() - parseStart) / 1e9);
  process.stdout.write([
    `## Shopify mapping (issue 11), ${PRODUCTS} generated products, median of ${ROUNDS} rounds`,
    `baseline: JSON.stringify(product):                         ${fixed(baseline, 0)} products/s`,
    `pod product → productSet variables JSON (mapping + body):  ${fixed(mapped, 0)} products/s (${fixed(mapped / baseline, 3)} × baseline)`,
    `products/update webhook body → pod product (lossless):     ${fixed(back, 0)} products/s (${fixed(back / baseline, 3)} × baseline)`,
    `for scale, product Turtle → Product (parse, ${turtles.length}):          ${fixed(parsed, 0)} products/s`,
    `mapping throughput ${fixed(mapped, 0)} products/s (goal >= ${GOAL}) ${mapped >= GOAL ? 'MET' : 'NOT MET'}`,
    '',
  ].join('\n'));
}

/** A products/update body shaped like Shopify's sample, with ids past 2^53. */
function webhookBody(product: Product, index: number): string {
  const id = 788032119674292922n + BigInt(index);
  return `{"admin_graphql_api_id":"gid://shopify/Product/${id}","id":${id},"title":${JSON.stringify(product.name)},` +
    `"body_html":${JSON.stringify(`<p>${product.description ?? ''}</p>`)},"handle":"${product.slug}","status":"active",` +
    `"tags":"fmp-vault","updated_at":"2026-12-01T10:00:00-05:00","variants":[{"admin_graphql_api_id":` +
    `"gid://shopify/ProductVariant/${id + 1n}","id":${id + 1n},"price":"${product.price.value.toFixed(2)}",` +
    `"sku":"${product.sku}","inventory_item_id":${id + 2n},"inventory_quantity":${product.stock ?? 0},"weight":1,"weight_unit":"kg"}]}`;
}
