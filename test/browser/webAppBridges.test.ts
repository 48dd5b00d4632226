import { strict as assert } from 'node:assert';
import type { Browser, Page } from 'playwright-core';
import type { BridgeStatus } from '../../bridges/runtime/BridgeService';
import { saveProduct } from '../../shapes/access/products';
import { generateProducts } from '../../shapes/demo/catalogData';
import { BridgeApi } from '../../src/client/BridgeApi';
import type { GrantJson } from '../../src/client/ConsentApi';
import { ConsentApi } from '../../src/client/ConsentApi';
import { FmpClientError } from '../../src/client/FmpClientError';
import type { FakeProduct } from '../fakes/shopify/ShopifyFakeStore';
import { ShopifyFake } from '../fakes/shopify/ShopifyFake';
import { capture, expectAccessible, launchChromium, WIDTHS } from '../harness/browser';
import { eventually } from '../harness/eventually';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import type { TestServer } from '../harness/servers';
import { SHARED_SERVER_RATE_LIMITS, startTestServer } from '../harness/servers';

const WEBHOOK_SECRET = 'whsec-web-app-test-secret';

/**
 * The web app's Shops and apps page in a real Chromium, against a real FMP with its bridge workers and the Shopify
 * contract fake: connect (a wrong token first), status, sync now, renew and disconnect, as the signed-in member.
 */
describe('The member web app\'s bridges page in a browser', function(): void {
  this.timeout(300_000);
  let fmp: TestServer;
  let fake: ShopifyFake;
  let member: TestMember;
  let browser: Browser;
  let page: Page;
  let bridgeWebId: string;
  const [ product ] = generateProducts(1);
  const bridgesPage = (): string => new URL('.fmp/app/bridges', fmp.baseUrl).href;

  async function flash(): Promise<string> {
    return (await page.locator('.flash').first().textContent() ?? '').trim();
  }

  async function bridgeGrants(): Promise<GrantJson[]> {
    return (await new ConsentApi(fmp.baseUrl, member.name, member.fetch).listGrants('active'))
      .filter((grant): boolean => grant.grantee.webId === bridgeWebId);
  }

  async function status(): Promise<BridgeStatus> {
    return new BridgeApi(fmp.baseUrl, 'shopify', member.name, member.fetch).status();
  }

  function productsAtShopify(): FakeProduct[] {
    return [ ...fake.store.products.values() ].filter((entry): boolean => entry.handle === product.slug);
  }

  /** Nothing the member typed as a secret shows anywhere in the page. */
  async function expectNoSecretIn(what: string, secrets: string[]): Promise<void> {
    const content = await page.content();
    for (const secret of secrets) {
      assert.ok(!content.includes(secret), `${what} shows a secret`);
    }
  }

  before(async(): Promise<void> => {
    fake = await new ShopifyFake({ currencyCode: 'EUR' }).start();
    fmp = await startTestServer(undefined, undefined, { ...SHARED_SERVER_RATE_LIMITS, bridges: true });
    member = await createTestMember(fmp.baseUrl, uniqueName('webshop'));
    await saveProduct(member.pod, product, { fetch: member.fetch });
    fake.setWebhookTarget(new URL(`.fmp/bridges/shopify/webhooks/${member.name}`, fmp.baseUrl).href, WEBHOOK_SECRET);
    bridgeWebId = (await (await fetch(new URL('.fmp/bridges/identity', fmp.baseUrl)))
      .json() as Record<string, { webId: string }>).shopify.webId;
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: WIDTHS.desktop, height: 900 }})).newPage();
    await page.goto(new URL('.fmp/', fmp.baseUrl).href);
    await page.getByRole('link', { name: 'Sign in with this FMP' }).click();
    await page.locator('#email').fill(member.email);
    await page.locator('#password').fill(member.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.waitForURL(new URL('.fmp/', fmp.baseUrl).href);
  });

  after(async(): Promise<void> => {
    await browser?.close();
    await fmp?.destroy();
    await fake?.stop();
  });

  it('offers a connect form per target, asking for what fmp bridge <target> connect asks.', async(): Promise<void> => {
    await page.goto(bridgesPage());
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Shops and apps');
    for (const heading of [ 'Connect Shopify', 'Connect Open Food Network', 'Connect farmOS' ]) {
      assert.equal(await page.getByRole('heading', { name: heading }).count(), 1, heading);
    }
    const shopify = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Connect Shopify' }) });
    assert.equal(await shopify.getByLabel(/Admin API access token/u).getAttribute('type'), 'password');
    assert.equal(await shopify.getByLabel(/Webhook signing secret/u).getAttribute('type'), 'password');
    assert.equal(await shopify.getByLabel(/Store address/u).getAttribute('type'), 'url');
    await capture(page, 'bridges-connect');
  });

  it('says plainly when Shopify refuses the token, shows the token nowhere, and leaves no grant behind.', async(): Promise<void> => {
    const wrong = 'shpat_not-the-right-token-123';
    const shopify = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Connect Shopify' }) });
    await shopify.getByLabel(/Store address/u).fill(fake.url);
    await shopify.getByLabel(/Admin API access token/u).fill(wrong);
    await shopify.getByLabel(/Webhook signing secret/u).fill(WEBHOOK_SECRET);
    await shopify.getByRole('button', { name: 'Connect' }).click();
    assert.match(await flash(), /Shopify did not accept the connection: .*401.*check the Admin API access token.*connect again/u);
    await expectNoSecretIn('the error page', [ wrong, WEBHOOK_SECRET ]);
    assert.deepEqual(await bridgeGrants(), [], 'the grant made for the attempt is revoked');
    await assert.rejects(status(), (error: FmpClientError): boolean => error.status === 404, 'not connected');
    await expectAccessible(page, 'bridges-refused');
  });

  it('connects with the right token: the catalog arrives at Shopify, and the page shows the connection.', async(): Promise<void> => {
    const shopify = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Connect Shopify' }) });
    await shopify.getByLabel(/Store address/u).fill(fake.url);
    await shopify.getByLabel(/Admin API access token/u).fill(fake.accessToken);
    await shopify.getByLabel(/Webhook signing secret/u).fill(WEBHOOK_SECRET);
    await shopify.getByLabel('Let it work for').selectOption('30d');
    await shopify.getByRole('button', { name: 'Connect' }).click();
    assert.match(await flash(), new RegExp(`^Connected to Shopify\\. The first sync is under way\\. Last step: .*` +
      `/\\.fmp/bridges/shopify/webhooks/${member.name}$`, 'u'));
    await expectNoSecretIn('the connected page', [ fake.accessToken, WEBHOOK_SECRET ]);
    const grants = await bridgeGrants();
    assert.equal(grants.length, 1);
    assert.deepEqual([ ...grants[0].scope ].sort(), [ `${member.pod}bridges/shopify/`, `${member.pod}catalog/` ]);
    assert.ok(Date.parse(grants[0].validUntil) - Date.now() < 30 * 86_400_000 + 60_000, 'for the 30 days chosen');
    await eventually('the pod\'s product at Shopify', (): boolean => productsAtShopify().length === 1);

    await page.goto(bridgesPage());
    const card = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Shopify', exact: true }) });
    assert.match(await card.textContent() ?? '', new RegExp(`Connected to ${fake.url.replace(/[./]/gu, '\\$&')}`, 'u'));
    assert.match(await card.textContent() ?? '', /Access until\s*expires in (29|30) days/u);
    assert.equal(await page.getByRole('heading', { name: 'Connect Shopify' }).count(), 0, 'no connect form for a connected target');
    await expectNoSecretIn('the status page', [ fake.accessToken, WEBHOOK_SECRET ]);
    await capture(page, 'bridges-connected');
  });

  it('syncs now: the bridge reads the shop again and records the sync, sending nothing twice.', async(): Promise<void> => {
    await eventually('the first sync to end', async(): Promise<boolean> => {
      const current = await status();
      return current.queue === 0 && current.lastSyncAt !== undefined;
    });
    const before = await status();
    const requestsBefore = fake.requests.length;
    await page.getByRole('button', { name: 'Sync now: Shopify' }).click();
    assert.match(await flash(), /Shopify: a full sync is under way/u);
    await eventually('a new sync', async(): Promise<boolean> => {
      const current = await status();
      return current.queue === 0 && current.lastSyncAt !== before.lastSyncAt;
    });
    assert.ok(fake.requests.length > requestsBefore, 'Shopify was asked again');
    assert.equal(productsAtShopify().length, 1, 'the product is there once');
    await page.goto(bridgesPage());
    assert.equal(await page.locator('section').filter({ hasText: 'Last sync' }).locator('time').getAttribute('datetime'),
      (await status()).lastSyncAt);
  });

  it('renews the bridge\'s access with a new grant, the old one revoked.', async(): Promise<void> => {
    const [ old ] = await bridgeGrants();
    await page.getByRole('button', { name: 'Renew access: Shopify' }).click();
    assert.match(await flash(), /^Shopify may work until \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/u);
    const grants = await bridgeGrants();
    assert.equal(grants.length, 1);
    assert.notEqual(grants[0].id, old.id);
    assert.equal((await status()).grant.id, grants[0].id, 'the bridge works under the new grant');
  });

  it('disconnects: the grant revoked, the secrets forgotten, the connect form back.', async(): Promise<void> => {
    await page.getByRole('button', { name: 'Disconnect: Shopify' }).click();
    assert.match(await flash(), /^Disconnected from Shopify\. Its access to your pod is revoked/u);
    assert.deepEqual(await bridgeGrants(), []);
    await assert.rejects(status(), (error: FmpClientError): boolean => error.status === 404);
    assert.equal(await page.getByRole('heading', { name: 'Connect Shopify' }).count(), 1);
    await capture(page, 'bridges-disconnected');
  });
});
