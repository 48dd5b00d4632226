import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { resourceUrl, slugOf } from '../../shapes/access/podIo';
import { productToQuads, quadsToProduct } from '../../shapes/access/productRdf';
import { ResourceGraph } from '../../shapes/access/rdf';
import { DFC_B, DFC_M } from '../../shapes/namespaces';
import type { Connection } from '../runtime/Connection';
import type { Link } from '../runtime/LinkTable';
import { TargetRefusedError } from '../runtime/targetErrors';
import type { InboundResult, Outgoing, PodItem, RemoteItem, TargetAdapter, TargetClient } from '../runtime/TargetAdapter';
import type { OfnDocuments, OfnRecord } from './mapping';
import { CatalogIndex } from './CatalogIndex';
import { ofnToProduct, productToOfn, readOfnRecords, withId } from './mapping';
import { OfnClient } from './OfnClient';
import { DFC_CONTEXT } from './vocabulary';

/** The SKU prefix of a product the bridge took off sale at OFN (OFN's DFC API deletes nothing): not taken in again. */
export const WITHDRAWN_SKU_PREFIX = 'fmp-withdrawn:';

/**
 * The Open Food Network bridge: a pod's catalog (`catalog/`, one DFC product per resource) as OFN variants (a supplied
 * product, its catalog item and offer share one id) through OFN's DFC API, in DFC 1.16 JSON-LD; OFN's `refresh`
 * event makes the bridge read the enterprise's catalog again and take in what changed there.
 */
export const ofnAdapter: TargetAdapter = {
  target: 'ofn',
  label: 'Open Food Network',
  containers: [ 'catalog' ],
  secretSettings: [ 'token', 'webhookToken' ],

  checkSettings(settings: Record<string, unknown>): Record<string, string> {
    const missing = [ [ 'ofn', 'the OFN instance\'s base URL (--ofn)' ], [ 'enterprise', 'the enterprise\'s id at OFN (--enterprise)' ],
      [ 'token', 'an OIDC access token or an OFN API key (--token)' ] ].find(([ name ]): boolean =>
      typeof settings[name] !== 'string' || (settings[name] as string).trim() === '');
    if (missing) {
      throw new Error(`Connecting the Open Food Network needs ${missing[1]}.`);
    }
    const base = new URL(settings.ofn as string);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new Error(`The OFN base URL must be http(s), not ${base.protocol}`);
    }
    const enterprise = (settings.enterprise as string).trim();
    if (enterprise.includes('/')) {
      throw new Error(`The enterprise id is the last part of its DFC URL (…/api/dfc/enterprises/<id>), not "${enterprise}"`);
    }
    const webhookToken = typeof settings.webhookToken === 'string' && settings.webhookToken !== '' ? settings.webhookToken : undefined;
    return { ofn: base.href, enterprise, token: settings.token as string, ...webhookToken ? { webhookToken } : {} };
  },

  async prepareSettings(settings: Record<string, string>, fetchFn: typeof fetch): Promise<Record<string, string>> {
    const client = clientFor(settings, fetchFn);
    const { quads } = await client.enterprise();
    const enterprise = quads.find((quad): boolean => quad.subject.value === client.enterpriseUrl &&
      quad.predicate.value === DFC_B('name'));
    if (!quads.some((quad): boolean => quad.subject.value === client.enterpriseUrl && quad.object.value === DFC_B('Enterprise'))) {
      throw new TargetRefusedError('ofn', `OFN's answer for ${client.enterpriseUrl} describes no dfc-b:Enterprise`);
    }
    return { ...settings, enterpriseUrl: client.enterpriseUrl, ...enterprise ? { enterpriseName: enterprise.object.value } : {} };
  },

  toTarget(item: PodItem): Outgoing | undefined {
    const product = quadsToProduct(slugOf(item.url), new ResourceGraph(item.quads));
    if (!product) {
      return undefined;
    }
    const payload = productToOfn(product, `${item.url}#product`);
    return { resource: item.url, hash: hashOf(payload), payload };
  },

  toPod(remote: RemoteItem, current: PodItem | undefined, connection: Connection): PodItem {
    const base = current ? quadsToProduct(slugOf(current.url), new ResourceGraph(current.quads)) : undefined;
    const product = ofnToProduct(remote.data as OfnRecord, base);
    const url = current?.url ?? resourceUrl(connection.pod, 'catalog', product.slug);
    return { url, quads: productToQuads(url, product) };
  },

  containerOf: (): 'catalog' => 'catalog',

  open(connection: Connection, fetchFn: typeof fetch): TargetClient {
    const client = clientFor(connection.settings, fetchFn);
    const index = new CatalogIndex(client);
    return {
      send: async(out: Outgoing, link?: Link): Promise<Link> => sendProduct(client, index, out, link),
      remove: async(link: Link): Promise<void> => withdraw(client, link.targetId),
      get: async(targetId: string): Promise<RemoteItem | undefined> => {
        const quads = await client.variant(targetId);
        const record = quads && readOfnRecords(quads).find((candidate): boolean => candidate.id === targetId);
        return record && { targetId, data: record };
      },
      list: async function* list(): AsyncIterable<RemoteItem> {
        for (const record of readOfnRecords(await client.catalog())) {
          if (!record.sku?.startsWith(WITHDRAWN_SKU_PREFIX)) {
            yield { targetId: record.id, data: record };
          }
        }
      },
    };
  },

  receive(connection: Connection, rawBody: Buffer, headers: Readonly<Record<string, string | undefined>>): InboundResult {
    const expected = connection.settings.webhookToken;
    if (!expected) {
      return { accepted: false, status: 401, reason: 'Webhook refused: this connection has no webhook token; connect ' +
        'again with --webhook-token and give OFN the same token' };
    }
    if (!bearerMatches(headers.authorization, expected)) {
      return { accepted: false, status: 401, reason: 'Webhook refused: missing or wrong bearer token' };
    }
    const event = JSON.parse(rawBody.toString('utf8')) as { eventType?: unknown; enterpriseUrlid?: unknown };
    if (typeof event.enterpriseUrlid !== 'string' || event.enterpriseUrlid === '') {
      return { accepted: false, status: 400, reason: 'Missing parameter `enterpriseUrlid`' };
    }
    // A refresh names the enterprise, or the collection of a platform's enterprises; either way nothing says which
    // record changed, and a repeat is harmless (the bridge only reads), so each delivery counts.
    const ours = connection.settings.enterpriseUrl ?? '';
    const concernsUs = event.eventType === 'refresh' && (ours === event.enterpriseUrlid || ours.startsWith(event.enterpriseUrlid));
    return { accepted: true, webhookId: `refresh-${randomUUID()}`, events: concernsUs ? [{ kind: 'refresh' }] : []};
  },
};

function clientFor(settings: Readonly<Record<string, string>>, fetchFn: typeof fetch): OfnClient {
  return new OfnClient({ baseUrl: settings.ofn, enterpriseId: settings.enterprise, token: settings.token, fetch: fetchFn });
}

/**
 * Sends a product: its supplied product (created, or updated once linked), then its catalog item (SKU, stock) and
 * offer (price, stock). Before creating, the enterprise's catalog is searched for the product by SKU, and for a
 * product without SKU of the same name and quantity (a create whose SKU was not sent yet), so a send retried after a
 * crash makes no second product.
 */
async function sendProduct(client: OfnClient, index: CatalogIndex, out: Outgoing, link?: Link): Promise<Link> {
  const documents = out.payload as OfnDocuments;
  const product = documents.suppliedProduct;
  const quantity = product['dfc-b:hasQuantity'] as Record<string, unknown>;
  let id = link?.targetId ?? await index.find(documents.sku, product['dfc-b:name'] as string,
    { value: quantity['dfc-b:value'] as number, unit: expandDfc(quantity['dfc-b:hasUnit'] as string) });
  if (id === undefined) {
    id = await client.createSuppliedProduct(documents.suppliedProduct);
    index.add(id, documents.sku);
  } else {
    await client.updateSuppliedProduct(id, withId(documents.suppliedProduct, client.url('supplied_products', id)));
  }
  await client.updateCatalogItem(id, withId(documents.catalogItem, client.url('catalog_items', id)));
  await client.updateOffer(id, withId(documents.offer, client.url('offers', id)));
  return { resource: out.resource, targetId: id, hash: out.hash, syncedAt: new Date().toISOString() };
}

/** Takes a product off sale at OFN, whose DFC API deletes nothing: no stock, and a SKU that says why. */
async function withdraw(client: OfnClient, id: string): Promise<void> {
  const quads = await client.variant(id);
  const record = quads && readOfnRecords(quads).find((candidate): boolean => candidate.id === id);
  if (!record) {
    return;
  }
  const sku = record.sku?.startsWith(WITHDRAWN_SKU_PREFIX) ? record.sku : `${WITHDRAWN_SKU_PREFIX}${record.sku ?? id}`;
  await client.updateCatalogItem(id, { '@context': DFC_CONTEXT, '@id': client.url('catalog_items', id),
    '@type': 'dfc-b:CatalogItem', 'dfc-b:sku': sku, 'dfc-b:stockLimitation': 0 });
  await client.updateOffer(id, { '@context': DFC_CONTEXT, '@id': client.url('offers', id), '@type': 'dfc-b:Offer',
    'dfc-b:stockLimitation': 0 });
}

function expandDfc(compact: string): string {
  return compact.startsWith('dfc-m:') ? DFC_M(compact.slice('dfc-m:'.length)) : compact;
}

function bearerMatches(header: string | undefined, expected: string): boolean {
  const match = /^Bearer\s+(.+)$/iu.exec(header?.trim() ?? '');
  if (!match) {
    return false;
  }
  const [ given, wanted ] = [ Buffer.from(match[1]), Buffer.from(expected) ];
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}
