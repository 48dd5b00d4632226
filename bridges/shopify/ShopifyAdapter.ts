import { createHash } from 'node:crypto';
import { resourceUrl, slugOf } from '../../shapes/access/podIo';
import { productToQuads, quadsToProduct } from '../../shapes/access/productRdf';
import { ResourceGraph } from '../../shapes/access/rdf';
import type { Product } from '../../shapes/access/types';
import type { Connection } from '../runtime/Connection';
import type { Link } from '../runtime/LinkTable';
import type { InboundResult, Outgoing, PodItem, RemoteItem, TargetAdapter, TargetClient } from '../runtime/TargetAdapter';
import { deletedProductId, inventoryLevelToStock, productToProductSetInput, readShopifyProduct, shopifyToProduct } from './mapping';
import { ShopifyClient } from './ShopifyClient';
import { parseShopifyJson } from './shopifyJson';
import type { ProductSetInput, ShopifyProductData } from './types';
import { verifyShopifyWebhook } from './webhooks';

/** What `connect` takes; `shopCurrency` and `locationId` are read from the shop when connecting. */
const REQUIRED_SETTINGS = [ 'shop', 'token', 'webhookSecret' ] as const;

/**
 * The Shopify bridge: a pod's catalog (`catalog/`, one DFC product per resource) as Shopify products with one variant,
 * through the GraphQL Admin API, and Shopify's product and stock webhooks back into the pod.
 */
export const shopifyAdapter: TargetAdapter = {
  target: 'shopify',
  label: 'Shopify',
  containers: [ 'catalog' ],
  secretSettings: [ 'token', 'webhookSecret' ],

  checkSettings(settings: Record<string, unknown>): Record<string, string> {
    for (const name of REQUIRED_SETTINGS) {
      if (typeof settings[name] !== 'string' || settings[name] === '') {
        throw new Error(`Connecting Shopify needs ${name === 'shop' ? 'the store URL (--shop)' : name === 'token' ?
          'an Admin API access token (--token)' : 'the webhook secret (--webhook-secret)'}.`);
      }
    }
    const shop = new URL(settings.shop as string);
    if (shop.protocol !== 'https:' && shop.protocol !== 'http:') {
      throw new Error(`The store URL must be http(s), not ${shop.protocol}`);
    }
    return { shop: shop.href, token: settings.token as string, webhookSecret: settings.webhookSecret as string };
  },

  async prepareSettings(settings: Record<string, string>, fetchFn: typeof fetch): Promise<Record<string, string>> {
    const client = new ShopifyClient({ shopUrl: settings.shop, accessToken: settings.token, fetch: fetchFn });
    const [ shopCurrency, locationId ] = await Promise.all([ client.shopCurrency(), client.primaryLocationId() ]);
    return { ...settings, shopCurrency, locationId };
  },

  toTarget(item: PodItem, connection: Connection): Outgoing | undefined {
    const product = quadsToProduct(slugOf(item.url), new ResourceGraph(item.quads));
    if (!product) {
      return undefined;
    }
    const payload = productToProductSetInput(product, { shopCurrency: connection.settings.shopCurrency,
      locationId: connection.settings.locationId });
    return { resource: item.url, hash: hashOf(payload), payload: { input: payload, stock: product.stock } };
  },

  toPod(remote: RemoteItem, current: PodItem | undefined, connection: Connection): PodItem {
    const base = current ? quadsToProduct(slugOf(current.url), new ResourceGraph(current.quads)) : undefined;
    const product: Product = shopifyToProduct(remote.data as ShopifyProductData, base,
      { shopCurrency: connection.settings.shopCurrency });
    const url = current?.url ?? resourceUrl(connection.pod, 'catalog', product.slug);
    return { url, quads: productToQuads(url, product) };
  },

  containerOf: (): 'catalog' => 'catalog',

  open(connection: Connection, fetchFn: typeof fetch): TargetClient {
    const client = new ShopifyClient({ shopUrl: connection.settings.shop, accessToken: connection.settings.token, fetch: fetchFn });
    return {
      send: async(out: Outgoing, link?: Link): Promise<Link> => sendProduct(client, connection, out, link),
      remove: async(link: Link): Promise<void> => client.archiveProduct(link.targetId),
      get: async(targetId: string): Promise<RemoteItem | undefined> => {
        const data = await client.getProduct(targetId);
        return data && remoteOf(data);
      },
      list: async function* list(): AsyncIterable<RemoteItem> {
        for await (const data of client.listProducts()) {
          // Archived products are what the bridge or the merchant took off sale: not taken into the pod again.
          if (data.status !== 'ARCHIVED') {
            yield remoteOf(data);
          }
        }
      },
    };
  },

  receive(connection: Connection, rawBody: Buffer, headers: Readonly<Record<string, string | undefined>>): InboundResult {
    const webhook = verifyShopifyWebhook(rawBody, headers, connection.settings.webhookSecret);
    if (!webhook.valid) {
      return { accepted: false, status: 401, reason: `Webhook refused: ${webhook.reason.replace('_', ' ')}` +
        (webhook.missingHeaders.length > 0 ? ` (${webhook.missingHeaders.join(', ')})` : '') };
    }
    switch (webhook.topic) {
      case 'products/create':
      case 'products/update':
        return { accepted: true, webhookId: webhook.webhookId,
          events: [{ kind: 'changed', targetId: readShopifyProduct(parseShopifyJson(rawBody)).id }]};
      case 'products/delete':
        return { accepted: true, webhookId: webhook.webhookId, events: [{ kind: 'deleted', targetId: deletedProductId(rawBody) }]};
      case 'inventory_levels/update':
        return { accepted: true, webhookId: webhook.webhookId,
          events: [{ kind: 'changed', detail: [ 'inventoryItemId', inventoryLevelToStock(rawBody).inventoryItemId ]}]};
      default:
        return { accepted: true, webhookId: webhook.webhookId, events: []};
    }
  },
};

/** Sends a product: `productSet` (by id once linked, by handle before, so a retry never makes a second product), then its stock. */
async function sendProduct(client: ShopifyClient, connection: Connection, out: Outgoing, link?: Link): Promise<Link> {
  const { input, stock } = out.payload as { input: ProductSetInput; stock?: number };
  const variantId = link?.details?.variantId;
  const withVariant = variantId && input.variants ? { ...input, variants: input.variants.map((variant, index): object =>
    index === 0 ? { ...variant, id: variantId, inventoryQuantities: undefined } : variant) } as ProductSetInput : input;
  const data = await client.setProduct(withVariant, link?.targetId);
  const variant = data.variants[0];
  if (stock !== undefined && variant?.inventoryItemId && variant.inventoryQuantity !== stock) {
    await client.setAvailable(variant.inventoryItemId, connection.settings.locationId, stock);
  }
  return { resource: out.resource, targetId: data.id, hash: out.hash, syncedAt: new Date().toISOString(),
    details: detailsOf(data) };
}

function remoteOf(data: ShopifyProductData): RemoteItem {
  return { targetId: data.id, ...data.updatedAt ? { updatedAt: data.updatedAt } : {}, details: detailsOf(data), data };
}

function detailsOf(data: ShopifyProductData): Record<string, string> {
  const variant = data.variants[0];
  return { ...variant?.id ? { variantId: variant.id } : {}, ...variant?.inventoryItemId ? { inventoryItemId: variant.inventoryItemId } : {} };
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}
