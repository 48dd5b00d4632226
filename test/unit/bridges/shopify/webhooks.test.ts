import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import { verifyShopifyWebhook } from '../../../../bridges/shopify/webhooks';
import { readShopifyFixture } from './fixtures';

const SECRET = 'whsec_test_4f1c2b';
const body = Buffer.from(readShopifyFixture('products-update-webhook.json'));

/** What Shopify computes: base64 HMAC-SHA256 of the raw body, computed here independently of the module. */
function sign(raw: Buffer, secret = SECRET): string {
  return createHmac('sha256', secret).update(raw).digest('base64');
}

function headers(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    'x-shopify-hmac-sha256': sign(body),
    'x-shopify-topic': 'products/update',
    'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    'x-shopify-shop-domain': 'greenacres.myshopify.com',
    'x-shopify-api-version': '2025-10',
    'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
    'x-shopify-triggered-at': '2026-12-01T10:00:00.000Z',
    ...overrides,
  };
}

describe('verifyShopifyWebhook', (): void => {
  it('accepts Shopify\'s products/update sample signed with the secret, and says what its headers say', (): void => {
    assert.deepEqual(verifyShopifyWebhook(body, headers(), SECRET), {
      valid: true,
      topic: 'products/update',
      webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      shopDomain: 'greenacres.myshopify.com',
      apiVersion: '2025-10',
      eventId: '98880550-7158-44d4-b7cd-2c97c8a091b5',
      triggeredAt: '2026-12-01T10:00:00.000Z',
    });
  });

  it('reads header names in any case, and from a fetch Headers object', (): void => {
    const mixed = Object.fromEntries(Object.entries(headers()).map(([ name, value ]): [string, string | undefined] =>
      [ name.replace(/(^|-)([a-z])/gu, (_, dash: string, letter: string): string => `${dash}${letter.toUpperCase()}`), value ]));
    assert.equal(verifyShopifyWebhook(body, mixed, SECRET).valid, true);
    assert.equal(verifyShopifyWebhook(body, new Headers(headers() as Record<string, string>), SECRET).valid, true);
  });

  it('refuses a body changed by one byte, with the original HMAC', (): void => {
    const tampered = Buffer.from(body.toString().replace('"price": "19.99"', '"price": "19.98"'));
    assert.notDeepEqual(tampered, body);
    assert.deepEqual(verifyShopifyWebhook(tampered, headers(), SECRET), { valid: false, reason: 'invalid_hmac', missingHeaders: []});
  });

  it('refuses an HMAC made with another secret, a truncated one, and re-serialized JSON', (): void => {
    assert.equal(verifyShopifyWebhook(body, headers({ 'x-shopify-hmac-sha256': sign(body, 'other') }), SECRET).valid, false);
    assert.deepEqual(verifyShopifyWebhook(body, headers({ 'x-shopify-hmac-sha256': sign(body).slice(0, 20) }), SECRET),
      { valid: false, reason: 'invalid_hmac', missingHeaders: []});
    // Parsing and stringifying the body changes its bytes: the check must run on the raw body.
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    assert.equal(verifyShopifyWebhook(reserialized, headers(), SECRET).valid, false);
  });

  it('refuses a missing HMAC, an empty body and an empty secret before anything else', (): void => {
    assert.deepEqual(verifyShopifyWebhook(body, headers({ 'x-shopify-hmac-sha256': undefined }), SECRET),
      { valid: false, reason: 'missing_hmac', missingHeaders: []});
    assert.deepEqual(verifyShopifyWebhook(Buffer.alloc(0), headers(), SECRET), { valid: false, reason: 'missing_body', missingHeaders: []});
    // With an empty secret anyone could sign: fail closed.
    const signedWithEmpty = headers({ 'x-shopify-hmac-sha256': createHmac('sha256', '').update(body).digest('base64') });
    assert.deepEqual(verifyShopifyWebhook(body, signedWithEmpty, ''), { valid: false, reason: 'missing_secret', missingHeaders: []});
  });

  it('lists every missing header of a correctly signed webhook', (): void => {
    const result = verifyShopifyWebhook(body, headers({ 'x-shopify-topic': undefined, 'x-shopify-shop-domain': '' }), SECRET);
    assert.deepEqual(result, { valid: false, reason: 'missing_headers', missingHeaders: [ 'X-Shopify-Topic', 'X-Shopify-Shop-Domain' ]});
  });

  it('never puts the secret or the HMAC in its result', (): void => {
    for (const result of [ verifyShopifyWebhook(body, headers(), SECRET), verifyShopifyWebhook(Buffer.from('x'), headers(), SECRET) ]) {
      const text = JSON.stringify(result);
      assert.doesNotMatch(text, new RegExp(SECRET, 'u'));
      assert.ok(!text.includes(sign(body)));
    }
  });
});
