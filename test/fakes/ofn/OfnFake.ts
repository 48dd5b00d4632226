import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Quad } from '@rdfjs/types';
import { ResourceGraph } from '../../../shapes/access/rdf';
import { DFC_B, DFC_M, DFC_PT, RDF } from '../../../shapes/namespaces';
import { parseRdf } from '../../../shapes/parseRdf';
import { compactIri, DFC_CONTEXT, ofnMeasureOf } from '../../../bridges/ofn/vocabulary';

/**
 * A local Open Food Network for the OFN bridge's tests: the DFC API endpoints the bridge uses, as OFN's published
 * OpenAPI description (`test/fixtures/ofn/dfc.yaml`) and OFN's controllers behave. Every body it receives is parsed as
 * JSON-LD into RDF (DFC 1.16 context served locally) and refused with 400 and a reason when it is not the document the
 * endpoint takes; answers are DFC 1.16 JSON-LD shaped like the OpenAPI examples, with OFN's `ofn:` extensions. It
 * stores what OFN stores (weights in grams, volumes in litres, other units as items; "on demand" for a negative stock
 * limitation), checks the bearer token, fails or throttles on demand, and sends OFN's `refresh` event when its data
 * changes in its "admin".
 */

/** One OFN variant: its supplied product, catalog item and offer share the id. */
export interface FakeVariant {
  readonly id: string;
  /** The product group (OFN's Spree product). */
  readonly groupId: string;
  name: string;
  description?: string;
  /** A DFC product type IRI. */
  productType?: string;
  measure: 'weight' | 'volume' | 'items';
  /** Grams, litres or items. */
  unitValue: number;
  sku?: string;
  onHand: number;
  onDemand: boolean;
  price: number;
  /** The `@id`s of the documents it was created from (OFN's semantic links). */
  readonly semanticLinks: string[];
}

/** One request the fake answered. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** What it said when it refused. */
  readonly reason?: string;
}

/** One `refresh` event the fake sent. */
export interface SentEvent {
  readonly body: string;
  readonly status: number;
}

/** How to set up the fake. */
export interface OfnFakeOptions {
  readonly enterpriseId?: string;
  readonly enterpriseName?: string;
  /** The bearer token it accepts (default `ofn-fake-token`). */
  readonly token?: string;
  /** OFN assumes one currency per instance (default EUR). */
  readonly currency?: string;
}

class Refusal extends Error {
  public constructor(public readonly status: number, message: string) {
    super(message);
  }
}

const UNIT_SUFFIX: Readonly<Record<FakeVariant['measure'], string>> = { weight: 'g', volume: 'L', items: '' };

export class OfnFake {
  public readonly variants = new Map<string, FakeVariant>();
  public readonly requests: RecordedRequest[] = [];
  public readonly eventsSent: SentEvent[] = [];
  public readonly enterpriseId: string;
  public readonly token: string;
  private readonly enterpriseName: string;
  private readonly currency: string;
  private server?: Server;
  private nextId = 10_001;
  private failures: { status: number; retryAfter?: string }[] = [];
  private webhook?: { url: string; token: string };

  public constructor(options: OfnFakeOptions = {}) {
    this.enterpriseId = options.enterpriseId ?? '10000';
    this.enterpriseName = options.enterpriseName ?? 'Fred\'s Farm';
    this.token = options.token ?? 'ofn-fake-token';
    this.currency = options.currency ?? DFC_M('Euro');
  }

  public async start(): Promise<this> {
    this.server = createServer((request, response): void => {
      this.handle(request, response).catch((error: Error): void => {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(error.message);
      });
    });
    await new Promise<void>((resolve): void => {
      this.server!.listen(0, '127.0.0.1', resolve);
    });
    return this;
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve): void => {
      this.server?.close((): void => resolve());
      this.server?.closeAllConnections();
    });
  }

  /** The instance's base URL. */
  public get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
  }

  public get enterpriseUrl(): string {
    return `${this.url}api/dfc/enterprises/${this.enterpriseId}`;
  }

  /** Where `refresh` events go, with the bearer token they carry. */
  public setWebhookTarget(url: string, token: string): void {
    this.webhook = { url, token };
  }

  /** The next `count` requests get 429 with `Retry-After: 1`. */
  public throttleNext(count: number): void {
    this.failNext(count, 429, '1');
  }

  /** The next `count` requests fail with `status`. */
  public failNext(count: number, status: number, retryAfter?: string): void {
    this.failures.push(...Array.from({ length: count }, (): { status: number; retryAfter?: string } => ({ status, retryAfter })));
  }

  /** The requests that changed something (POST, PUT answered 2xx). */
  public writes(): RecordedRequest[] {
    return this.requests.filter((request): boolean => request.method !== 'GET' && request.status < 300);
  }

  public variantsWithSku(sku: string): FakeVariant[] {
    return [ ...this.variants.values() ].filter((variant): boolean => variant.sku === sku);
  }

  /** A change made in OFN's admin (price, stock), then OFN's `refresh` event to the connected platform; returns its status. */
  public async editInAdmin(id: string, edit: { price?: number; stock?: number }): Promise<number> {
    const variant = this.variants.get(id);
    if (!variant) {
      throw new Error(`No variant ${id}`);
    }
    if (edit.price !== undefined) {
      variant.price = edit.price;
    }
    if (edit.stock !== undefined) {
      variant.onHand = edit.stock;
      variant.onDemand = false;
    }
    return this.sendRefresh();
  }

  /** A product made in OFN's admin, then OFN's `refresh` event; returns the new variant. */
  public async createInAdmin(fields: Pick<FakeVariant, 'name' | 'measure' | 'unitValue' | 'price'> & Partial<FakeVariant>):
  Promise<FakeVariant> {
    const id = String(this.nextId++);
    const variant: FakeVariant = { id, groupId: String(80_000 + Number(id)), onHand: 0, onDemand: true, semanticLinks: [], ...fields };
    this.variants.set(id, variant);
    await this.sendRefresh();
    return variant;
  }

  /** OFN's `refresh` event (`ProxyNotifier`): `{eventType, enterpriseUrlid, scope}` with the bearer token. */
  public async sendRefresh(token = this.webhook?.token ?? ''): Promise<number> {
    if (!this.webhook) {
      throw new Error('No webhook target set');
    }
    const body = JSON.stringify({ eventType: 'refresh', enterpriseUrlid: this.enterpriseUrl, scope: 'ReadEnterprise' });
    let status = 0;
    try {
      const response = await fetch(this.webhook.url, { method: 'POST', body,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }});
      await response.arrayBuffer();
      status = response.status;
    } catch {
      status = 0;
    }
    this.eventsSent.push({ body, status });
    return status;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', this.url).pathname;
    const body = await readBody(request);
    const failure = this.failures.shift();
    if (failure) {
      this.requests.push({ method, path, status: failure.status });
      response.writeHead(failure.status, failure.retryAfter ? { 'retry-after': failure.retryAfter } : {}).end();
      return;
    }
    try {
      if (request.headers.authorization !== `Bearer ${this.token}`) {
        // OFN answers `head :unauthorized`.
        throw new Refusal(401, '');
      }
      const answer = await this.route(method, path, body);
      this.requests.push({ method, path, status: answer.status });
      if (answer.document === undefined) {
        response.writeHead(answer.status).end();
      } else {
        response.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer.document));
      }
    } catch (error: unknown) {
      const status = error instanceof Refusal ? error.status : 500;
      const reason = (error as Error).message;
      this.requests.push({ method, path, status, reason });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(reason);
    }
  }

  private async route(method: string, path: string, body: string): Promise<{ status: number; document?: object }> {
    const prefix = `/api/dfc/enterprises/${this.enterpriseId}`;
    if (!path.startsWith(prefix)) {
      throw new Refusal(404, '');
    }
    const [ kind, id, extra ] = path.slice(prefix.length).split('/').filter(Boolean);
    if (extra !== undefined) {
      throw new Refusal(404, '');
    }
    if (kind === undefined && method === 'GET') {
      return { status: 200, document: this.enterpriseDocument() };
    }
    if (kind === 'catalog_items' && id === undefined && method === 'GET') {
      return { status: 200, document: graphOf([ ...this.variants.values() ].flatMap((variant): object[] =>
        [ this.catalogItemNode(variant), this.suppliedProductNode(variant), this.groupNode(variant), this.offerNode(variant) ])) };
    }
    if (kind === 'supplied_products' && id === undefined && method === 'POST') {
      return { status: 200, document: { '@context': DFC_CONTEXT, ...this.suppliedProductNode(await this.create(body)) }};
    }
    const variant = id === undefined ? undefined : this.variants.get(id);
    if (!variant) {
      throw new Refusal(404, '');
    }
    switch (`${method} ${kind}`) {
      case 'GET catalog_items':
        return { status: 200, document: graphOf([ this.catalogItemNode(variant), this.offerNode(variant) ]) };
      case 'PUT catalog_items':
        await this.updateCatalogItem(variant, body);
        return { status: 204 };
      case 'GET supplied_products':
        return { status: 200, document: { '@context': DFC_CONTEXT, ...this.suppliedProductNode(variant) }};
      case 'PUT supplied_products':
        applyProduct(variant, await this.parseOne(body, DFC_B('SuppliedProduct')));
        return { status: 204 };
      case 'GET offers':
        return { status: 200, document: { '@context': DFC_CONTEXT, ...this.offerNode(variant) }};
      case 'PUT offers':
        this.applyOffer(variant, await this.parseOne(body, DFC_B('Offer')));
        return { status: 204 };
      default:
        throw new Refusal(404, '');
    }
  }

  private async create(body: string): Promise<FakeVariant> {
    const { graph, node } = await this.parseOne(body, DFC_B('SuppliedProduct'));
    if (graph.getValue(node, DFC_B('name')) === undefined) {
      throw new Refusal(400, 'A new supplied product needs a dfc-b:name');
    }
    const id = String(this.nextId++);
    const variant: FakeVariant = { id, groupId: String(80_000 + Number(id)), name: '', measure: 'items', unitValue: 1,
      onHand: 0, onDemand: false, price: 0, semanticLinks: node.startsWith('_:') ? [] : [ node ] };
    applyProduct(variant, { graph, node });
    this.variants.set(id, variant);
    return variant;
  }

  /**
   * OFN's catalog item update (`CatalogItemsController#update`) parses nothing as RDF: it reads `dfc-b:sku` and
   * `dfc-b:stockLimitation` from the top level of the JSON. The fake also requires the body to be JSON-LD.
   */
  private async updateCatalogItem(variant: FakeVariant, body: string): Promise<void> {
    await this.parse(body);
    const json = JSON.parse(body) as Record<string, unknown>;
    if (!('dfc-b:sku' in json) && !('dfc-b:stockLimitation' in json)) {
      throw new Refusal(400, 'OFN reads "dfc-b:sku" and "dfc-b:stockLimitation" as top-level keys of the catalog item');
    }
    const sku = json['dfc-b:sku'];
    const stock = json['dfc-b:stockLimitation'];
    if (sku !== undefined && sku !== null && typeof sku !== 'string') {
      throw new Refusal(400, `dfc-b:sku must be text, not ${JSON.stringify(sku)}`);
    }
    if (stock !== undefined && stock !== null && !(typeof stock === 'number' || typeof stock === 'string')) {
      throw new Refusal(400, `dfc-b:stockLimitation must be a number, not ${JSON.stringify(stock)}`);
    }
    const onHand = stock === undefined || stock === null ? undefined : requireNumber(String(stock), 'dfc-b:stockLimitation');
    if (typeof sku === 'string') {
      variant.sku = sku;
    }
    if (onHand !== undefined) {
      variant.onHand = onHand;
    }
  }

  private applyOffer(variant: FakeVariant, { graph, node }: { graph: ResourceGraph; node: string }): void {
    const stock = numberAt(graph, node, DFC_B('stockLimitation'));
    if (stock !== undefined) {
      // OFN's CatalogItemBuilder.apply_stock: a negative limitation means "on demand".
      variant.onDemand = stock < 0;
      variant.onHand = stock < 0 ? variant.onHand : stock;
    }
    const price = graph.getObjects(node, DFC_B('hasPrice'))[0];
    if (price === undefined) {
      return;
    }
    if (price.termType === 'Literal') {
      // OFN also takes a bare number as the price (its OpenAPI example does so).
      variant.price = requireNumber(price.value, 'dfc-b:hasPrice');
      return;
    }
    const priceNode = price.termType === 'BlankNode' ? `_:${price.value}` : price.value;
    const value = numberAt(graph, priceNode, DFC_B('value'));
    if (value === undefined || value < 0) {
      throw new Refusal(400, 'The offer\'s dfc-b:hasPrice needs a dfc-b:value, zero or more');
    }
    const unit = graph.getValue(priceNode, DFC_B('hasUnit'));
    if (unit !== undefined && unit !== this.currency) {
      throw new Refusal(400, `This OFN instance sells in <${this.currency}>, not <${unit}>`);
    }
    variant.price = value;
  }

  /** Parses a body as JSON-LD into RDF (contexts served locally); refuses what does not parse, with the reason. */
  private async parse(body: string): Promise<Quad[]> {
    try {
      return await parseRdf(body, 'application/ld+json', this.enterpriseUrl);
    } catch (error: unknown) {
      throw new Refusal(400, `Not DFC JSON-LD: ${(error as Error).message.split('\n')[0]}`);
    }
  }

  /** Parses a body as JSON-LD into RDF and finds its one node of `type`; refuses anything else with a reason. */
  private async parseOne(body: string, type: string): Promise<{ graph: ResourceGraph; node: string }> {
    const quads = await this.parse(body);
    const nodes = quads.filter((quad): boolean => quad.predicate.value === RDF('type') && quad.object.value === type)
      .map((quad): string => quad.subject.termType === 'BlankNode' ? `_:${quad.subject.value}` : quad.subject.value);
    if (nodes.length !== 1) {
      throw new Refusal(400, `Expected one ${compactIri(type)}, found ${nodes.length}`);
    }
    return { graph: new ResourceGraph(quads), node: nodes[0] };
  }

  private enterpriseDocument(): object {
    const all = [ ...this.variants.values() ];
    return graphOf([
      withoutUndefined({ '@id': this.enterpriseUrl, '@type': 'dfc-b:Enterprise', 'dfc-b:name': this.enterpriseName,
        'dfc-b:manages': compacted(all.map((variant): string => this.urlOf('catalog_items', variant))),
        'dfc-b:supplies': compacted(all.map((variant): string => this.urlOf('supplied_products', variant))),
        'ofn:long_description': '<p>Hello, world!</p>', 'ofn:contact_name': 'Fred Farmer' }),
      ...all.flatMap((variant): object[] => [ this.suppliedProductNode(variant), this.catalogItemNode(variant) ]),
    ]);
  }

  private urlOf(kind: string, variant: FakeVariant): string {
    return `${this.enterpriseUrl}/${kind}/${variant.id}`;
  }

  /** As OFN's SuppliedProductBuilder: the name with the unit appended, quantity in OFN's base unit, `ofn:` extras. */
  private suppliedProductNode(variant: FakeVariant): object {
    return withoutUndefined({
      '@id': this.urlOf('supplied_products', variant),
      '@type': 'dfc-b:SuppliedProduct',
      'dfc-b:name': `${variant.name} - ${variant.unitValue}${UNIT_SUFFIX[variant.measure]}`,
      'dfc-b:description': variant.description,
      'dfc-b:hasType': variant.productType === undefined ? undefined : compactIri(variant.productType),
      'dfc-b:hasQuantity': { '@type': 'dfc-b:QuantitativeValue',
        'dfc-b:hasUnit': variant.measure === 'weight' ? 'dfc-m:Gram' : variant.measure === 'volume' ? 'dfc-m:Litre' : 'dfc-m:Piece',
        'dfc-b:value': variant.unitValue },
      'dfc-b:image': `${this.url}rails/active_storage/url/logo-white.png`,
      'dfc-b:isVariantOf': `${this.url}api/dfc/product_groups/${variant.groupId}`,
      'ofn:spree_product_id': Number(variant.groupId),
      'ofn:spree_product_uri': `${this.enterpriseUrl}?spree_product_id=${variant.groupId}`,
      'ofn:image': `${this.url}rails/active_storage/url/logo-white.png`,
    });
  }

  private groupNode(variant: FakeVariant): object {
    return { '@id': `${this.url}api/dfc/product_groups/${variant.groupId}`, '@type': 'dfc-b:SuppliedProduct',
      'dfc-b:name': variant.name, 'dfc-b:hasVariant': this.urlOf('supplied_products', variant) };
  }

  private catalogItemNode(variant: FakeVariant): object {
    return withoutUndefined({
      '@id': this.urlOf('catalog_items', variant),
      '@type': 'dfc-b:CatalogItem',
      'dfc-b:references': this.urlOf('supplied_products', variant),
      'dfc-b:sku': variant.sku,
      // The DFC sees "empty" stock as unlimited (OFN's DfcBuilder.stock_limitation).
      'dfc-b:stockLimitation': variant.onDemand ? undefined : variant.onHand,
      'dfc-b:offeredThrough': this.urlOf('offers', variant),
      'dfc-b:managedBy': this.enterpriseUrl,
    });
  }

  private offerNode(variant: FakeVariant): object {
    return withoutUndefined({
      '@id': this.urlOf('offers', variant),
      '@type': 'dfc-b:Offer',
      'dfc-b:hasPrice': { '@type': 'dfc-b:Price', 'dfc-b:value': variant.price, 'dfc-b:hasUnit': compactIri(this.currency) },
      'dfc-b:stockLimitation': variant.onDemand ? undefined : variant.onHand,
    });
  }
}

/** As OFN's SuppliedProductImporter: name, description, type, and the quantity in OFN's units. */
function applyProduct(variant: FakeVariant, { graph, node }: { graph: ResourceGraph; node: string }): void {
  const name = graph.getValue(node, DFC_B('name'));
  if (name !== undefined) {
    variant.name = name;
  }
  const description = graph.getValue(node, DFC_B('description'));
  if (description !== undefined) {
    variant.description = description;
  }
  const type = graph.getNode(node, DFC_B('hasType'));
  if (type !== undefined) {
    if (!type.startsWith(DFC_PT(''))) {
      throw new Refusal(400, `dfc-b:hasType <${type}> is not a DFC product type`);
    }
    variant.productType = type;
  }
  const quantity = graph.getNode(node, DFC_B('hasQuantity'));
  if (quantity !== undefined) {
    const value = numberAt(graph, quantity, DFC_B('value'));
    const unit = graph.getNode(quantity, DFC_B('hasUnit'));
    if (value === undefined || unit === undefined || !unit.startsWith(DFC_M(''))) {
      throw new Refusal(400, 'dfc-b:hasQuantity needs a dfc-b:value and a dfc-b:hasUnit from the DFC measures');
    }
    const { measure, scale } = ofnMeasureOf(unit);
    const scaled = value * scale;
    [ variant.measure, variant.unitValue ] = measure !== 'items' && scaled <= 0 ? [ 'items', 1 ] : [ measure, Math.round(scaled * 1e9) / 1e9 ];
  }
}

function numberAt(graph: ResourceGraph, node: string, predicate: string): number | undefined {
  const text = graph.getValue(node, predicate);
  return text === undefined ? undefined : requireNumber(text, compactIri(predicate));
}

function requireNumber(text: string, where: string): number {
  const number = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(number)) {
    throw new Refusal(400, `${where} must be a number, not ${JSON.stringify(text)}`);
  }
  return number;
}

/** A list as JSON-LD compaction writes it (and OFN answers): one value bare, several as an array, none left out. */
function compacted(values: string[]): string | string[] | undefined {
  return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
}

function graphOf(nodes: object[]): object {
  return { '@context': DFC_CONTEXT, '@graph': nodes };
}

function withoutUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([ , value ]): boolean => value !== undefined)) as T;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
