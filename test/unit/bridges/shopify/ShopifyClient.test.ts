import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import { TargetError, TargetRefusedError, TargetRetriableError } from '../../../../bridges/runtime/targetErrors';
import { productToProductSetInput } from '../../../../bridges/shopify/mapping';
import { ShopifyClient } from '../../../../bridges/shopify/ShopifyClient';
import type { ShopifyProductData } from '../../../../bridges/shopify/types';
import { generateProducts } from '../../../../shapes/demo/catalogData';
import { getFreePort } from '../../../harness/freePort';
import { ShopifyFake } from '../../../fakes/shopify/ShopifyFake';
import { caught } from './fixtures';

const TOKEN = 'shpat_0123456789abcdef_do_not_print';
const [ carrots, bunched ] = generateProducts(2);

describe('ShopifyClient against the Shopify fake', (): void => {
  let fake: ShopifyFake;
  let client: ShopifyClient;

  beforeEach(async(): Promise<void> => {
    fake = await new ShopifyFake({ accessToken: TOKEN }).start();
    client = new ShopifyClient({ shopUrl: fake.url, accessToken: TOKEN });
  });

  afterEach(async(): Promise<void> => {
    await fake.stop();
  });

  async function createCarrots(): Promise<ShopifyProductData> {
    const locationId = await client.primaryLocationId();
    return client.setProduct(productToProductSetInput(carrots, { shopCurrency: 'EUR', locationId, vendor: 'Green Acres' }));
  }

  it('creates a product with productSet and returns its product, variant and inventory item ids', async(): Promise<void> => {
    const created = await createCarrots();
    assert.match(created.id, /^gid:\/\/shopify\/Product\/\d{18}$/u);
    assert.equal(created.variants.length, 1);
    const [ variant ] = created.variants;
    assert.match(variant.inventoryItemId!, /^gid:\/\/shopify\/InventoryItem\/\d{18}$/u);
    assert.deepEqual({ ...variant, id: undefined, inventoryItemId: undefined }, {
      id: undefined, inventoryItemId: undefined, sku: 'VAL-0001', price: '2.40', inventoryQuantity: 0, weight: 1, weightUnit: 'KILOGRAMS',
    });
    assert.equal(created.handle, 'carrots-1-kilogram');
    assert.equal(created.vendor, 'Green Acres');
    assert.equal(fake.applied('productSet').length, 1);
    // The ids went past 2^53 and came back whole: the fake holds exactly this product.
    assert.equal(fake.product(created.id)?.variants[0].sku, 'VAL-0001');
  });

  it('updates the same product and variant when given their ids, making no second product', async(): Promise<void> => {
    const created = await createCarrots();
    const changed = { ...carrots, name: 'Carrots (new crop)', price: { ...carrots.price, value: 2.9 }, stock: 14 };
    const locationId = await client.primaryLocationId();
    const updated = await client.setProduct(productToProductSetInput(changed,
      { shopCurrency: 'EUR', locationId, variantId: created.variants[0].id }), created.id);
    assert.equal(updated.id, created.id);
    assert.equal(updated.variants[0].id, created.variants[0].id);
    assert.equal(updated.title, 'Carrots (new crop)');
    assert.equal(updated.variants[0].price, '2.90');
    assert.equal(updated.variants[0].inventoryQuantity, 14);
    assert.equal(fake.store.products.size, 1);
    assert.deepEqual(await client.getProduct(created.id), updated);
  });

  it('archives instead of deleting, and answers undefined for a product the shop does not have', async(): Promise<void> => {
    const created = await createCarrots();
    await client.archiveProduct(created.id);
    assert.equal((await client.getProduct(created.id))?.status, 'ARCHIVED');
    assert.equal(await client.getProduct('gid://shopify/Product/1'), undefined);
  });

  it('lists every product page by page with cursors', async(): Promise<void> => {
    for (const product of generateProducts(23)) {
      await client.setProduct(productToProductSetInput(product, { shopCurrency: 'EUR' }));
    }
    const before = fake.requests.length;
    const handles: string[] = [];
    for await (const product of client.listProducts({ pageSize: 10, query: 'tag:fmp-vault' })) {
      handles.push(product.handle!);
    }
    assert.equal(handles.length, 23);
    assert.equal(new Set(handles).size, 23);
    assert.equal(fake.requests.length - before, 3);
  });

  it('sets the available stock as the 2025-10 schema requires, and as 2026-01 does', async(): Promise<void> => {
    const created = await createCarrots();
    const locationId = await client.primaryLocationId();
    await client.setAvailable(created.variants[0].inventoryItemId!, locationId, 37);
    assert.equal((await client.getProduct(created.id))?.variants[0].inventoryQuantity, 37);
    assert.equal(fake.requests.at(-2)?.variables?.input && (fake.requests.at(-2)!.variables!.input as { ignoreCompareQuantity: boolean }).ignoreCompareQuantity, true);
    const next = new ShopifyClient({ shopUrl: fake.url, accessToken: TOKEN, apiVersion: '2026-01' });
    await next.setAvailable(created.variants[0].inventoryItemId!, locationId, 5);
    assert.equal((await client.getProduct(created.id))?.variants[0].inventoryQuantity, 5);
    assert.equal(fake.requests.filter((request): boolean => request.rootField === 'inventorySetQuantities' && request.applied).length, 2);
  });

  it('reads the primary location and the shop currency', async(): Promise<void> => {
    assert.equal(await client.primaryLocationId(), `gid://shopify/Location/${fake.store.locationId}`);
    assert.equal(await client.shopCurrency(), 'EUR');
  });

  it('turns THROTTLED into a retriable error with the wait Shopify\'s bucket implies, and sets nothing', async(): Promise<void> => {
    const input = productToProductSetInput(carrots, { shopCurrency: 'EUR', locationId: await client.primaryLocationId() });
    fake.throttleNext(1);
    const error = await caught(async(): Promise<unknown> => client.setProduct(input));
    assert.ok(TargetRetriableError.isInstance(error));
    // The bucket is empty and restores 50 points a second; a mutation costs 10.
    assert.equal(error.retryAfterMs, 200);
    assert.equal(error.message, 'Shopify throttled productSet');
    assert.equal(fake.applied('productSet').length, 0);
    assert.equal(client.lastThrottleStatus?.currentlyAvailable, 0);
  });

  it('goes through once the wait it was told has passed on the shop\'s clock, and not before', async(): Promise<void> => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const timed = await new ShopifyFake({ accessToken: TOKEN, now: (): number => now }).start();
    try {
      const timedClient = new ShopifyClient({ shopUrl: timed.url, accessToken: TOKEN });
      const input = productToProductSetInput(carrots, { shopCurrency: 'EUR' });
      timed.throttleNext(1);
      const first = await caught(async(): Promise<unknown> => timedClient.setProduct(input));
      assert.ok(TargetRetriableError.isInstance(first));
      now += first.retryAfterMs! - 100;
      assert.ok(TargetRetriableError.isInstance(await caught(async(): Promise<unknown> => timedClient.setProduct(input))));
      now += 1000;
      assert.equal((await timedClient.setProduct(input)).title, 'Carrots');
      assert.equal(timed.applied('productSet').length, 1);
    } finally {
      await timed.stop();
    }
  });

  it('turns 429 (honouring Retry-After), 5xx and network failures into retriable errors', async(): Promise<void> => {
    fake.failNext(1, 429, '2.0');
    const limited = await caught(createCarrots);
    assert.ok(TargetRetriableError.isInstance(limited));
    assert.equal(limited.retryAfterMs, 2000);
    fake.failNext(1, 503);
    const unavailable = await caught(createCarrots);
    assert.ok(TargetRetriableError.isInstance(unavailable));
    assert.match(unavailable.message, /503/u);
    const nowhere = new ShopifyClient({ shopUrl: `http://127.0.0.1:${await getFreePort()}`, accessToken: TOKEN });
    const offline = await caught(async(): Promise<unknown> => nowhere.primaryLocationId());
    assert.ok(TargetRetriableError.isInstance(offline));
    assert.equal(fake.applied('productSet').length, 0);
    // After the failures the same call goes through.
    assert.equal((await createCarrots()).title, 'Carrots');
  });

  it('turns userErrors into a refusal with Shopify\'s reason and field', async(): Promise<void> => {
    const input = productToProductSetInput(carrots, { shopCurrency: 'EUR' });
    const negative = { ...input, variants: [{ ...input.variants![0], price: '-1.00' }]};
    const error = await caught(async(): Promise<unknown> => client.setProduct(negative));
    assert.ok(TargetRefusedError.isInstance(error));
    assert.equal(error.reason, 'Shopify refused productSet: Price must be greater than or equal to 0 (field: input.variants.0.price)');
    // Sent again without its id (a link lost to a crash), the product is found by its handle: updated, not duplicated.
    const first = await client.setProduct(input);
    const again = await client.setProduct({ ...input, title: 'Carrots again' });
    assert.equal(again.id, first.id);
    assert.equal(again.title, 'Carrots again');
    assert.equal(fake.store.products.size, 1);
  });

  it('refuses on a wrong token (401) without the token in the error, the client or its output', async(): Promise<void> => {
    const wrong = new ShopifyClient({ shopUrl: fake.url, accessToken: 'shpat_wrong_token_also_secret' });
    const error = await caught(async(): Promise<unknown> => wrong.setProduct(productToProductSetInput(bunched, { shopCurrency: 'EUR' })));
    assert.ok(TargetRefusedError.isInstance(error));
    assert.ok(TargetError.isInstance(error));
    assert.equal(error.status, 401);
    assert.equal(error.target, 'shopify');
    assert.match(error.reason, /^Shopify refused productSet: 401 Unauthorized \[API\] Invalid API key or access token/u);
    for (const text of [ error.message, String(error.stack), inspect(error), inspect(wrong), inspect(client), JSON.stringify(wrong) ]) {
      assert.ok(!text.includes('shpat_wrong_token_also_secret'), text);
      assert.ok(!text.includes(TOKEN), text);
    }
  });

  it('refuses what the fake finds invalid against the schema, as Shopify would', async(): Promise<void> => {
    // A variable that does not coerce: the document is fine, the price is not Money.
    const input = productToProductSetInput(carrots, { shopCurrency: 'EUR' });
    const bad = { ...input, variants: [{ ...input.variants![0], price: 'two euros' }]};
    const error = await caught(async(): Promise<unknown> => client.setProduct(bad));
    assert.ok(TargetRefusedError.isInstance(error));
    assert.match(error.reason, /^Shopify refused productSet: Variable "\$input" got invalid value "two euros" at "input\.variants\[0\]\.price"; Expected type "Money"\. Could not coerce value "two euros" to Money$/u);
    assert.equal(fake.store.products.size, 0);
  });
});
