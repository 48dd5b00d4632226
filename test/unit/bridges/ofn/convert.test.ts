import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ofnToProduct, readOfnRecords } from '../../../../bridges/ofn/mapping';
import { quadsToTurtle } from '../../../../shapes/access/podIo';
import { productToQuads, quadsToProduct } from '../../../../shapes/access/productRdf';
import { ResourceGraph } from '../../../../shapes/access/rdf';
import { generateProducts } from '../../../../shapes/demo/catalogData';
import { DFC_M } from '../../../../shapes/namespaces';
import { parseRdf } from '../../../../shapes/parseRdf';
import { validateDataset } from '../../../../shapes/validateDataset';
import { runFmp } from '../../../harness/cli';
import { DFC_FIXTURES } from '../../shapes/fixtures';

describe('fmp bridge ofn convert', (): void => {
  let folder: string;
  const [ , , beetroot ] = generateProducts(3);

  before(async(): Promise<void> => {
    folder = await mkdtemp(join(tmpdir(), 'fmp-ofn-convert-'));
  });

  after(async(): Promise<void> => {
    await rm(folder, { recursive: true, force: true });
  });

  it('turns pod Turtle into the DFC JSON-LD OFN holds, which reads back as the same product', async(): Promise<void> => {
    const path = join(folder, `${beetroot.slug}.ttl`);
    await writeFile(path, quadsToTurtle(productToQuads(`https://pod.example/alice/catalog/${beetroot.slug}`, beetroot)));
    const result = await runFmp([ 'bridge', 'ofn', 'convert', '--from', 'pod', path ]);
    assert.equal(result.code, 0, result.stderr);
    const document = JSON.parse(result.stdout) as { '@context': string; '@graph': { '@type': string }[] };
    assert.equal(document['@context'], 'https://w3id.org/dfc/ontology/context/context_1.16.0.json');
    assert.deepEqual(document['@graph'].map((node): string => node['@type']), [ 'dfc-b:CatalogItem', 'dfc-b:SuppliedProduct', 'dfc-b:Offer' ]);
    const [ record ] = readOfnRecords(await parseRdf(result.stdout, 'application/ld+json', 'https://pod.invalid/'));
    assert.deepEqual(ofnToProduct(record, beetroot), beetroot);
  });

  it('turns a real Food Data Collaboration catalog into pod Turtle the catalog shapes accept', async(): Promise<void> => {
    const result = await runFmp([ 'bridge', 'ofn', 'convert', '--from', 'ofn', join(DFC_FIXTURES, '..', 'dfc-real', 'fdc-catalog.json') ]);
    assert.equal(result.code, 0, result.stderr);
    const quads = await parseRdf(result.stdout, 'text/turtle', 'https://pod.invalid/catalog/');
    assert.ok(validateDataset('catalog', quads).conforms);
    const items = quads.filter((quad): boolean => quad.object.value.endsWith('#CatalogItem'));
    assert.equal(items.length, 8);
    const vinegarUrl = items.map((quad): string => quad.subject.value.split('#')[0])
      .find((url): boolean => url.includes('apple-balsamic-vinegar-case'))!;
    const vinegar = quadsToProduct('x', new ResourceGraph(quads.filter((quad): boolean => quad.subject.value.startsWith(vinegarUrl))));
    assert.deepEqual([ vinegar?.sku, vinegar?.stock, vinegar?.price ], [ 'LIB/NABVI/C6', 5,
      { value: 30.2, currency: DFC_M('PoundSterling'), vatRate: 0 }]);
  });

  it('says in one line what it cannot convert, and exits 1', async(): Promise<void> => {
    const notCatalog = await runFmp([ 'bridge', 'ofn', 'convert', '--from', 'ofn',
      join(DFC_FIXTURES, '..', 'dfc-real', 'dfc-prototype-supplied-product.json') ]);
    assert.deepEqual([ notCatalog.code, notCatalog.stdout ], [ 1, '' ]);
    assert.match(notCatalog.stderr, /^fmp: .*dfc-prototype-supplied-product\.json: holds no dfc-b:CatalogItem, so no product to convert\n$/u);
    const path = join(folder, 'priced-in-kilograms.ttl');
    await writeFile(path, quadsToTurtle(productToQuads('https://pod.example/alice/catalog/x', beetroot)).replace('dfc-m:Euro', 'dfc-m:Kilogram'));
    const refused = await runFmp([ 'bridge', 'ofn', 'convert', '--from', 'pod', path ]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^fmp: .*priced-in-kilograms\.ttl: breaks the catalog shapes: .*currency.*\n$/u);
  });
});
