import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { productToProductSetInput } from '../../../../bridges/shopify/mapping';
import { quadsToTurtle } from '../../../../shapes/access/podIo';
import { productToQuads, quadsToProduct } from '../../../../shapes/access/productRdf';
import { ResourceGraph } from '../../../../shapes/access/rdf';
import type { Product } from '../../../../shapes/access/types';
import { generateProducts } from '../../../../shapes/demo/catalogData';
import { DFC_M } from '../../../../shapes/namespaces';
import { parseRdf } from '../../../../shapes/parseRdf';
import { validateDataset } from '../../../../shapes/validateDataset';
import { runFmp } from '../../../harness/cli';
import { coerceProductSetInput } from '../../../fakes/shopify/adminSchema';
import { readShopifyFixture, SHOPIFY_FIXTURES } from './fixtures';

const [ , , beetroot ] = generateProducts(3);

/** Reads converted Turtle back as a pod would store it at catalog/<slug>, checking it against the catalog shapes. */
async function readTurtle(turtle: string, slug: string): Promise<Product> {
  const url = `https://pod.example/alice/catalog/${slug}`;
  const quads = await parseRdf(turtle, 'text/turtle', url);
  assert.ok(validateDataset('catalog', quads).conforms, turtle);
  return quadsToProduct(slug, new ResourceGraph(quads))!;
}

describe('fmp bridge shopify convert', (): void => {
  let folder: string;

  before(async(): Promise<void> => {
    folder = await mkdtemp(join(tmpdir(), 'fmp-convert-'));
  });

  after(async(): Promise<void> => {
    await rm(folder, { recursive: true, force: true });
  });

  async function file(name: string, text: string): Promise<string> {
    const path = join(folder, name);
    await writeFile(path, text);
    return path;
  }

  it('turns pod Turtle into a ProductSetInput that the real schema accepts', async(): Promise<void> => {
    const path = await file('beetroot-1-kilogram.ttl',
      quadsToTurtle(productToQuads('https://pod.example/alice/catalog/beetroot-1-kilogram', beetroot)));
    const result = await runFmp([ 'bridge', 'shopify', 'convert', '--from', 'pod', path, '--currency', 'EUR', '--vendor', 'Green Acres' ]);
    assert.equal(result.code, 0, result.stderr);
    const input: unknown = JSON.parse(result.stdout);
    assert.deepEqual(input, productToProductSetInput(beetroot, { shopCurrency: 'EUR', vendor: 'Green Acres' }));
    assert.deepEqual(coerceProductSetInput(input), []);
  });

  it('reads pod JSON-LD with the DFC context, offline', async(): Promise<void> => {
    const path = await file('eggs.jsonld', JSON.stringify({
      '@context': 'https://w3id.org/dfc/ontology/context/context_1.16.0.json',
      '@graph': [
        { '@id': '#product', '@type': 'dfc-b:SuppliedProduct', 'dfc-b:name': 'Free-range eggs', 'dfc-b:hasType': 'dfc-pt:egg',
          'dfc-b:hasQuantity': { '@id': '#quantity', '@type': 'dfc-b:QuantitativeValue', 'dfc-b:value': 6, 'dfc-b:hasUnit': 'dfc-m:Piece' }},
        { '@id': '#item', '@type': 'dfc-b:CatalogItem', 'dfc-b:references': '#product', 'dfc-b:sku': 'EGG-6',
          'dfc-b:stockLimitation': 12, 'dfc-b:offeredThrough': '#offer' },
        { '@id': '#offer', '@type': 'dfc-b:Offer', 'dfc-b:offers': '#item', 'dfc-b:hasPrice': { '@id': '#price', '@type': 'dfc-b:Price',
          'dfc-b:value': 3.2, 'dfc-b:hasUnit': 'dfc-m:Euro' }},
      ],
    }));
    const result = await runFmp([ 'bridge', 'shopify', 'convert', '--from', 'pod', path, '--location', 'gid://shopify/Location/1' ]);
    assert.equal(result.code, 0, result.stderr);
    const input = JSON.parse(result.stdout) as { handle: string; productType: string; variants: unknown[] };
    assert.equal(input.handle, 'eggs');
    assert.equal(input.productType, 'Egg');
    assert.deepEqual(input.variants, [{ price: '3.20', sku: 'EGG-6', optionValues: [{ optionName: 'Title', name: 'Default Title' }],
      inventoryItem: { tracked: true }, inventoryQuantities: [{ locationId: 'gid://shopify/Location/1', name: 'available', quantity: 12 }]}]);
    assert.deepEqual(coerceProductSetInput(input), []);
  });

  it('turns Shopify\'s webhook, REST and GraphQL shapes into pod Turtle the catalog shapes accept', async(): Promise<void> => {
    const expected: Record<string, Partial<Product>> = {
      'products-update-webhook.json': { slug: 'example-t-shirt', name: 'Example T-Shirt', sku: 'SHOPIFY-642667041472713922', stock: 75 },
      'rest-product-ipod-nano.json': { slug: 'ipod-nano', name: 'IPod Nano - 8GB', sku: 'IPOD2008PINK', stock: 10 },
      'graphql-product-node.json': { slug: 'ipod-nano', name: 'IPod Nano - 8GB', sku: 'IPOD2008PINK', stock: 10 },
    };
    for (const [ fixture, fields ] of Object.entries(expected)) {
      const result = await runFmp([ 'bridge', 'shopify', 'convert', '--from', 'shopify', join(SHOPIFY_FIXTURES, fixture), '--currency', 'EUR' ]);
      assert.equal(result.code, 0, `${fixture}: ${result.stderr}`);
      assert.match(result.stdout, /<#item> a dfc-b:CatalogItem/u, 'relative IRIs, so it can be PUT to any catalog/ resource');
      const product = await readTurtle(result.stdout, fields.slug!);
      assert.deepEqual({ slug: product.slug, name: product.name, sku: product.sku, stock: product.stock }, fields, fixture);
      assert.equal(product.price.currency, DFC_M('Euro'));
    }
  });

  it('converts there and back: Shopify → pod Turtle → a schema-valid ProductSetInput', async(): Promise<void> => {
    const there = await runFmp([ 'bridge', 'shopify', 'convert', '--from', 'shopify',
      join(SHOPIFY_FIXTURES, 'rest-product-ipod-nano.json'), '--currency', 'USD', '--slug', 'ipod' ]);
    const path = await file('ipod.ttl', there.stdout);
    const back = await runFmp([ 'bridge', 'shopify', 'convert', '--from', 'pod', path, '--currency', 'USD' ]);
    assert.equal(back.code, 0, back.stderr);
    const input = JSON.parse(back.stdout) as { title: string; handle: string; variants: { price: string; inventoryItem: unknown }[] };
    assert.equal(input.title, 'IPod Nano - 8GB');
    assert.equal(input.handle, 'ipod');
    assert.equal(input.variants[0].price, '199.00');
    assert.deepEqual(input.variants[0].inventoryItem, { tracked: true, measurement: { weight: { value: 1.25, unit: 'POUNDS' }}});
    assert.deepEqual(coerceProductSetInput(input), []);
  });

  it('says in one line what and where it cannot map, with exit code 1', async(): Promise<void> => {
    const badPrice = await file('bad-price.json', readShopifyFixture('products-update-webhook.json').replace('"price": "19.99"', '"price": "abc"'));
    const dollars = await file('dollars.ttl', quadsToTurtle(productToQuads('https://pod.example/alice/catalog/dollars',
      { ...beetroot, price: { value: 2.6, currency: DFC_M('USDollar') }})));
    const broken = await file('broken.ttl', '@prefix dfc-b: <https://example.org/> .\n<#x> dfc-b:name "unterminated .\n');
    const cases: [string[], string][] = [
      [[ '--from', 'shopify', badPrice, '--currency', 'EUR' ], `fmp: ${badPrice}: variants[0].price: "abc" is not a decimal\n`],
      [[ '--from', 'shopify', badPrice ], `fmp: ${badPrice}: Shopify prices carry no currency: give the shop's with --currency (e.g. --currency EUR)\n`],
      [[ '--from', 'pod', dollars, '--currency', 'EUR' ],
        `fmp: ${dollars}: price.currency: Beetroot is priced in USD, but the shop sells in EUR; set the price in EUR in the pod\n`],
    ];
    for (const [ args, stderr ] of cases) {
      const result = await runFmp([ 'bridge', 'shopify', 'convert', ...args ]);
      assert.deepEqual({ code: result.code, stderr: result.stderr, stdout: result.stdout }, { code: 1, stderr, stdout: '' });
    }
    const syntax = await runFmp([ 'bridge', 'shopify', 'convert', '--from', 'pod', broken ]);
    assert.equal(syntax.code, 1);
    assert.match(syntax.stderr, new RegExp(`^fmp: ${broken}: .*line 2.*\\n$`, 'u'));
    assert.equal(syntax.stderr.split('\n').length, 2);
  });
});
