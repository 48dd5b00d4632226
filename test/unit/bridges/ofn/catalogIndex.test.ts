import { strict as assert } from 'node:assert';
import type { Quad } from '@rdfjs/types';
import { CatalogIndex } from '../../../../bridges/ofn/CatalogIndex';
import type { OfnClient } from '../../../../bridges/ofn/OfnClient';
import { DFC_CONTEXT } from '../../../../bridges/ofn/vocabulary';
import { DFC_M } from '../../../../shapes/namespaces';
import { parseRdf } from '../../../../shapes/parseRdf';

const BASE = 'http://ofn.test/api/dfc/enterprises/1';

/** An OFN catalog answer with one variant, as OFN writes it (name with the unit appended, grams). */
async function catalogWith(id: string, sku: string | undefined): Promise<Quad[]> {
  return parseRdf(JSON.stringify({ '@context': DFC_CONTEXT, '@graph': [
    { '@id': `${BASE}/catalog_items/${id}`, '@type': 'dfc-b:CatalogItem', 'dfc-b:references': `${BASE}/supplied_products/${id}`,
      ...sku === undefined ? {} : { 'dfc-b:sku': sku }, 'dfc-b:offeredThrough': `${BASE}/offers/${id}` },
    { '@id': `${BASE}/supplied_products/${id}`, '@type': 'dfc-b:SuppliedProduct', 'dfc-b:name': 'Carrots - 1000g',
      'dfc-b:hasQuantity': { '@type': 'dfc-b:QuantitativeValue', 'dfc-b:hasUnit': 'dfc-m:Gram', 'dfc-b:value': 1000 }},
  ]}), 'application/ld+json', BASE);
}

function clientReading(quads: Quad[]): { client: OfnClient; reads: () => number } {
  let reads = 0;
  const client = { catalog: async(): Promise<Quad[]> => {
    reads += 1;
    return quads;
  } } as unknown as OfnClient;
  return { client, reads: (): number => reads };
}

describe('The OFN catalog index', (): void => {
  const kilo = { value: 1, unit: DFC_M('Kilogram') };

  it('finds a product sent before by its SKU, reading the catalog once for many lookups', async(): Promise<void> => {
    const { client, reads } = clientReading(await catalogWith('7', 'VAL-0001'));
    const index = new CatalogIndex(client);
    assert.equal(await index.find('VAL-0001', 'Carrots', kilo), '7');
    assert.equal(await index.find('VAL-0002', 'Beetroot', kilo), undefined);
    index.add('8', 'VAL-0002');
    assert.equal(await index.find('VAL-0002', 'Beetroot', kilo), '8', 'what the bridge created is found without reading again');
    assert.equal(reads(), 1);
  });

  it('adopts a product created without its SKU yet (a crash between the POST and the SKU), by name and amount', async(): Promise<void> => {
    const index = new CatalogIndex(clientReading(await catalogWith('9', undefined)).client);
    assert.equal(await index.find('VAL-0001', 'Carrots', kilo), '9', 'OFN\'s "Carrots - 1000g" is the pod\'s 1 kg of Carrots');
    assert.equal(await index.find('VAL-0001', 'Carrots', { value: 2, unit: DFC_M('Kilogram') }), undefined);
    assert.equal(await index.find('VAL-0001', 'Carrot cake', kilo), undefined);
  });

  it('reads the catalog again once it is a few minutes old', async(): Promise<void> => {
    let now = 0;
    const { client, reads } = clientReading(await catalogWith('7', 'VAL-0001'));
    const index = new CatalogIndex(client, (): number => now);
    await index.find('X', 'x', kilo);
    now += 4 * 60_000;
    await index.find('X', 'x', kilo);
    assert.equal(reads(), 1);
    now += 2 * 60_000;
    await index.find('X', 'x', kilo);
    assert.equal(reads(), 2);
  });
});
