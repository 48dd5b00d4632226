import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ofnToProduct, readOfnRecords } from '../../bridges/ofn/mapping';
import type { BridgeStatus } from '../../bridges/runtime/BridgeService';
import { getProduct, listProducts, saveProduct } from '../../shapes/access/products';
import type { Product } from '../../shapes/access/types';
import { generateProducts } from '../../shapes/demo/catalogData';
import { formatViolations } from '../../shapes/formatViolations';
import { DFC_M } from '../../shapes/namespaces';
import { parseRdf } from '../../shapes/parseRdf';
import { validateDataset } from '../../shapes/validateDataset';
import type { FakeVariant } from '../fakes/ofn/OfnFake';
import { OfnFake } from '../fakes/ofn/OfnFake';
import { runFmp } from '../harness/cli';
import { getFreePort } from '../harness/freePort';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import type { TestServer } from '../harness/servers';
import { startTestServer } from '../harness/servers';
import { eventually, sleep } from '../harness/eventually';
import { spawnBridgeWorker } from '../harness/bridgeWorkerProcess';
import { readFixture, readRealFixture } from '../unit/shapes/fixtures';

const WEBHOOK_TOKEN = 'ofn-refresh-token';

function connectArgs(who: TestMember, fake: OfnFake, server: string): string[] {
  return [ 'bridge', 'ofn', 'connect', who.name, '--ofn', fake.url, '--enterprise', fake.enterpriseId, '--token', fake.token,
    '--webhook-token', WEBHOOK_TOKEN, '--server', server, '--client-id', who.clientId, '--client-secret', who.clientSecret ];
}

describe('The Open Food Network bridge', function(this: Mocha.Suite): void {
  this.timeout(300_000);
  let fmp: TestServer;
  let fake: OfnFake;
  let member: TestMember;
  let auth: string[];
  const catalog = generateProducts(30);

  async function bridgeStatus(): Promise<BridgeStatus> {
    const result = await runFmp([ 'bridge', 'ofn', 'status', member.name, '--json', ...auth ]);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as BridgeStatus;
  }

  async function idle(): Promise<BridgeStatus> {
    return eventually('the bridge to be idle', async(): Promise<BridgeStatus | undefined> => {
      const status = await bridgeStatus();
      return status.queue === 0 ? status : undefined;
    });
  }

  /** The enterprise's catalog as OFN's API answers it, parsed. */
  async function ofnCatalog(): ReturnType<typeof parseRdf> {
    const response = await fetch(`${fake.enterpriseUrl}/catalog_items`, { headers: { authorization: `Bearer ${fake.token}` }});
    assert.equal(response.status, 200);
    return parseRdf(await response.text(), 'application/ld+json', fake.enterpriseUrl);
  }

  before(async(): Promise<void> => {
    fake = await new OfnFake().start();
    fmp = await startTestServer(undefined, undefined, { bridges: true });
    member = await createTestMember(fmp.baseUrl, uniqueName('ofn'));
    auth = [ '--server', fmp.baseUrl, '--client-id', member.clientId, '--client-secret', member.clientSecret ];
    for (const product of catalog) {
      await saveProduct(member.pod, product, { fetch: member.fetch });
    }
    fake.setWebhookTarget(new URL(`.fmp/bridges/ofn/webhooks/${member.name}`, fmp.baseUrl).href, WEBHOOK_TOKEN);
    const connected = await runFmp(connectArgs(member, fake, fmp.baseUrl));
    assert.equal(connected.code, 0, connected.stderr);
    assert.match(connected.stdout, /\/\.fmp\/bridges\/ofn\/webhooks\//u);
  });

  after(async(): Promise<void> => {
    await fmp?.destroy();
    await fake?.stop();
  });

  it('publishes the demo farm\'s catalog as valid DFC that reads back as the very same products.', async(): Promise<void> => {
    await eventually('the whole catalog at OFN', (): boolean => catalog.every((product): boolean =>
      fake.variantsWithSku(product.sku).length === 1));
    await idle();
    const quads = await ofnCatalog();
    assert.deepEqual(formatViolations(validateDataset('catalog', quads)), [], 'OFN\'s answer is DFC the pod accepts');
    const records = readOfnRecords(quads);
    assert.equal(records.length, catalog.length);
    for (const product of catalog) {
      const record = records.find((candidate): boolean => candidate.sku === product.sku)!;
      assert.deepEqual(ofnToProduct(record, product), product, `${product.slug} comes back as it went`);
    }
    const carrots = fake.variantsWithSku(catalog[0].sku)[0];
    assert.deepEqual([ carrots.measure, carrots.unitValue, carrots.price ], [ 'weight', 1000, 2.4 ], 'OFN stores 1 kg as 1000 g');
    assert.ok(carrots.semanticLinks[0].endsWith(`/catalog/${catalog[0].slug}#product`), 'OFN links the variant to the pod');
  });

  it('takes a stock or price change made at OFN into the pod through the refresh event, and does not send it back.',
    async(): Promise<void> => {
      await idle();
      const beans = catalog[2];
      const variant = fake.variantsWithSku(beans.sku)[0];
      const writesBefore = fake.writes().length;
      assert.equal(await fake.editInAdmin(variant.id, { price: 3.75, stock: 4 }), 200);
      const inPod = await eventually('the OFN change in the pod', async(): Promise<Product | undefined> => {
        const current = await getProduct(member.pod, beans.slug, { fetch: member.fetch });
        return current?.price.value === 3.75 && current.stock === 4 ? current : undefined;
      });
      assert.deepEqual(inPod, { ...beans, stock: 4, price: { ...beans.price, value: 3.75 }}, 'what OFN did not change stays');
      await idle();
      await sleep(1500);
      await idle();
      assert.equal(fake.writes().length, writesBefore, 'the change that came from OFN is not sent back to it');
    });

  it('refuses a refresh event without the webhook token: nothing is read or changed.', async(): Promise<void> => {
    await idle();
    const variant = fake.variantsWithSku(catalog[3].sku)[0];
    variant.price = 9.99;
    const readsBefore = fake.requests.length;
    assert.equal(await fake.sendRefresh('not-the-token'), 401);
    await sleep(1500);
    assert.equal(fake.requests.length, readsBefore, 'the bridge did not even read OFN');
    assert.equal((await getProduct(member.pod, catalog[3].slug, { fetch: member.fetch }))?.price.value, catalog[3].price.value);
    variant.price = catalog[3].price.value;
  });

  it('imports a product made at OFN, with OFN\'s own extensions, into the pod.', async(): Promise<void> => {
    const made = await fake.createInAdmin({ name: 'Basil Pesto', measure: 'weight', unitValue: 190, price: 4.5, sku: 'PESTO',
      productType: 'https://github.com/datafoodconsortium/taxonomies/releases/latest/download/productTypes.rdf#processed-vegetable' });
    const imported = await eventually('the OFN product in the pod', async(): Promise<Product | undefined> =>
      (await listProducts(member.pod, { fetch: member.fetch })).find((product): boolean => product.sku === 'PESTO'));
    assert.deepEqual(imported, { slug: `basil-pesto-190g-ofn-${made.id}`, name: 'Basil Pesto - 190g', sku: 'PESTO',
      productType: made.productType, quantity: { value: 190, unit: DFC_M('Gram') }, price: { value: 4.5, currency: DFC_M('Euro') }});
    await idle();
    await sleep(1000);
    await idle();
    assert.equal(fake.variantsWithSku('PESTO').length, 1, 'the imported product is not sent back as a new one');
  });

  it('stores real DFC documents as OFN and other platforms publish them, by a plain PUT.', async(): Promise<void> => {
    const documents: [string, string][] = [
      [ 'ofn-catalog-items', readFixture('ofn-catalog-items.json') ],
      [ 'ofn-supplied-product', readFixture('ofn-supplied-product.json') ],
      [ 'fdc-catalog', readRealFixture('fdc-catalog.json') ],
      [ 'fdc-product', readRealFixture('fdc-product.json') ],
      [ 'dfc-prototype-product', readRealFixture('dfc-prototype-supplied-product.json') ],
    ];
    // A member of their own: these catalogs are priced in other currencies than the connected OFN's.
    const other = await createTestMember(fmp.baseUrl, uniqueName('dfcreal'));
    for (const [ name, text ] of documents) {
      const url = `${other.pod}catalog/real-${name}`;
      const put = await other.fetch(url, { method: 'PUT', headers: { 'content-type': 'application/ld+json' }, body: text });
      assert.ok(put.ok, `${name}: ${put.status} ${await put.text()}`);
      const stored = await other.fetch(url, { headers: { accept: 'text/turtle' }});
      assert.equal(stored.status, 200, name);
      assert.match(await stored.text(), /DFC_BusinessOntology\.owl#|dfc-b:/u, name);
    }
    const stored = await (await other.fetch(`${other.pod}catalog/real-ofn-catalog-items`, { headers: { accept: 'text/turtle' }})).text();
    assert.match(stored, /spree_product_id/u, 'OFN\'s extensions are kept, not refused');
    const steak = await getProduct(other.pod, 'real-fdc-product', { fetch: other.fetch });
    assert.deepEqual([ steak?.name, steak?.price.value, steak?.stock ], [ 'Fillet Steak - 201g x 1 Steak', 12.06, 11 ],
      'the pod reads the stored FDC document as a product');
  });

  it('refuses malformed JSON-LD with one clear error and stores nothing.', async(): Promise<void> => {
    const url = `${member.pod}catalog/malformed`;
    const put = await member.fetch(url, { method: 'PUT', headers: { 'content-type': 'application/ld+json' },
      body: '{"@context": "https://w3id.org/dfc/ontology/context/context_1.16.0.json", "@id": "#x", "dfc-b:name": }' });
    assert.equal(put.status, 400);
    assert.equal((await put.text()).trim().split('\n').length, 1, 'one line says what is wrong');
    assert.equal((await member.fetch(url)).status, 404);
    const folder = await mkdtemp(join(tmpdir(), 'fmp-ofn-convert-'));
    try {
      const file = join(folder, 'broken.json');
      await writeFile(file, '{"@context": "https://w3id.org/dfc/ontology/context/context_1.16.0.json", "@graph": [');
      const converted = await runFmp([ 'bridge', 'ofn', 'convert', '--from', 'ofn', file ]);
      assert.equal(converted.code, 1);
      assert.equal(converted.stdout, '');
      assert.match(converted.stderr, /^fmp: .*broken\.json: .+\n$/u);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('waits out a throttled or failing OFN and loses nothing; a refusal is a dead letter with OFN\'s reason.', async(): Promise<void> => {
    fake.throttleNext(2);
    fake.failNext(2, 503, '1');
    const peas: Product = { ...catalog[4], slug: 'ofn-peas', name: 'Peas', sku: 'PEAS-1' };
    await saveProduct(member.pod, peas, { fetch: member.fetch });
    await eventually('peas at OFN despite throttling and 503s', (): boolean => fake.variantsWithSku('PEAS-1').length === 1);
    assert.deepEqual((await idle()).deadLetters, []);

    const dollars: Product = { ...catalog[5], slug: 'ofn-dollars', sku: 'USD-1', price: { ...catalog[5].price, currency: DFC_M('USDollar') }};
    await saveProduct(member.pod, dollars, { fetch: member.fetch });
    const status = await eventually('a dead letter', async(): Promise<BridgeStatus | undefined> => {
      const current = await bridgeStatus();
      return current.deadLetters.length > 0 ? current : undefined;
    });
    assert.match(status.deadLetters[0].reason ?? '', /400.*sells in/u);
  });
});

describe('The Open Food Network bridge worker killed mid-sync', function(this: Mocha.Suite): void {
  this.timeout(300_000);
  let fmp: TestServer;
  let fake: OfnFake;
  let folder: string;
  let worker: ChildProcess | undefined;
  let workerPort: number;

  function startWorker(): ChildProcess {
    return spawnBridgeWorker(fmp.baseUrl, folder, workerPort);
  }


  before(async(): Promise<void> => {
    folder = await mkdtemp(join(tmpdir(), 'fmp-ofn-worker-'));
    workerPort = await getFreePort();
    fake = await new OfnFake().start();
    fmp = await startTestServer(undefined, undefined, { bridgeWorkerUrl: `http://127.0.0.1:${workerPort}/` });
  });

  after(async(): Promise<void> => {
    worker?.kill('SIGKILL');
    await fmp?.destroy();
    await fake?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('leaves no duplicate product at OFN after SIGKILL and a restart.', async(): Promise<void> => {
    const member = await createTestMember(fmp.baseUrl, uniqueName('ofnkill'));
    const products = generateProducts(40);
    for (const product of products) {
      await saveProduct(member.pod, product, { fetch: member.fetch });
    }
    worker = startWorker();
    fake.setWebhookTarget(new URL(`.fmp/bridges/ofn/webhooks/${member.name}`, fmp.baseUrl).href, WEBHOOK_TOKEN);
    await eventually('the worker to connect the member', async(): Promise<boolean> =>
      (await runFmp(connectArgs(member, fake, fmp.baseUrl))).code === 0, 60_000);
    await eventually('a few products sent', (): boolean => fake.variants.size >= 5, 60_000);
    worker.kill('SIGKILL');
    await new Promise((resolve): void => {
      worker!.once('exit', resolve);
    });
    const sentBeforeKill = fake.variants.size;
    assert.ok(sentBeforeKill < products.length, `the kill came too late to test anything (${sentBeforeKill} sent)`);

    worker = startWorker();
    await eventually('every product at OFN', (): boolean =>
      products.every((product): boolean => fake.variantsWithSku(product.sku).length >= 1), 120_000);
    const variants: FakeVariant[] = [ ...fake.variants.values() ];
    for (const product of products) {
      assert.equal(fake.variantsWithSku(product.sku).length, 1, `${product.sku} is at OFN once`);
    }
    assert.equal(variants.length, products.length, 'no product without SKU was left behind either');
  });
});
