import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { IOffer, IPrice, IQuantity, ISuppliedProduct } from '@datafoodconsortium/connector';
import { Connector, ConnectorImporterJsonldStream } from '@datafoodconsortium/connector';
import { productToOfn, withId } from '../../../../bridges/ofn/mapping';
import { OfnClient } from '../../../../bridges/ofn/OfnClient';
import { DfcDocumentLoader } from '../../../../shapes/DfcDocumentLoader';
import { generateProducts } from '../../../../shapes/demo/catalogData';
import { OfnFake } from '../../../fakes/ofn/OfnFake';

/** `test/fixtures/ofn/dfc.yaml`, OFN's OpenAPI description, from the source tree or `dist/`. */
const OPENAPI = [ resolve(__dirname, '..', '..', '..', 'fixtures', 'ofn', 'dfc.yaml'),
  resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'ofn', 'dfc.yaml') ].find(existsSync) ?? '';

type Json = Record<string, unknown>;
interface OpenApi { paths: Record<string, Record<string, {
  responses?: Record<string, { content?: Record<string, { examples?: Record<string, { value: Json }> }> }>;
  requestBody?: { content: Record<string, { schema: { example: Json } }> };
}>>; }

const spec = parse(readFileSync(OPENAPI, 'utf8')) as OpenApi;

function responseExample(path: string): Json {
  const content = spec.paths[path].get.responses!['200'].content!;
  return Object.values(Object.values(content)[0].examples!)[0].value;
}

function requestExample(path: string, method: string): Json {
  return Object.values(spec.paths[path][method].requestBody!.content)[0].schema.example;
}

function nodesOf(document: Json): Json[] {
  return Array.isArray(document['@graph']) ? document['@graph'] as Json[] : [ document ];
}

function typeOfValue(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

/** Every key of each example node is in the fake's node of the same type, with a value of the same JSON type. */
function assertShapedLike(answer: Json, example: Json, what: string, onlyKeys?: readonly string[]): void {
  assert.equal(answer['@context'], example['@context'], `${what}: @context`);
  for (const node of nodesOf(example)) {
    const type = node['@type'] as string;
    const ours = nodesOf(answer).find((candidate): boolean => candidate['@type'] === type &&
      (type !== 'dfc-b:SuppliedProduct' || 'dfc-b:hasQuantity' in candidate === 'dfc-b:hasQuantity' in node));
    assert.ok(ours, `${what}: the fake answers no ${type} node`);
    for (const key of Object.keys(node).filter((name): boolean => !onlyKeys || onlyKeys.includes(name))) {
      assert.ok(key in ours, `${what}: ${type} lacks ${key}`);
      assert.equal(typeOfValue(ours[key]), typeOfValue(node[key]), `${what}: ${type} ${key}`);
    }
  }
}

async function getJson(fake: OfnFake, path: string): Promise<Json> {
  const response = await fetch(`${fake.enterpriseUrl}${path}`, { headers: { authorization: `Bearer ${fake.token}` }});
  assert.equal(response.status, 200, path);
  return await response.json() as Json;
}

describe('The OFN fake, against OFN\'s published OpenAPI description', (): void => {
  let fake: OfnFake;
  let id: string;

  before(async(): Promise<void> => {
    fake = await new OfnFake().start();
    const client = new OfnClient({ baseUrl: fake.url, enterpriseId: fake.enterpriseId, token: fake.token });
    const documents = productToOfn({ ...generateProducts(1)[0], stock: 5 }, 'https://pod.example/catalog/carrots#product');
    id = await client.createSuppliedProduct(documents.suppliedProduct);
    await client.updateCatalogItem(id, withId(documents.catalogItem, client.url('catalog_items', id)));
    await client.updateOffer(id, withId(documents.offer, client.url('offers', id)));
  });

  after(async(): Promise<void> => {
    await fake.stop();
  });

  it('answers documents shaped like the examples, ofn: extensions included', async(): Promise<void> => {
    assertShapedLike(await getJson(fake, '/catalog_items'), responseExample('/api/dfc/enterprises/{enterprise_id}/catalog_items'),
      'GET catalog_items');
    assertShapedLike(await getJson(fake, `/catalog_items/${id}`),
      responseExample('/api/dfc/enterprises/{enterprise_id}/catalog_items/{id}'), 'GET catalog_item');
    assertShapedLike(await getJson(fake, `/supplied_products/${id}`),
      responseExample('/api/dfc/enterprises/{enterprise_id}/supplied_products/{id}'), 'GET supplied_product');
    assertShapedLike(await getJson(fake, `/offers/${id}`), responseExample('/api/dfc/enterprises/{enterprise_id}/offers/{id}'),
      'GET offer');
    // The enterprise and its catalog; the fake has no address, contact person, social media or groups to serve.
    const enterprise = responseExample('/api/dfc/enterprises/{id}');
    assertShapedLike(await getJson(fake, ''), { ...enterprise, '@graph': nodesOf(enterprise).filter((node): boolean =>
      [ 'dfc-b:Enterprise', 'dfc-b:SuppliedProduct', 'dfc-b:CatalogItem' ].includes(node['@type'] as string)) }, 'GET enterprise',
    [ '@id', '@type', 'dfc-b:name', 'dfc-b:manages', 'dfc-b:supplies', 'ofn:contact_name', 'dfc-b:hasQuantity', 'dfc-b:references',
      'dfc-b:sku', 'dfc-b:stockLimitation', 'ofn:spree_product_id' ]);
  });

  it('takes the OpenAPI\'s own request examples', async(): Promise<void> => {
    const requests: [string, string, Json, number][] = [
      [ 'POST', '/supplied_products', requestExample('/api/dfc/enterprises/{enterprise_id}/supplied_products', 'post'), 200 ],
      [ 'PUT', `/supplied_products/${id}`, requestExample('/api/dfc/enterprises/{enterprise_id}/supplied_products/{id}', 'put'), 204 ],
      [ 'PUT', `/catalog_items/${id}`, requestExample('/api/dfc/enterprises/{enterprise_id}/catalog_items/{id}', 'put'), 204 ],
      [ 'PUT', `/offers/${id}`, requestExample('/api/dfc/enterprises/{enterprise_id}/offers/{id}', 'put'), 204 ],
    ];
    for (const [ method, path, body, status ] of requests) {
      const response = await fetch(`${fake.enterpriseUrl}${path}`, { method, body: JSON.stringify(body),
        headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' }});
      assert.equal(response.status, status, `${method} ${path}: ${await response.text()}`);
    }
    const variant = fake.variants.get(id)!;
    assert.deepEqual([ variant.name, variant.sku, variant.onHand, variant.price ], [ 'Pesto novo', 'new-sku', 7, 9.99 ]);
  });

  it('refuses a wrong token (401), malformed JSON-LD and documents of the wrong kind (400, with the reason)', async(): Promise<void> => {
    const attempts: [Record<string, string>, string, string, number, RegExp][] = [
      [{ authorization: 'Bearer nope' }, '/supplied_products', '{}', 401, /^$/u ],
      [{}, '/supplied_products', '{"@context": "https://w3id.org/dfc/ontology/context/context_1.16.0.json", "@id": ', 400, /^Not DFC JSON-LD/u ],
      [{}, '/supplied_products', '{"@context": "https://example.org/other-context", "@type": "x"}', 400, /^Not DFC JSON-LD: Remote JSON-LD context/u ],
      [{}, '/supplied_products', JSON.stringify({ '@context': 'https://w3id.org/dfc/ontology/context/context_1.16.0.json',
        '@type': 'dfc-b:Offer' }), 400, /^Expected one dfc-b:SuppliedProduct, found 0$/u ],
      [{}, '/supplied_products', JSON.stringify({ '@context': 'https://w3id.org/dfc/ontology/context/context_1.16.0.json',
        '@type': 'dfc-b:SuppliedProduct', 'dfc-b:name': 'x', 'dfc-b:hasQuantity': { '@type': 'dfc-b:QuantitativeValue',
          'dfc-b:hasUnit': 'dfc-m:Gram', 'dfc-b:value': 'lots' }}), 400, /hasQuantity|must be a number/u ],
    ];
    for (const [ headers, path, body, status, reason ] of attempts) {
      const response = await fetch(`${fake.enterpriseUrl}${path}`, { method: 'POST', body,
        headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json', ...headers }});
      assert.equal(response.status, status, body);
      assert.match(await response.text(), reason);
    }
  });
});

describe('The OFN bridge\'s documents, read by the DFC connector', (): void => {
  it('import with @datafoodconsortium/connector offline, with the same name, quantity and price', async(): Promise<void> => {
    const connector = new Connector();
    connector.setDefaultImporter(new ConnectorImporterJsonldStream({ documentLoader: new DfcDocumentLoader() }));
    const [ carrots ] = generateProducts(1);
    const documents = productToOfn(carrots, 'https://pod.example/catalog/carrots#product');
    const [ product ] = await connector.import(JSON.stringify(documents.suppliedProduct)) as ISuppliedProduct[];
    assert.equal(product.getName(), carrots.name);
    const quantity = product.getQuantity() as IQuantity;
    assert.equal(Number(quantity.getQuantityValue()), carrots.quantity.value);
    // The unit as the connector holds it (its getter would fetch the measures taxonomy: no network in tests).
    assert.equal(quantity.getSemanticProperty('dfc-b:hasUnit'), 'dfc-m:Kilogram');
    const [ offer ] = await connector.import(JSON.stringify(withId(documents.offer, 'http://ofn.test/offers/1'))) as IOffer[];
    const price = offer.getPrice() as IPrice;
    assert.equal(Number(price.getQuantityValue()), carrots.price.value);
    assert.equal(price.getSemanticProperty('dfc-b:hasUnit'), 'dfc-m:Euro');
    assert.equal(Number(offer.getStockLimitation()), carrots.stock);
  });
});
