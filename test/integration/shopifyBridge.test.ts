import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BridgeStatus } from '../../bridges/runtime/BridgeService';
import { getProduct, saveProduct } from '../../shapes/access/products';
import type { Product } from '../../shapes/access/types';
import { generateProducts } from '../../shapes/demo/catalogData';
import { ConsentApi } from '../../src/client/ConsentApi';
import type { FakeProduct } from '../fakes/shopify/ShopifyFakeStore';
import { ShopifyFake } from '../fakes/shopify/ShopifyFake';
import { runFmp } from '../harness/cli';
import { getFreePort } from '../harness/freePort';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import type { TestServer } from '../harness/servers';
import { startTestServer } from '../harness/servers';
import { eventually, sleep } from '../harness/eventually';
import { spawnBridgeWorker } from '../harness/bridgeWorkerProcess';

const SECRET = 'whsec-test-secret';


function productsWithHandle(fake: ShopifyFake, handle: string): FakeProduct[] {
  return [ ...fake.store.products.values() ].filter((product): boolean => product.handle === handle);
}

function gidOf(product: FakeProduct): string {
  return `gid://shopify/Product/${product.id}`;
}

describe('The Shopify bridge', function(this: Mocha.Suite): void {
  this.timeout(240_000);
  let fmp: TestServer;
  let fake: ShopifyFake;
  let member: TestMember;
  let auth: string[];

  async function bridgeStatus(who: TestMember): Promise<BridgeStatus> {
    const result = await runFmp([ 'bridge', 'shopify', 'status', who.name, '--json', '--server', fmp.baseUrl,
      '--client-id', who.clientId, '--client-secret', who.clientSecret ]);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as BridgeStatus;
  }

  /** Waits until the bridge has nothing left to do for the member. */
  async function idle(who: TestMember): Promise<BridgeStatus> {
    return eventually('the bridge to be idle', async(): Promise<BridgeStatus | undefined> => {
      const status = await bridgeStatus(who);
      return status.queue === 0 ? status : undefined;
    });
  }

  async function connect(who: TestMember, shop: ShopifyFake): Promise<void> {
    shop.setWebhookTarget(new URL(`.fmp/bridges/shopify/webhooks/${who.name}`, fmp.baseUrl).href, SECRET);
    const connected = await runFmp([ 'bridge', 'shopify', 'connect', who.name, '--shop', shop.url, '--token', shop.accessToken,
      '--webhook-secret', SECRET, '--server', fmp.baseUrl, '--client-id', who.clientId, '--client-secret', who.clientSecret ]);
    assert.equal(connected.code, 0, connected.stderr);
    assert.match(connected.stdout, /\/\.fmp\/bridges\/shopify\/webhooks\//u);
  }

  before(async(): Promise<void> => {
    fake = await new ShopifyFake({ currencyCode: 'EUR' }).start();
    fmp = await startTestServer(undefined, undefined, { bridges: true });
    member = await createTestMember(fmp.baseUrl, uniqueName('shop'));
    auth = [ '--server', fmp.baseUrl, '--client-id', member.clientId, '--client-secret', member.clientSecret ];
    await saveProduct(member.pod, generateProducts(1)[0], { fetch: member.fetch });
    await connect(member, fake);
  });

  after(async(): Promise<void> => {
    await fmp?.destroy();
    await fake?.stop();
  });

  it('sends the catalog on connect, and follows a product created, changed and deleted in the pod.', async(): Promise<void> => {
    const [ first ] = generateProducts(1);
    await eventually('the first sync', (): boolean => productsWithHandle(fake, first.slug).length === 1);

    const carrots: Product = { ...generateProducts(2)[1], slug: 'bridge-carrots', name: 'Carrots', stock: 12,
      price: { ...first.price, value: 2.4 } };
    await saveProduct(member.pod, carrots, { fetch: member.fetch });
    const created = await eventually('the new product in Shopify', (): FakeProduct | undefined =>
      productsWithHandle(fake, 'bridge-carrots')[0]);
    assert.equal(created.title, 'Carrots');
    assert.equal(created.variants[0].price, '2.40');
    assert.equal(fake.store.available(created.variants[0].inventoryItemId), 12);

    await saveProduct(member.pod, { ...carrots, price: { ...carrots.price, value: 2.9 }, stock: 7 }, { fetch: member.fetch });
    await eventually('the new price in Shopify', (): boolean => created.variants[0].price === '2.90');
    await eventually('the new stock in Shopify', (): boolean => fake.store.available(created.variants[0].inventoryItemId) === 7);

    assert.equal((await member.fetch(`${member.pod}catalog/bridge-carrots`, { method: 'DELETE' })).status, 205);
    await eventually('the product archived in Shopify', (): boolean => created.status === 'ARCHIVED');
    assert.equal(productsWithHandle(fake, 'bridge-carrots').length, 1, 'archived, not duplicated or deleted');
  });

  it('takes a price or stock change made in Shopify into the pod, and does not send it back.', async(): Promise<void> => {
    const beans: Product = { ...generateProducts(3)[2], slug: 'bridge-beans', name: 'Beans', stock: 20 };
    await saveProduct(member.pod, beans, { fetch: member.fetch });
    const product = await eventually('beans in Shopify', (): FakeProduct | undefined => productsWithHandle(fake, 'bridge-beans')[0]);
    await idle(member);
    const setsBefore = fake.applied('productSet').length + fake.applied('inventorySetQuantities').length;

    const sent = await fake.editInAdmin(gidOf(product), { price: '3.75', available: 4 });
    assert.ok(sent.every((webhook): boolean => webhook.status === 200), JSON.stringify(sent.map((webhook): number => webhook.status)));
    const inPod = await eventually('the Shopify change in the pod', async(): Promise<Product | undefined> => {
      const current = await getProduct(member.pod, 'bridge-beans', { fetch: member.fetch });
      return current?.price.value === 3.75 && current.stock === 4 ? current : undefined;
    });
    assert.equal(inPod.name, 'Beans', 'what Shopify did not change stays');
    await idle(member);
    await sleep(1500);
    await idle(member);
    assert.equal(fake.applied('productSet').length + fake.applied('inventorySetQuantities').length, setsBefore,
      'the change that came from Shopify is not sent back to it');
  });

  it('refuses a tampered webhook (401) and ignores a replayed one: neither changes the pod.', async(): Promise<void> => {
    const product = productsWithHandle(fake, 'bridge-beans')[0];
    await fake.editInAdmin(gidOf(product), { price: '4.10' });
    await eventually('the price in the pod', async(): Promise<boolean> =>
      (await getProduct(member.pod, 'bridge-beans', { fetch: member.fetch }))?.price.value === 4.1);
    await idle(member);

    const replayed = await fake.replayLastWebhook();
    assert.equal(replayed.status, 200);
    // A replay of an old change after a newer one: were it taken, the bridge would read Shopify again and take 9.99.
    product.variants[0].price = '9.99';
    const replayedOld = await fake.replayLastWebhook();
    assert.equal(replayedOld.status, 200);
    const tampered = await fake.sendTamperedWebhook();
    assert.equal(tampered.status, 401);
    await sleep(1500);
    await idle(member);
    assert.equal((await getProduct(member.pod, 'bridge-beans', { fetch: member.fetch }))?.price.value, 4.1);
  });

  it('waits out a throttled or failing Shopify and loses nothing.', async(): Promise<void> => {
    fake.throttleNext(2);
    fake.failNext(2, 503, '1');
    const peas: Product = { ...generateProducts(4)[3], slug: 'bridge-peas', name: 'Peas' };
    await saveProduct(member.pod, peas, { fetch: member.fetch });
    await eventually('peas in Shopify despite throttling and 503s', (): boolean =>
      productsWithHandle(fake, 'bridge-peas').length === 1, 60_000);
    const status = await idle(member);
    assert.deepEqual(status.deadLetters, []);
  });

  it('puts a change Shopify refuses on the dead-letter list with its reason, and retries it after a fix.', async(): Promise<void> => {
    const [ first ] = generateProducts(1);
    // Shopify sells in euros; a price in another currency is refused by the mapping, with the reason.
    const dollars: Product = { ...first, slug: 'bridge-dollars', name: 'Imported tea',
      price: { ...first.price, currency: 'https://github.com/datafoodconsortium/taxonomies/releases/latest/download/measures.rdf#USDollar' } };
    await saveProduct(member.pod, dollars, { fetch: member.fetch });
    const status = await eventually('a dead letter', async(): Promise<BridgeStatus | undefined> => {
      const current = await bridgeStatus(member);
      return current.deadLetters.length > 0 ? current : undefined;
    });
    assert.match(status.deadLetters[0].reason ?? '', /USD|currency/u);
    assert.equal(productsWithHandle(fake, 'bridge-dollars').length, 0);
    await saveProduct(member.pod, { ...dollars, price: first.price }, { fetch: member.fetch });
    const retried = await runFmp([ 'bridge', 'shopify', 'retry', member.name, ...auth ]);
    assert.equal(retried.code, 0, retried.stderr);
    await eventually('the fixed product in Shopify', (): boolean => productsWithHandle(fake, 'bridge-dollars').length === 1);
    await eventually('no dead letters', async(): Promise<boolean> => (await bridgeStatus(member)).deadLetters.length === 0);
  });

  it('reconciles a pod restored from a snapshot without the member doing anything.', async(): Promise<void> => {
    await idle(member);
    const snapshot = await runFmp([ 'snapshot', member.name, '--json', ...auth ]);
    assert.equal(snapshot.code, 0, snapshot.stderr);
    const peas = (await getProduct(member.pod, 'bridge-peas', { fetch: member.fetch }))!;
    await saveProduct(member.pod, { ...peas, name: 'Peas (changed)', price: { ...peas.price, value: 8 } }, { fetch: member.fetch });
    const product = productsWithHandle(fake, 'bridge-peas')[0];
    await eventually('the changed peas in Shopify', (): boolean => product.title === 'Peas (changed)');
    const restored = await runFmp([ 'restore', member.name, ...auth ]);
    assert.equal(restored.code, 0, restored.stderr);
    await eventually('Shopify back as the snapshot had it', (): boolean => product.title === 'Peas' &&
      Number(product.variants[0].price) === peas.price.value);
  });

  it('stops at once when the member revokes the bridge\'s grant, and says so in status.', async(): Promise<void> => {
    const other = await createTestMember(fmp.baseUrl, uniqueName('revoker'));
    const otherShop = await new ShopifyFake({ currencyCode: 'EUR' }).start();
    try {
      await connect(other, otherShop);
      const consent = new ConsentApi(fmp.baseUrl, other.name, other.fetch);
      const [ grant ] = (await consent.listGrants('active')).filter((g): boolean => g.purpose.text === 'Shopify bridge');
      assert.ok(grant, 'connect made a grant for the bridge');
      await consent.revokeGrant(grant.id);
      await saveProduct(other.pod, { ...generateProducts(1)[0], slug: 'after-revoke' }, { fetch: other.fetch });
      const status = await eventually('the bridge to stop', async(): Promise<BridgeStatus | undefined> => {
        const current = await bridgeStatus(other);
        return current.pausedBecause ? current : undefined;
      });
      assert.match(status.pausedBecause!, /grant/u);
      await sleep(1500);
      assert.equal(productsWithHandle(otherShop, 'after-revoke').length, 0, 'nothing is sent without a grant');
    } finally {
      await otherShop.stop();
    }
  });

  it('carries on without duplicates for a pod moved elsewhere: the link table travels with the export.', async(): Promise<void> => {
    await idle(member);
    // The bridge writes its link table back once it has been idle for a moment.
    await sleep(2500);
    const folder = await mkdtemp(join(tmpdir(), 'fmp-bridge-move-'));
    try {
      const archive = join(folder, 'pod.tar');
      const exported = await runFmp([ 'export', member.name, '-o', archive, ...auth ]);
      assert.equal(exported.code, 0, exported.stderr);
      // The same pod in a new home (as fmp move does it: an import into an empty pod, IRIs rewritten), connected again.
      const moved = await createTestMember(fmp.baseUrl, uniqueName('moved'));
      const imported = await runFmp([ 'import', moved.name, archive, '--server', fmp.baseUrl,
        '--client-id', moved.clientId, '--client-secret', moved.clientSecret ]);
      assert.equal(imported.code, 0, imported.stderr);
      const productsBefore = fake.store.products.size;
      const setsBefore = fake.applied('productSet').length;
      await connect(moved, fake);
      await eventually('the first sync of the moved pod', async(): Promise<boolean> =>
        Boolean((await bridgeStatus(moved)).lastSyncAt));
      await idle(moved);
      assert.equal(fake.store.products.size, productsBefore, 'no product was made twice');
      assert.equal(fake.applied('productSet').length, setsBefore, 'nothing needed sending: the links said Shopify has it all');
      // And it goes on: a change in the moved pod reaches the very same Shopify product.
      const beans = (await getProduct(moved.pod, 'bridge-beans', { fetch: moved.fetch }))!;
      await saveProduct(moved.pod, { ...beans, price: { ...beans.price, value: 5.55 } }, { fetch: moved.fetch });
      await eventually('the moved pod\'s change in Shopify', (): boolean =>
        productsWithHandle(fake, 'bridge-beans')[0].variants[0].price === '5.55');
      assert.equal(productsWithHandle(fake, 'bridge-beans').length, 1);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('convert, preview and disconnect work from the CLI with one-line errors.', async(): Promise<void> => {
    const preview = await runFmp([ 'bridge', 'shopify', 'preview', member.name, '--json', ...auth ]);
    assert.equal(preview.code, 0, preview.stderr);
    const lines = JSON.parse(preview.stdout) as { resource: string; action: string }[];
    assert.ok(lines.some((line): boolean => line.resource.endsWith('/catalog/bridge-beans') && line.action === 'unchanged'),
      preview.stdout);
    const stranger = await createTestMember(fmp.baseUrl, uniqueName('stranger'));
    const denied = await runFmp([ 'bridge', 'shopify', 'status', member.name, '--server', fmp.baseUrl,
      '--client-id', stranger.clientId, '--client-secret', stranger.clientSecret ]);
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /^fmp: Only .* may manage/mu);
    const disconnected = await runFmp([ 'bridge', 'shopify', 'disconnect', member.name, ...auth ]);
    assert.equal(disconnected.code, 0, disconnected.stderr);
    assert.match(disconnected.stdout, /1 grant\(s\) revoked/u);
  });
});

describe('The Shopify bridge worker killed mid-sync', function(this: Mocha.Suite): void {
  this.timeout(240_000);
  let fmp: TestServer;
  let fake: ShopifyFake;
  let folder: string;
  let worker: ChildProcess | undefined;
  let workerPort: number;

  function startWorker(): ChildProcess {
    return spawnBridgeWorker(fmp.baseUrl, folder, workerPort);
  }


  before(async(): Promise<void> => {
    folder = await mkdtemp(join(tmpdir(), 'fmp-bridge-worker-'));
    workerPort = await getFreePort();
    fake = await new ShopifyFake({ currencyCode: 'EUR' }).start();
    fmp = await startTestServer(undefined, undefined, { bridgeWorkerUrl: `http://127.0.0.1:${workerPort}/` });
  });

  after(async(): Promise<void> => {
    worker?.kill('SIGKILL');
    await fmp?.destroy();
    await fake?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('leaves no duplicate product in Shopify after SIGKILL and a restart.', async(): Promise<void> => {
    const member = await createTestMember(fmp.baseUrl, uniqueName('killed'));
    const products = generateProducts(40);
    for (const product of products) {
      await saveProduct(member.pod, product, { fetch: member.fetch });
    }
    worker = startWorker();
    fake.setWebhookTarget(new URL(`.fmp/bridges/shopify/webhooks/${member.name}`, fmp.baseUrl).href, SECRET);
    const connected = await eventually('the worker to connect the member', async(): Promise<boolean> => {
      const result = await runFmp([ 'bridge', 'shopify', 'connect', member.name, '--shop', fake.url, '--token', fake.accessToken,
        '--webhook-secret', SECRET, '--server', fmp.baseUrl, '--client-id', member.clientId, '--client-secret', member.clientSecret ]);
      return result.code === 0;
    }, 60_000);
    assert.ok(connected);
    await eventually('a few products sent', (): boolean => fake.applied('productSet').length >= 5, 60_000);
    worker.kill('SIGKILL');
    await new Promise((resolve): void => {
      worker!.once('exit', resolve);
    });
    const sentBeforeKill = fake.applied('productSet').length;
    assert.ok(sentBeforeKill < products.length, `the kill came too late to test anything (${sentBeforeKill} sent)`);

    worker = startWorker();
    await eventually('every product in Shopify', (): boolean =>
      products.every((product): boolean => productsWithHandle(fake, product.slug).length >= 1), 120_000);
    for (const product of products) {
      assert.equal(productsWithHandle(fake, product.slug).length, 1, `${product.slug} is in Shopify once`);
    }
    assert.equal(fake.store.products.size, products.length);
  });
});
