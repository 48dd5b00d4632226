import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks that a webhook came from Shopify, the way Shopify's own `shopify-app-js` does (`lib/webhooks/validate.ts`):
 * the base64 HMAC-SHA256 of the raw body with the app's secret must equal `X-Shopify-Hmac-Sha256`, compared in
 * constant time, and the headers that say what happened must be there. Returns a tagged union instead of throwing,
 * so the caller answers 401 and stores nothing on any `valid: false`. Neither the secret nor the HMAC is in the result.
 */

/** The headers Shopify sends with every webhook. */
export const SHOPIFY_WEBHOOK_HEADERS = Object.freeze({
  hmac: 'X-Shopify-Hmac-Sha256',
  topic: 'X-Shopify-Topic',
  webhookId: 'X-Shopify-Webhook-Id',
  shopDomain: 'X-Shopify-Shop-Domain',
  apiVersion: 'X-Shopify-API-Version',
  eventId: 'X-Shopify-Event-Id',
  triggeredAt: 'X-Shopify-Triggered-At',
});

/** Why a webhook was refused (the same values as shopify-app-js, plus `missing_secret` for a bridge without one). */
export type WebhookRefusal = 'missing_body' | 'missing_hmac' | 'invalid_hmac' | 'missing_headers' | 'missing_secret';

/** A webhook that Shopify sent, with what its headers say. */
export interface ValidShopifyWebhook {
  readonly valid: true;
  /** e.g. `products/update`. */
  readonly topic: string;
  /** Shopify's id of this delivery; the same when Shopify retries it, so it is the key to drop duplicates. */
  readonly webhookId: string;
  /** e.g. `greenacres.myshopify.com`. */
  readonly shopDomain: string;
  readonly apiVersion?: string;
  readonly eventId?: string;
  readonly triggeredAt?: string;
}

/** A webhook to refuse (answer 401), and why. */
export interface InvalidShopifyWebhook {
  readonly valid: false;
  readonly reason: WebhookRefusal;
  /** Every required header that was missing (empty unless `reason` is `missing_headers`). */
  readonly missingHeaders: readonly string[];
}

/** Node's `IncomingHttpHeaders`, a plain record, or a fetch `Headers`. */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Verifies a webhook request.
 *
 * @param rawBody - The body exactly as received (before any JSON parsing: re-serialized JSON does not verify).
 * @param headers - The request headers (names in any case).
 * @param secret - The webhook secret (the app's client secret, or the one shown when the webhook was made in the admin).
 */
export function verifyShopifyWebhook(rawBody: Buffer, headers: WebhookHeaders, secret: string):
ValidShopifyWebhook | InvalidShopifyWebhook {
  if (!secret) {
    return refuse('missing_secret');
  }
  if (rawBody.length === 0) {
    return refuse('missing_body');
  }
  const hmac = headerOf(headers, SHOPIFY_WEBHOOK_HEADERS.hmac);
  if (!hmac) {
    return refuse('missing_hmac');
  }
  if (!hmacMatches(rawBody, hmac, secret)) {
    return refuse('invalid_hmac');
  }
  const required = [ 'topic', 'webhookId', 'shopDomain' ] as const;
  const missingHeaders = required.filter((key): boolean => !headerOf(headers, SHOPIFY_WEBHOOK_HEADERS[key]))
    .map((key): string => SHOPIFY_WEBHOOK_HEADERS[key]);
  if (missingHeaders.length > 0) {
    return { valid: false, reason: 'missing_headers', missingHeaders };
  }
  const optional = (key: 'apiVersion' | 'eventId' | 'triggeredAt'): Partial<ValidShopifyWebhook> => {
    const value = headerOf(headers, SHOPIFY_WEBHOOK_HEADERS[key]);
    return value ? { [key]: value } : {};
  };
  return {
    valid: true,
    topic: headerOf(headers, SHOPIFY_WEBHOOK_HEADERS.topic)!,
    webhookId: headerOf(headers, SHOPIFY_WEBHOOK_HEADERS.webhookId)!,
    shopDomain: headerOf(headers, SHOPIFY_WEBHOOK_HEADERS.shopDomain)!,
    ...optional('apiVersion'),
    ...optional('eventId'),
    ...optional('triggeredAt'),
  };
}

/** The `X-Shopify-Hmac-Sha256` value Shopify sends for a body: base64 HMAC-SHA256 with the secret. */
export function shopifyWebhookHmac(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/** Constant-time comparison; different lengths are a mismatch without comparing (timingSafeEqual would throw). */
function hmacMatches(rawBody: Buffer, received: string, secret: string): boolean {
  const expected = Buffer.from(shopifyWebhookHmac(rawBody, secret));
  const given = Buffer.from(received.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function refuse(reason: WebhookRefusal): InvalidShopifyWebhook {
  return { valid: false, reason, missingHeaders: [] };
}

/** A header's value, case-insensitively; the first one when repeated; `undefined` when absent or empty. */
function headerOf(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') {
    return (headers as Headers).get(name) || undefined;
  }
  const lower = name.toLowerCase();
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const key = Object.keys(record).find((candidate): boolean => candidate.toLowerCase() === lower);
  const value = key === undefined ? undefined : record[key];
  const first = Array.isArray(value) ? value[0] : value as string | undefined;
  return first || undefined;
}
