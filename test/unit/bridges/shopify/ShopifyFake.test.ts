import { strict as assert } from 'node:assert';
import type { IncomingMessage, Server } from 'node:http';
import { createServer } from 'node:http';
import { parse, validate } from 'graphql';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deletedProductId, inventoryLevelToStock, productToProductSetInput, readShopifyProduct } from '../../../../bridges/shopify/mapping';
import { ShopifyClient } from '../../../../bridges/shopify/ShopifyClient';
import * as shopifyDocuments from '../../../../bridges/shopify/graphqlDocuments';
import { verifyShopifyWebhook } from '../../../../bridges/shopify/webhooks';
import { generateProducts } from '../../../../shapes/demo/catalogData';
import { checkOperation, loadAdminSchema } from '../../../fakes/shopify/adminSchema';
import { ShopifyFake } from '../../../fakes/shopify/ShopifyFake';
import { SHOPIFY_FIXTURES } from './fixtures';

const TOKEN = 'shpat_fake_test';
const SECRET = 'webhook-secret-for-tests';

/** A webhook receiver that keeps every request's raw body and headers and answers 200 to those it verifies, else 401. */
async function startReceiver(): Promise<{ server: Server; url: string; received: { body: Buffer; headers: IncomingMessage['headers'] }[] }> {
  const received: { body: Buffer; headers: IncomingMessage['headers'] }[] = [];
  const server = createServer((request, response): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer): number => chunks.push(chunk));
    request.on('end', (): void => {
      const body = Buffer.concat(chunks);
      received.push({ body, headers: request.headers });
      response.writeHead(verifyShopifyWebhook(body, request.headers, SECRET).valid ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve): void => {
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/shopify`, received };
}

/** A GraphQL answer, as far as these tests read it. */
interface Reply {
  data?: { inventorySetQuantities: { userErrors: { message: string }[] } };
  errors?: { message: string; extensions: { code: string } }[];
  extensions?: { cost: unknown };
}

/** POSTs a raw GraphQL request to the fake. */
async function post(fake: ShopifyFake, body: unknown, version = '2025-10'): Promise<{ status: number; json: Reply }> {
  const response = await fetch(`${fake.url}/admin/api/${version}/graphql.json`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-access-token': TOKEN }, body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() as Reply };
}

describe('The Shopify fake', (): void => {
  let fake: ShopifyFake;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let client: ShopifyClient;

  beforeEach(async(): Promise<void> => {
    receiver = await startReceiver();
    fake = await new ShopifyFake({ accessToken: TOKEN, webhooks: { url: receiver.url, secret: SECRET }}).start();
    client = new ShopifyClient({ shopUrl: fake.url, accessToken: TOKEN });
  });

  afterEach(async(): Promise<void> => {
    await fake.stop();
    await new Promise((resolve): void => {
      receiver.server.close(resolve);
    });
  });

  it('refuses a document with a field Shopify\'s schema does not have, as Shopify does, and runs nothing', async(): Promise<void> => {
    const { status, json } = await post(fake, { query: '{ product(id: "gid://shopify/Product/1") { id price } }' });
    assert.equal(status, 200);
    assert.deepEqual(json, { errors: [{
      message: 'Cannot query field "price" on type "Product".',
      locations: [{ line: 1, column: 47 }],
      extensions: { code: 'undefinedField' },
    }]});
    assert.equal(fake.requests.at(-1)?.applied, false);
  });

  it('refuses what 2025-10 does not have even though later versions do (changeFromQuantity)', async(): Promise<void> => {
    const query = `mutation($input: InventorySetQuantitiesInput!) {
      inventorySetQuantities(input: $input) { userErrors { message } } }`;
    const variables = { input: { name: 'available', reason: 'correction', quantities: [
      { inventoryItemId: 'gid://shopify/InventoryItem/1', locationId: 'gid://shopify/Location/1', quantity: 1, changeFromQuantity: null },
    ]}};
    const old = await post(fake, { query, variables });
    assert.equal(old.json.errors![0].extensions.code, 'INVALID_VARIABLE');
    assert.match(old.json.errors![0].message, /Field "changeFromQuantity" is not defined by type "InventoryQuantityInput"/u);
    const next = await post(fake, { query, variables }, '2026-01');
    assert.equal(next.json.errors, undefined);
    assert.equal(next.json.data!.inventorySetQuantities.userErrors[0].message, 'The specified inventory item could not be found.');
  });

  it('refuses a parse error, a missing required argument and a wrong token', async(): Promise<void> => {
    assert.equal((await post(fake, { query: '{ product(id: ) { id } }' })).json.errors![0].extensions.code, 'parseError');
    assert.equal((await post(fake, { query: '{ product { id } }' })).json.errors![0].extensions.code, 'missingRequiredArguments');
    const wrong = await fetch(`${fake.url}/admin/api/2025-10/graphql.json`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-access-token': 'nope' }, body: '{"query":"{ shop { name } }"}',
    });
    assert.equal(wrong.status, 401);
    assert.deepEqual(await wrong.json(), { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
  });

  it('accepts every document the bridge sends, and the query of the GraphQL fixture', (): void => {
    const schema = loadAdminSchema('2025-10');
    const documents = Object.entries(shopifyDocuments);
    assert.equal(documents.length, 7);
    for (const [ name, document ] of documents) {
      assert.deepEqual(validate(schema, parse(document)).map((error): string => error.message), [], name);
    }
    const fixtureQuery = readFileSync(join(SHOPIFY_FIXTURES, 'graphql-product-node.graphql'), 'utf8');
    const checked = checkOperation(schema, fixtureQuery, { id: 'gid://shopify/Product/632910392' });
    assert.ok(checked.ok, JSON.stringify(checked));
    assert.equal(loadAdminSchema('2025-10'), schema, 'the schema is read once per version');
  });

  it('answers with extensions.cost, refunds what the answer did not use, and refuses a query over 1,000 points', async(): Promise<void> => {
    const small = await post(fake, { query: '{ products(first: 5) { nodes { id variants(first: 100) { nodes { id } } } } }' });
    assert.deepEqual(small.json.extensions?.cost, { requestedQueryCost: 2 + 5 * (1 + 2 + 100), actualQueryCost: 2,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 998, restoreRate: 50 }});
    const big = await post(fake, { query: '{ products(first: 50) { nodes { id variants(first: 100) { nodes { id } } } } }' });
    assert.equal(big.json.errors![0].extensions.code, 'MAX_COST_EXCEEDED');
    assert.equal(big.json.data, undefined);
  });

  it('sends signed products/update and inventory_levels/update webhooks in Shopify\'s shapes for an admin edit', async(): Promise<void> => {
    const locationId = await client.primaryLocationId();
    const created = await client.setProduct(productToProductSetInput(generateProducts(1)[0], { shopCurrency: 'EUR', locationId }));
    const sent = await fake.editInAdmin(created.id, { price: '3.10', available: 9 });
    assert.deepEqual(sent.map((webhook): [string, number] => [ webhook.topic, webhook.status ]),
      [[ 'inventory_levels/update', 200 ], [ 'products/update', 200 ]]);
    const [ level, update ] = receiver.received;
    for (const name of [ 'x-shopify-topic', 'x-shopify-hmac-sha256', 'x-shopify-shop-domain', 'x-shopify-webhook-id',
      'x-shopify-api-version', 'x-shopify-event-id', 'x-shopify-triggered-at' ]) {
      assert.ok(update.headers[name], name);
    }
    // The bodies carry numeric ids past 2^53, read back exactly from the raw text.
    assert.match(update.body.toString(), /"id":788\d{15},/u);
    const product = readShopifyProduct(update.body);
    assert.equal(product.id, created.id);
    assert.equal(product.variants[0].price, '3.10');
    assert.equal(product.variants[0].inventoryQuantity, 9);
    const { updatedAt, ...stock } = inventoryLevelToStock(level.body);
    assert.deepEqual(stock, { inventoryItemId: created.variants[0].inventoryItemId, locationId, available: 9 });
    assert.match(updatedAt!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/u);
    // The same top-level keys as Shopify's published sample.
    const sample = Object.keys(JSON.parse(readFileSync(join(SHOPIFY_FIXTURES, 'products-update-webhook.json'), 'utf8')) as object);
    assert.deepEqual(Object.keys(JSON.parse(update.body.toString()) as object).sort(), sample.sort());
  });

  it('replays a webhook byte for byte, and tampers with one without re-signing it', async(): Promise<void> => {
    const created = await client.setProduct(productToProductSetInput(generateProducts(1)[0], { shopCurrency: 'EUR' }));
    const [ original ] = await fake.editInAdmin(created.id, { title: 'Carrots, washed' });
    const replay = await fake.replayLastWebhook();
    assert.equal(replay.status, 200, 'a replay verifies: only its webhook id tells it apart');
    assert.equal(replay.webhookId, original.webhookId);
    assert.equal(replay.body, original.body);
    const tampered = await fake.sendTamperedWebhook();
    assert.equal(tampered.status, 401);
    assert.match(tampered.body, /"price":"0.01"/u);
    const [ deleted ] = await fake.editInAdmin(created.id, { deleted: true });
    assert.equal(deleted.topic, 'products/delete');
    assert.equal(deletedProductId(receiver.received.at(-1)!.body), created.id);
    assert.equal(await client.getProduct(created.id), undefined);
  });
});
