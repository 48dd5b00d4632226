import { strict as assert } from 'node:assert';
import type { Quad, Term } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { isomorphic } from 'rdf-isomorphic';
import { asOfnStores, ofnToProduct, productToDfcGraph, productToOfn, readOfnRecords } from '../../../../bridges/ofn/mapping';
import { OfnMappingError } from '../../../../bridges/ofn/OfnMappingError';
import { ofnAdapter } from '../../../../bridges/ofn/OfnAdapter';
import type { Connection } from '../../../../bridges/runtime/Connection';
import { productToQuads } from '../../../../shapes/access/productRdf';
import type { Product } from '../../../../shapes/access/types';
import { generateProducts } from '../../../../shapes/demo/catalogData';
import { DFC_B, DFC_M, DFC_PT, XSD } from '../../../../shapes/namespaces';
import { parseRdf } from '../../../../shapes/parseRdf';
import { RdfSyntaxError } from '../../../../shapes/RdfSyntaxError';
import { readFixture, readRealFixture } from '../../shapes/fixtures';

const { blankNode, literal, namedNode, quad } = DataFactory;
const URL_BASE = 'https://pod.example/alice/catalog/';

/**
 * The DFC statements of a graph, numbers compared by value (JSON-LD writes 2.4 as "2.4E0"^^xsd:double, the pod
 * xsd:decimal) and the pod's `#quantity` and `#price` nodes as the blank nodes OFN's documents nest.
 */
function dfcTerms(quads: readonly Quad[]): Quad[] {
  return quads.filter((q): boolean => q.predicate.value.startsWith(DFC_B('')) || q.predicate.value.endsWith('#type'))
    .map((q): Quad => quad(normalized(q.subject) as Quad['subject'], q.predicate, normalized(q.object) as Quad['object']));
}

function normalized(term: Term): Term {
  if (term.termType === 'NamedNode' && /#(quantity|price)$/u.test(term.value)) {
    return blankNode(term.value.split('#')[1]);
  }
  if (term.termType !== 'Literal' || ![ XSD('decimal'), XSD('double'), XSD('integer') ].includes(term.datatype.value)) {
    return term;
  }
  return literal(String(Number(term.value)), namedNode(XSD('decimal')));
}

describe('OFN mapping', (): void => {
  const products = generateProducts(30);

  it('writes every demo product as DFC JSON-LD whose DFC statements are the pod\'s own (isomorphic)', async(): Promise<void> => {
    for (const product of products) {
      const url = `${URL_BASE}${product.slug}`;
      const parsed = await parseRdf(JSON.stringify(productToDfcGraph(product, url)), 'application/ld+json', url);
      // The offer repeats the stock for OFN (-1: on demand); the pod says it once, on the catalog item.
      const offerStock = parsed.filter((q): boolean => q.subject.value === `${url}#offer` && q.predicate.value === DFC_B('stockLimitation'));
      assert.deepEqual(offerStock.map((q): number => Number(q.object.value)), [ product.stock ?? -1 ]);
      const sent = parsed.filter((q): boolean => !offerStock.includes(q));
      const pod = productToQuads(url, product);
      assert.ok(isomorphic(dfcTerms(sent), dfcTerms(pod)), `${product.slug}: the DFC graph differs from the pod's`);
    }
  });

  it('reads back what OFN answers (its units, its names, its extensions) as the same pod products', async(): Promise<void> => {
    for (const product of products.slice(0, 8)) {
      const stored = asOfnStores(product.quantity);
      const answer = { '@context': 'https://w3id.org/dfc/ontology/context/context_1.16.0.json', '@graph': [
        { '@id': 'http://ofn.test/api/dfc/enterprises/1/catalog_items/7', '@type': 'dfc-b:CatalogItem',
          'dfc-b:references': 'http://ofn.test/api/dfc/enterprises/1/supplied_products/7', 'dfc-b:sku': product.sku,
          'dfc-b:stockLimitation': product.stock, 'dfc-b:offeredThrough': 'http://ofn.test/api/dfc/enterprises/1/offers/7' },
        { '@id': 'http://ofn.test/api/dfc/enterprises/1/supplied_products/7', '@type': 'dfc-b:SuppliedProduct',
          'dfc-b:name': `${product.name} - 1kg`, 'dfc-b:description': product.description, 'dfc-b:hasType': product.productType,
          'dfc-b:hasQuantity': { '@type': 'dfc-b:QuantitativeValue', 'dfc-b:hasUnit': stored.unit, 'dfc-b:value': stored.value },
          'ofn:spree_product_id': 90000, 'ofn:image': 'http://ofn.test/logo.png' },
        { '@id': 'http://ofn.test/api/dfc/enterprises/1/offers/7', '@type': 'dfc-b:Offer',
          'dfc-b:hasPrice': { '@type': 'dfc-b:Price', 'dfc-b:value': product.price.value, 'dfc-b:hasUnit': 'dfc-m:Euro' }},
      ]};
      const [ record ] = readOfnRecords(await parseRdf(JSON.stringify(answer), 'application/ld+json', 'http://ofn.test/'));
      assert.equal(record.id, '7');
      assert.deepEqual(ofnToProduct(record, product), product);
    }
  });

  it('imports OFN\'s published example catalog (product groups, ofn: extensions) without a base', async(): Promise<void> => {
    const records = readOfnRecords(await parseRdf(readFixture('ofn-catalog-items.json'), 'application/ld+json', 'http://test.host/'));
    assert.deepEqual(records.map((record): Product => ofnToProduct(record)), [{
      slug: 'apple-1g-ofn-10001', name: 'Apple - 1g', description: 'Red', sku: 'AR', stock: 0,
      quantity: { value: 1, unit: DFC_M('Gram') }, price: { value: 19.99, currency: DFC_M('AustralianDollar') },
    }]);
  });

  it('imports a real Food Data Collaboration catalog: numeric text, blank nodes, referencedBy, on-demand stock', async(): Promise<void> => {
    const records = readOfnRecords(await parseRdf(readRealFixture('fdc-catalog.json'), 'application/ld+json', 'https://fdc.example/'));
    assert.equal(records.length, 8);
    const vinegar = records.find((record): boolean => record.sku === 'LIB/NABVI/BF')!;
    const product = ofnToProduct(vinegar);
    assert.match(product.slug, /^apple-balsamic-vinegar-retail-bottle-40ml-ofn-[0-9a-f]{10}$/u);
    assert.deepEqual(product, {
      slug: product.slug, name: 'Apple Balsamic Vinegar - Retail bottle, 40ml',
      description: vinegar.description, sku: 'LIB/NABVI/BF', quantity: { value: 0.04, unit: DFC_M('Kilogram') },
      price: { value: 6.25, currency: DFC_M('PoundSterling'), vatRate: 0 },
    });
    assert.equal(records.find((record): boolean => record.sku === 'LIB/NABVI/C6')?.stock, 5);
  });

  it('refuses what OFN cannot take, saying where', (): void => {
    const [ carrots ] = products;
    assert.throws((): unknown => productToOfn({ ...carrots, price: { ...carrots.price, currency: DFC_M('Kilogram') }}, 'x'),
      (error: unknown): boolean => OfnMappingError.isInstance(error) && /price\.currency/u.test(error.message));
    assert.throws((): unknown => productToOfn({ ...carrots, productType: 'http://example.org/carrot' }, 'x'),
      /productType: <http:\/\/example\.org\/carrot> is not a DFC product type/u);
    assert.throws((): unknown => ofnToProduct({ id: '9', name: 'x', quantity: carrots.quantity }), /record 9: has no offer/u);
  });

  it('keeps OFN\'s units when the amount changed there', (): void => {
    const [ carrots ] = products;
    const changed = ofnToProduct({ id: '1', name: 'Carrots - 2000g', quantity: { value: 2000, unit: DFC_M('Gram') },
      price: carrots.price, sku: carrots.sku }, carrots);
    assert.deepEqual(changed.quantity, { value: 2000, unit: DFC_M('Gram') });
    assert.equal(changed.name, 'Carrots', 'the unit OFN appends to the name is not a new name');
    assert.equal(changed.productType, DFC_PT('carrot'));
  });

  it('refuses malformed JSON-LD with one clear error', async(): Promise<void> => {
    await assert.rejects(parseRdf('{"@context": "https://w3id.org/dfc/ontology/context/context_1.16.0.json", "@id": ', 'application/ld+json',
      'http://ofn.test/'), (error: unknown): boolean => error instanceof RdfSyntaxError);
  });
});

describe('OFN refresh webhook', (): void => {
  const connection = { target: 'ofn', member: 'm', pod: 'https://pod.example/m/', memberWebId: '', grant: { id: 'g', validUntil: '' },
    settings: { enterpriseUrl: 'http://ofn.test/api/dfc/enterprises/10000', webhookToken: 'secret-token' },
    subscriptions: {}, seenWebhookIds: [], connectedAt: '' } as Connection;
  const body = Buffer.from(JSON.stringify({ eventType: 'refresh', enterpriseUrlid: 'http://ofn.test/api/dfc/enterprises/10000',
    scope: 'ReadEnterprise' }));

  it('turns a refresh with the right bearer token into a pull of everything', (): void => {
    const result = ofnAdapter.receive(connection, body, { authorization: 'Bearer secret-token' });
    assert.ok(result.accepted);
    assert.deepEqual(result.events, [{ kind: 'refresh' }]);
  });

  it('refuses a refresh without the token or with another, and one without enterpriseUrlid', (): void => {
    for (const authorization of [ undefined, 'Bearer secret-tokem', 'secret-token' ]) {
      const result = ofnAdapter.receive(connection, body, { authorization });
      assert.deepEqual([ result.accepted, !result.accepted && result.status ], [ false, 401 ]);
    }
    const missing = ofnAdapter.receive(connection, Buffer.from('{"eventType":"refresh"}'), { authorization: 'Bearer secret-token' });
    assert.deepEqual(missing, { accepted: false, status: 400, reason: 'Missing parameter `enterpriseUrlid`' });
  });

  it('ignores a refresh about another enterprise', (): void => {
    const other = Buffer.from(JSON.stringify({ eventType: 'refresh', enterpriseUrlid: 'http://ofn.test/api/dfc/enterprises/2' }));
    const result = ofnAdapter.receive(connection, other, { authorization: 'Bearer secret-token' });
    assert.ok(result.accepted);
    assert.deepEqual(result.events, []);
  });
});
