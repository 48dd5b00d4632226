import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DocumentNode, FieldNode, SelectionSetNode } from 'graphql';
import { execute, Kind } from 'graphql';
import { stringify } from 'lossless-json';
import { shopifyWebhookHmac } from '../../../bridges/shopify/webhooks';
import { checkOperation, loadAdminSchema } from './adminSchema';
import type { FakeProduct } from './ShopifyFakeStore';
import { numericOf, ShopifyFakeStore } from './ShopifyFakeStore';
import { inventoryLevelBody, productDeleteBody, productWebhookBody } from './webhookBodies';

/** The versions whose schema `@shopify/dev-mcp` ships. */
const VERSIONS = [ '2025-10', '2026-01', '2026-04', '2026-07', '2026-10' ];
/** Shopify's answer to a wrong access token. */
const INVALID_TOKEN = '[API] Invalid API key or access token (unrecognized login or wrong password)';

/** How to set up a fake shop. */
export interface ShopifyFakeOptions {
  /** The Admin API access token it accepts (default `shpat_fake_token`). */
  readonly accessToken?: string;
  /** The shop's domain in webhook headers (default `fmp-test.myshopify.com`). */
  readonly shopDomain?: string;
  readonly currencyCode?: string;
  /** Where webhooks go, and the secret they are signed with. */
  readonly webhooks?: { url: string; secret: string };
  /** The rate-limit bucket (default Shopify's standard 1,000 points, restoring 50 a second). */
  readonly bucket?: { maximumAvailable: number; restoreRate: number };
  /** The clock (default `Date.now`), so tests can move time for the bucket. */
  readonly now?: () => number;
}

/** One request the fake received. */
export interface RecordedRequest {
  readonly apiVersion: string;
  readonly operationName?: string;
  /** The root field of the operation, e.g. `productSet`. */
  readonly rootField?: string;
  readonly query?: string;
  readonly variables?: Record<string, unknown>;
  readonly status: number;
  /** Whether it changed the shop (a mutation that ran without errors or userErrors). */
  readonly applied: boolean;
}

/** One webhook the fake sent. */
export interface SentWebhook {
  readonly topic: string;
  readonly webhookId: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The receiver's HTTP status (0 when it could not be reached). */
  readonly status: number;
}

/** What a merchant changes in the Shopify admin (on the product and its first variant). */
export interface AdminEdit {
  readonly title?: string;
  readonly descriptionHtml?: string;
  readonly price?: string;
  readonly sku?: string;
  readonly available?: number;
  readonly status?: FakeProduct['status'];
  /** Deletes the product (sends `products/delete`). */
  readonly deleted?: boolean;
}

/**
 * A local Shopify for tests: an HTTP server on a free loopback port that answers the GraphQL Admin API
 * (`POST /admin/api/<version>/graphql.json`) from an in-memory shop. Every document and its variables is checked
 * against Shopify's real Admin schema first and refused as Shopify refuses it; documents that pass are executed by
 * graphql-js against that schema, so answers have Shopify's shapes, with `extensions.cost`. It sends signed webhooks as
 * a merchant's edits would, and throttles or fails on demand.
 */
export class ShopifyFake {
  public readonly store: ShopifyFakeStore;
  /** Every request, in order. */
  public readonly requests: RecordedRequest[] = [];
  /** Every webhook sent, in order (replays and tampered ones included). */
  public readonly webhooksSent: SentWebhook[] = [];
  public readonly accessToken: string;
  public readonly shopDomain: string;
  private webhooks?: { url: string; secret: string };
  private readonly bucket: { maximumAvailable: number; restoreRate: number; available: number; at: number };
  private readonly now: () => number;
  private throttles = 0;
  private failures: { count: number; status: number; retryAfter?: string } = { count: 0, status: 500 };
  private server?: Server;

  public constructor(options: ShopifyFakeOptions = {}) {
    this.now = options.now ?? Date.now;
    this.store = new ShopifyFakeStore(this.now, options.currencyCode);
    this.accessToken = options.accessToken ?? 'shpat_fake_token';
    this.shopDomain = options.shopDomain ?? 'fmp-test.myshopify.com';
    this.webhooks = options.webhooks;
    const bucket = options.bucket ?? { maximumAvailable: 1000, restoreRate: 50 };
    this.bucket = { ...bucket, available: bucket.maximumAvailable, at: this.now() };
  }

  /** Starts listening on a free port on 127.0.0.1. */
  public async start(): Promise<this> {
    this.server = createServer((request, response): void => {
      this.handle(request, response).catch((error: Error): void => {
        response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: error.message }));
      });
    });
    await new Promise<void>((resolve): void => {
      this.server!.listen(0, '127.0.0.1', resolve);
    });
    return this;
  }

  /** Stops listening. */
  public async stop(): Promise<void> {
    await new Promise<void>((resolve): void => {
      this.server?.closeAllConnections();
      this.server ? this.server.close((): void => resolve()) : resolve();
    });
  }

  /** The shop's base URL, to give the client as `shopUrl`. */
  public get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** Where webhooks go from now on, and the secret they are signed with. */
  public setWebhookTarget(url: string, secret: string): void {
    this.webhooks = { url, secret };
  }

  /** The next `count` GraphQL requests answer `THROTTLED` (with an empty bucket), as Shopify does when over the limit. */
  public throttleNext(count: number): void {
    this.throttles = count;
  }

  /** The next `count` requests answer this HTTP status (e.g. 429, 500, 503), with `Retry-After` when given. */
  public failNext(count: number, status: number, retryAfter?: string): void {
    this.failures = { count, status, retryAfter };
  }

  /** The requests with this root field (e.g. `productSet`) that changed the shop. */
  public applied(rootField: string): RecordedRequest[] {
    return this.requests.filter((request): boolean => request.rootField === rootField && request.applied);
  }

  /** A product by gid, as the shop holds it. */
  public product(productId: string): FakeProduct | undefined {
    return this.store.products.get(numericOf(productId, 'Product') ?? -1n);
  }

  /**
   * Changes a product as a merchant would in the Shopify admin, then sends the webhooks Shopify sends for it:
   * `inventory_levels/update` when the stock changed, and `products/update` (or `products/delete`).
   *
   * @returns The webhooks sent, with the receiver's answers.
   */
  public async editInAdmin(productId: string, edit: AdminEdit): Promise<SentWebhook[]> {
    const product = this.product(productId);
    if (!product) {
      throw new Error(`The fake shop has no product ${productId}`);
    }
    if (edit.deleted) {
      this.store.products.delete(product.id);
      return [ await this.sendWebhook('products/delete', productDeleteBody(product)) ];
    }
    const variant = product.variants[0];
    const time = this.store.isoNow();
    Object.assign(product, withoutUndefined({ title: edit.title, descriptionHtml: edit.descriptionHtml, status: edit.status }));
    if (variant) {
      Object.assign(variant, withoutUndefined({ price: edit.price, sku: edit.sku }));
      variant.updatedAt = time;
    }
    product.updatedAt = time;
    const sent: SentWebhook[] = [];
    if (edit.available !== undefined && variant) {
      this.store.setLevel(variant.inventoryItemId, this.store.locationId, edit.available);
      sent.push(await this.sendWebhook('inventory_levels/update',
        inventoryLevelBody(variant.inventoryItemId, this.store.locationId, edit.available, time)));
    }
    sent.push(await this.sendWebhook('products/update', productWebhookBody(product, this.store)));
    return sent;
  }

  /** Sends the last webhook again, byte for byte with the same id and HMAC, as an attacker replaying it would. */
  public async replayLastWebhook(): Promise<SentWebhook> {
    const last = this.lastWebhook();
    return this.deliver(last.topic, last.headers, last.body);
  }

  /**
   * Sends the last webhook with its body changed but its original HMAC (and a new webhook id), as an attacker would.
   * By default every price in it becomes `0.01`.
   */
  public async sendTamperedWebhook(tamper: (body: string) => string = (body): string =>
    body.replace(/"price":"[^"]*"/gu, '"price":"0.01"')): Promise<SentWebhook> {
    const last = this.lastWebhook();
    const body = tamper(last.body);
    if (body === last.body) {
      throw new Error('The tampering changed nothing in the last webhook');
    }
    return this.deliver(last.topic, { ...last.headers, 'X-Shopify-Webhook-Id': randomUUID() }, body);
  }

  private lastWebhook(): SentWebhook {
    const last = this.webhooksSent.at(-1);
    if (!last) {
      throw new Error('The fake has sent no webhook yet');
    }
    return last;
  }

  /** Signs and sends a webhook with the headers Shopify sends. */
  private async sendWebhook(topic: string, payload: Record<string, unknown>): Promise<SentWebhook> {
    if (!this.webhooks) {
      throw new Error('No webhook target: give the fake `webhooks` or call setWebhookTarget()');
    }
    const body = stringify(payload)!;
    return this.deliver(topic, {
      'Content-Type': 'application/json',
      'User-Agent': 'Shopify-Captain-Hook',
      'X-Shopify-Topic': topic,
      'X-Shopify-Hmac-Sha256': shopifyWebhookHmac(body, this.webhooks.secret),
      'X-Shopify-Shop-Domain': this.shopDomain,
      'X-Shopify-API-Version': '2025-10',
      'X-Shopify-Webhook-Id': randomUUID(),
      'X-Shopify-Event-Id': randomUUID(),
      'X-Shopify-Triggered-At': new Date(this.now()).toISOString(),
    }, body);
  }

  private async deliver(topic: string, headers: Record<string, string>, body: string): Promise<SentWebhook> {
    let status = 0;
    try {
      const response = await fetch(this.webhooks!.url, { method: 'POST', headers, body });
      await response.arrayBuffer();
      status = response.status;
    } catch {
      // Shopify retries later; the test sees status 0.
    }
    const sent = { topic, webhookId: headers['X-Shopify-Webhook-Id'], headers, body, status };
    this.webhooksSent.push(sent);
    return sent;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
    };
    const version = /^\/admin\/api\/([^/]+)\/graphql\.json$/u.exec(request.url ?? '')?.[1];
    const record = (entry: Omit<RecordedRequest, 'apiVersion'>): void => {
      this.requests.push({ apiVersion: version ?? '', ...entry });
    };
    if (request.method !== 'POST' || !version || !VERSIONS.includes(version)) {
      record({ status: 404, applied: false });
      return answer(404, { errors: 'Not Found' });
    }
    if (request.headers['x-shopify-access-token'] !== this.accessToken) {
      record({ status: 401, applied: false });
      return answer(401, { errors: INVALID_TOKEN });
    }
    if (this.failures.count > 0) {
      this.failures.count -= 1;
      record({ status: this.failures.status, applied: false });
      return answer(this.failures.status, { errors: `Fake failure ${this.failures.status}` },
        this.failures.retryAfter === undefined ? {} : { 'Retry-After': this.failures.retryAfter });
    }
    let body: { query?: unknown; variables?: unknown; operationName?: string };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString()) as typeof body;
    } catch {
      record({ status: 400, applied: false });
      return answer(400, { errors: 'Bad Request: the body is not JSON' });
    }
    const checked = checkOperation(loadAdminSchema(version), body.query, body.variables, body.operationName);
    const base = { query: typeof body.query === 'string' ? body.query : undefined, operationName: body.operationName };
    if (!checked.ok) {
      record({ ...base, status: 200, applied: false });
      return answer(200, { errors: checked.errors });
    }
    const rootField = rootFieldOf(checked.document);
    const isMutation = operationKind(checked.document) === 'mutation';
    const cost = queryCost(checked.document, checked.variables, isMutation);
    const entry = { ...base, rootField, variables: checked.variables, status: 200 };
    if (cost > this.bucket.maximumAvailable) {
      record({ ...entry, applied: false });
      return answer(200, {
        errors: [{ message: `Query cost is ${cost}, which exceeds the single query max cost limit (${this.bucket.maximumAvailable}).`,
          extensions: { code: 'MAX_COST_EXCEEDED', cost, maxCost: this.bucket.maximumAvailable }}],
        extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: this.throttleStatus() }},
      });
    }
    if (!this.takeFromBucket(cost)) {
      record({ ...entry, applied: false });
      return answer(200, {
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' }}],
        extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: this.throttleStatus() }},
      });
    }
    const result = await execute({
      schema: loadAdminSchema(version),
      document: checked.document,
      rootValue: this.store.rootValue(version),
      variableValues: body.variables as Record<string, unknown> | undefined,
      operationName: body.operationName,
    });
    const payload = rootField && result.data ? result.data[rootField] as { userErrors?: unknown[] } | null : null;
    record({ ...entry, applied: isMutation && !result.errors && (payload?.userErrors ?? []).length === 0 });
    // Shopify takes the requested cost up front and refunds what the answer did not use.
    const actual = isMutation ? cost : Math.min(cost, actualCost(checked.document, result.data ?? {}));
    this.bucket.available = Math.min(this.bucket.maximumAvailable, this.bucket.available + cost - actual);
    answer(200, { ...result, extensions: { cost: { requestedQueryCost: cost, actualQueryCost: actual,
      throttleStatus: this.throttleStatus() }}});
  }

  /** Refills the bucket for the time passed and takes `cost` from it; false (throttled) when it holds too little. */
  private takeFromBucket(cost: number): boolean {
    const now = this.now();
    this.bucket.available = Math.min(this.bucket.maximumAvailable,
      this.bucket.available + ((now - this.bucket.at) / 1000) * this.bucket.restoreRate);
    this.bucket.at = now;
    if (this.throttles > 0) {
      this.throttles -= 1;
      this.bucket.available = 0;
    }
    if (this.bucket.available < cost) {
      return false;
    }
    this.bucket.available -= cost;
    return true;
  }

  private throttleStatus(): { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } {
    return {
      maximumAvailable: this.bucket.maximumAvailable,
      currentlyAvailable: Math.floor(this.bucket.available),
      restoreRate: this.bucket.restoreRate,
    };
  }
}

function operationKind(document: DocumentNode): string | undefined {
  const operation = document.definitions.find((definition): boolean => definition.kind === Kind.OPERATION_DEFINITION);
  return (operation as { operation?: string } | undefined)?.operation;
}

function rootFieldOf(document: DocumentNode): string | undefined {
  const operation = document.definitions.find((definition): boolean => definition.kind === Kind.OPERATION_DEFINITION) as
    { selectionSet: SelectionSetNode } | undefined;
  const field = operation?.selectionSet.selections.find((selection): boolean => selection.kind === Kind.FIELD) as FieldNode | undefined;
  return field?.name.value;
}

/**
 * An estimate of Shopify's calculated query cost: 10 per mutation, 1 per object, and for a connection 2 plus `first`
 * times (1 + the cost of one node). Close enough for the bucket to behave as Shopify's does; not Shopify's exact numbers.
 */
function queryCost(document: DocumentNode, variables: Record<string, unknown>, isMutation: boolean): number {
  const fragments = new Map<string, SelectionSetNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition.selectionSet);
    }
  }
  const pageSize = (field: FieldNode): number | undefined => {
    const argument = field.arguments?.find((candidate): boolean => candidate.name.value === 'first' || candidate.name.value === 'last');
    if (!argument) {
      return undefined;
    }
    const value = argument.value;
    return value.kind === Kind.INT ? Number(value.value) : value.kind === Kind.VARIABLE ? Number(variables[value.name.value] ?? 0) : 0;
  };
  const costOf = (selectionSet: SelectionSetNode | undefined): number => (selectionSet?.selections ?? []).reduce((sum, selection): number => {
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      return sum + costOf(fragments.get(selection.name.value));
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      return sum + costOf(selection.selectionSet);
    }
    if (!selection.selectionSet) {
      return sum;
    }
    const name = selection.name.value;
    if (name === 'nodes' || name === 'edges' || name === 'node' || name === 'pageInfo') {
      return sum + (name === 'pageInfo' ? 0 : costOf(selection.selectionSet));
    }
    const size = pageSize(selection);
    return sum + (size === undefined ? 1 + costOf(selection.selectionSet) : 2 + size * (1 + costOf(selection.selectionSet)));
  }, 0);
  const operation = document.definitions.find((definition): boolean => definition.kind === Kind.OPERATION_DEFINITION) as
    { selectionSet: SelectionSetNode };
  return isMutation ? 10 : Math.max(1, costOf(operation.selectionSet));
}

/** The cost of what the answer holds: connections count the nodes returned, not the page size asked for. */
function actualCost(document: DocumentNode, data: Record<string, unknown>): number {
  const fragments = new Map<string, SelectionSetNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition.selectionSet);
    }
  }
  const fieldsOf = (selectionSet: SelectionSetNode | undefined): FieldNode[] => (selectionSet?.selections ?? []).flatMap(
    (selection): FieldNode[] => selection.kind === Kind.FIELD ? [ selection ] :
      fieldsOf(selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection.selectionSet));
  const costOf = (selectionSet: SelectionSetNode | undefined, value: unknown): number => {
    if (value === null || typeof value !== 'object') {
      return 0;
    }
    return fieldsOf(selectionSet).reduce((sum, field): number => {
      const child = (value as Record<string, unknown>)[field.alias?.value ?? field.name.value];
      if (!field.selectionSet || child === null || child === undefined) {
        return sum;
      }
      if (Array.isArray(child)) {
        return sum + child.reduce((total: number, item): number => total + 1 + costOf(field.selectionSet, item), 0);
      }
      const isConnection = field.arguments?.some((argument): boolean => argument.name.value === 'first' || argument.name.value === 'last');
      const wrapper = [ 'nodes', 'edges', 'node', 'pageInfo' ].includes(field.name.value);
      const own = isConnection ? 2 : wrapper ? (field.name.value === 'node' ? 1 : 0) : 1;
      return sum + own + (field.name.value === 'pageInfo' ? 0 : costOf(field.selectionSet, child));
    }, 0);
  };
  const operation = document.definitions.find((definition): boolean => definition.kind === Kind.OPERATION_DEFINITION) as
    { selectionSet: SelectionSetNode };
  return Math.max(1, costOf(operation.selectionSet, data));
}

function withoutUndefined<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([ , value ]): boolean => value !== undefined)) as Partial<T>;
}
