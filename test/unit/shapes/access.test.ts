import { strict as assert } from 'node:assert';
import { saveEnterprise } from '../../../shapes/access/enterprise';
import { saveLandAsset } from '../../../shapes/access/land';
import { recordHarvest } from '../../../shapes/access/logs';
import { saveOrder } from '../../../shapes/access/orders';
import { getProduct, listProducts, saveProduct } from '../../../shapes/access/products';
import { ShapeViolationError } from '../../../shapes/access/ShapeViolationError';
import type { Product } from '../../../shapes/access/types';
import { DEMO_ENTERPRISE } from '../../../shapes/demo/generateDemoFarm';
import { generateProducts } from '../../../shapes/demo/catalogData';
import type { Literal } from '@rdfjs/types';
import { quadsToProduct } from '../../../shapes/access/productRdf';
import { ResourceGraph } from '../../../shapes/access/rdf';
import { DFC_B, DFC_M, XSD } from '../../../shapes/namespaces';
import { parseRdf } from '../../../shapes/parseRdf';
import { validateDataset } from '../../../shapes/validateDataset';
import { caught, readRealFixture } from './fixtures';

const POD = 'https://pod.example/alice/';

interface Call { url: string; method: string; contentType: string | null; body: string }

/** A fetch that records calls and answers from a map of URL → Turtle (404 otherwise; 201 for PUT). */
function recordingFetch(resources: Record<string, string> = {}): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fake = async(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const headers = new Headers(init.headers);
    const body = init.body === undefined || init.body === null ? '' : await new Response(init.body).text();
    calls.push({ url, method: init.method ?? 'GET', contentType: headers.get('content-type'), body });
    if ((init.method ?? 'GET') === 'PUT') {
      return new Response(null, { status: 201 });
    }
    const turtle = resources[url];
    const response = turtle === undefined ?
      new Response('not found', { status: 404 }) :
      new Response(turtle, { status: 200, headers: { 'content-type': 'text/turtle' }});
    // solid-client takes the resource URL from the response, as a real fetch sets it.
    Object.defineProperty(response, 'url', { value: url });
    return response;
  };
  return { fetch: fake as typeof fetch, calls };
}

describe('typed access', (): void => {
  const [ carrots ] = generateProducts(1);

  it('refuses an invalid product before any fetch, with the server\'s violations', async(): Promise<void> => {
    const { fetch, calls } = recordingFetch();
    const invalid: Product = { ...carrots, sku: '', price: { ...carrots.price, currency: DFC_M('Kilogram') }};
    const error = await caught(async(): Promise<unknown> => saveProduct(POD, invalid, { fetch }));
    assert.ok(ShapeViolationError.isInstance(error));
    assert.deepEqual(error.violations.map((violation): string => violation.message).sort(), [
      'A catalog item has at most one dfc-b:sku, non-empty plain text.',
      'A price needs exactly one currency as dfc-b:hasUnit (dfc-m:Euro, dfc-m:USDollar, dfc-m:PoundSterling, dfc-m:CanadianDollar or dfc-m:AustralianDollar).',
    ]);
    assert.match(error.message, /catalog\/carrots-1-kilogram#item/u);
    assert.equal(calls.length, 0);
  });

  it('writes a valid product as one Turtle PUT that the server\'s shapes accept', async(): Promise<void> => {
    const { fetch, calls } = recordingFetch();
    await saveProduct(POD, carrots, { fetch });
    assert.equal(calls.length, 1);
    const [ call ] = calls;
    assert.deepEqual([ call.method, call.url, call.contentType ], [ 'PUT', `${POD}catalog/${carrots.slug}`, 'text/turtle' ]);
    const quads = await parseRdf(call.body, 'text/turtle', call.url);
    assert.ok(validateDataset('catalog', quads).conforms);
  });

  it('writes the canonical DFC form: numbers typed xsd:decimal, the product-item link both ways', async(): Promise<void> => {
    const { fetch, calls } = recordingFetch();
    await saveProduct(POD, { ...carrots, stock: 12 }, { fetch });
    const quads = await parseRdf(calls[0].body, 'text/turtle', calls[0].url);
    const numbers = quads.filter((quad): boolean => [ 'value', 'stockLimitation', 'VATrate' ]
      .some((name): boolean => quad.predicate.value === DFC_B(name)));
    assert.ok(numbers.length >= 3);
    assert.deepEqual([ ...new Set(numbers.map((quad): string => (quad.object as Literal).datatype.value)) ], [ XSD('decimal') ]);
    const url = `${POD}catalog/${carrots.slug}`;
    const links = quads.filter((quad): boolean => [ DFC_B('references'), DFC_B('referencedBy') ].includes(quad.predicate.value))
      .map((quad): string => `${quad.subject.value} ${quad.predicate.value.split('#')[1]} ${quad.object.value}`);
    assert.deepEqual(links.sort(), [ `${url}#item references ${url}#product`, `${url}#product referencedBy ${url}#item` ]);
  });

  it('reads a product as another platform published it (numeric text, blank nodes, referencedBy, no sku)', async(): Promise<void> => {
    const base = 'https://example-producer.jcloud-ver-jpe.ik-server.com/api/dfc/Enterprises/5c21b9-95/SuppliedProducts/49055026544964';
    const quads = await parseRdf(readRealFixture('fdc-product.json'), 'application/ld+json', base);
    assert.deepEqual(quadsToProduct('steak', new ResourceGraph(quads)), {
      slug: 'steak', name: 'Fillet Steak - 201g x 1 Steak', quantity: { value: 0, unit: DFC_M('Kilogram') }, sku: '',
      price: { value: 12.06, currency: DFC_M('Euro'), vatRate: 1 }, stock: 11,
    });
  });

  it('reads back what it wrote', async(): Promise<void> => {
    const writer = recordingFetch();
    await saveProduct(POD, carrots, { fetch: writer.fetch });
    const url = `${POD}catalog/${carrots.slug}`;
    const container = `<${POD}catalog/> <http://www.w3.org/ns/ldp#contains> <${url}>, <${POD}catalog/sub/>.`;
    const reader = recordingFetch({ [url]: writer.calls[0].body, [`${POD}catalog/`]: container });
    assert.deepEqual(await getProduct(POD, carrots.slug, { fetch: reader.fetch }), carrots);
    assert.deepEqual(await listProducts(POD, { fetch: reader.fetch }), [ carrots ]);
  });

  it('refuses an invalid land asset before any fetch', async(): Promise<void> => {
    const { fetch, calls } = recordingFetch();
    const error = await caught(async(): Promise<unknown> =>
      saveLandAsset(POD, { slug: 'bed-9', name: 'Bed 9', landType: 'bed', wkt: 'somewhere' }, { fetch }));
    assert.ok(ShapeViolationError.isInstance(error));
    assert.equal(error.violations[0].message, 'A land asset has at most one geo:hasGeometry, whose geo:asWKT is a WKT literal.');
    assert.equal(calls.length, 0);
  });

  it('refuses a harvest with a unit outside the DFC measures before any fetch', async(): Promise<void> => {
    const { fetch, calls } = recordingFetch();
    const error = await caught(async(): Promise<unknown> => recordHarvest(POD, {
      slug: 'harvest-x', plant: `${POD}land/planting-1#it`, quantity: { value: 3, unit: 'http://example.org/crates' },
    }, { fetch }));
    assert.ok(ShapeViolationError.isInstance(error));
    assert.equal(calls.length, 0);
  });

  it('records a valid harvest as a done harvest log', async(): Promise<void> => {
    const { fetch, calls } = recordingFetch();
    const log = await recordHarvest(POD, {
      slug: 'harvest-x', plant: `${POD}land/planting-1#it`, timestamp: '2025-07-08T08:00:00Z',
      quantity: { value: 12.5, unit: DFC_M('Kilogram') }, lotNumber: 'H-1',
    }, { fetch });
    assert.deepEqual([ log.type, log.status, log.quantities[0].measure ], [ 'harvest', 'done', 'weight' ]);
    assert.equal(calls.length, 1);
    assert.ok(validateDataset('logs', await parseRdf(calls[0].body, 'text/turtle', calls[0].url)).conforms);
  });

  it('refuses an order without lines before any fetch', async(): Promise<void> => {
    const { fetch, calls } = recordingFetch();
    const error = await caught(async(): Promise<unknown> => saveOrder(POD, { slug: 'order-x', lines: []}, { fetch }));
    assert.ok(ShapeViolationError.isInstance(error));
    assert.equal(calls.length, 0);
  });

  it('refuses a farm profile without a name before any fetch', async(): Promise<void> => {
    const { fetch, calls } = recordingFetch();
    const error = await caught(async(): Promise<unknown> => saveEnterprise(POD, { ...DEMO_ENTERPRISE, name: '' }, { fetch }));
    assert.ok(ShapeViolationError.isInstance(error));
    assert.equal(calls.length, 0);
  });

  it('refuses a slug that is not a path segment', async(): Promise<void> => {
    const { fetch, calls } = recordingFetch();
    await assert.rejects(saveProduct(POD, { ...carrots, slug: '../profile/card' }, { fetch }), /Invalid slug/u);
    assert.equal(calls.length, 0);
  });
});
