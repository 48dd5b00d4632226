import { TargetRefusedError, TargetRetriableError } from '../runtime/targetErrors';
import { INVENTORY_SET_QUANTITIES, PRIMARY_LOCATION, PRODUCT, PRODUCT_SET, PRODUCT_STATUS, PRODUCTS,
  SHOP } from './graphqlDocuments';
import { readShopifyProduct } from './mapping';
import type { ProductSetInput, ShopifyProductData } from './types';
import { SHOPIFY_API_VERSION } from './types';

const TARGET = 'shopify';

/** How the client reaches a shop. */
export interface ShopifyClientOptions {
  /** The store's base URL, e.g. `https://greenacres.myshopify.com` (any base URL works, for local fakes). */
  readonly shopUrl: string;
  /** The Admin API access token (`shpat_…`). Kept in a private field; never part of a message or log. */
  readonly accessToken: string;
  /** Defaults to `2025-10`. */
  readonly apiVersion?: string;
  /** Defaults to the global fetch; the FMP passes a guarded one. */
  readonly fetch?: typeof fetch;
}

/** Shopify's rate-limit bucket after the last answer (`extensions.cost.throttleStatus`). */
export interface ShopifyThrottleStatus {
  readonly maximumAvailable: number;
  readonly currentlyAvailable: number;
  readonly restoreRate: number;
}

interface GraphQlError { message?: string; extensions?: { code?: string } }
interface GraphQlCost { requestedQueryCost?: number; throttleStatus?: ShopifyThrottleStatus }
interface GraphQlAnswer { data?: Record<string, unknown> | null; errors?: GraphQlError[] | string; extensions?: { cost?: GraphQlCost } }
interface UserError { field?: string[] | null; message: string }

/**
 * A small client for the GraphQL Admin API (`POST <shop>/admin/api/<version>/graphql.json`) with the calls the
 * Shopify bridge makes. Every failure is a `TargetRetriableError` (429, 5xx, `THROTTLED`, network; with `retryAfterMs`
 * when known) or a `TargetRefusedError` (401/403/404 and other 4xx, GraphQL errors, `userErrors`; with Shopify's reason).
 */
export class ShopifyClient {
  public readonly apiVersion: string;
  public readonly endpoint: string;
  /** The bucket as of the last answer, so a caller can pace itself before Shopify throttles. */
  public lastThrottleStatus?: ShopifyThrottleStatus;
  readonly #accessToken: string;
  readonly #fetch: typeof fetch;

  public constructor(options: ShopifyClientOptions) {
    this.apiVersion = options.apiVersion ?? SHOPIFY_API_VERSION;
    this.endpoint = new URL(`admin/api/${this.apiVersion}/graphql.json`,
      options.shopUrl.endsWith('/') ? options.shopUrl : `${options.shopUrl}/`).href;
    this.#accessToken = options.accessToken;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  /**
   * Creates or updates a product with `productSet`, synchronously, and returns it as Shopify now has it, with its
   * variant and inventory item ids. It is found by `productId` when given, else by the input's handle, so sending the
   * same product twice (a retry after a crash) updates the one product instead of making a second.
   */
  public async setProduct(input: ProductSetInput, productId?: string): Promise<ShopifyProductData> {
    const identifier = productId !== undefined ? { id: productId } : input.handle === undefined ? null : { handle: input.handle };
    const data = await this.request('productSet', PRODUCT_SET, { identifier, input });
    const payload = this.checkedPayload('productSet', data);
    if (!payload.product) {
      throw new TargetRefusedError(TARGET, 'Shopify answered productSet without a product');
    }
    return readShopifyProduct(payload.product);
  }

  /** Archives a product (status ARCHIVED): it leaves the shop's channels but keeps its history and orders. */
  public async archiveProduct(productId: string): Promise<void> {
    const data = await this.request('productUpdate', PRODUCT_STATUS, { product: { id: productId, status: 'ARCHIVED' }});
    this.checkedPayload('productUpdate', data);
  }

  /** One product, or `undefined` when the shop has none with this id. */
  public async getProduct(productId: string): Promise<ShopifyProductData | undefined> {
    const data = await this.request('product', PRODUCT, { id: productId });
    return data.product ? readShopifyProduct(data.product) : undefined;
  }

  /**
   * Every product (or those matching a Shopify search `query`, e.g. `tag:fmp-vault`), page by page with cursors.
   *
   * @param options - `query`: a Shopify product search; `pageSize`: products per request (default 10, which keeps a
   *   page's requested cost near 430 of Shopify's 1,000-point limit).
   */
  public async* listProducts(options: { query?: string; pageSize?: number } = {}): AsyncIterable<ShopifyProductData> {
    let after: string | null = null;
    do {
      const data = await this.request('products', PRODUCTS,
        { first: options.pageSize ?? 10, after, query: options.query ?? null });
      const page = data.products as { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      for (const node of page.nodes) {
        yield readShopifyProduct(node);
      }
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after !== null);
  }

  /**
   * Sets the `available` quantity of an inventory item at a location (`inventorySetQuantities`), as a correction,
   * without a compare-and-set: the pod is the source of truth for stock it sends. API 2025-10 opts out of the comparison
   * with `ignoreCompareQuantity: true`; from 2026-01 on (where that field is deprecated, and removed in 2026-04) with
   * `changeFromQuantity: null`.
   */
  public async setAvailable(inventoryItemId: string, locationId: string, quantity: number): Promise<void> {
    const quantities = [{ inventoryItemId, locationId, quantity: Math.max(0, Math.floor(quantity)) }];
    const input = this.apiVersion >= '2026-01' ?
      { name: 'available', reason: 'correction', quantities: quantities.map((line): object => ({ ...line, changeFromQuantity: null })) } :
      { name: 'available', reason: 'correction', ignoreCompareQuantity: true, quantities };
    const data = await this.request('inventorySetQuantities', INVENTORY_SET_QUANTITIES, { input });
    this.checkedPayload('inventorySetQuantities', data);
  }

  /** The id of the shop's primary location, where the bridge keeps stock. */
  public async primaryLocationId(): Promise<string> {
    const data = await this.request('location', PRIMARY_LOCATION, {});
    const location = data.location as { id?: string } | null;
    if (!location?.id) {
      throw new TargetRefusedError(TARGET, 'Shopify answered that the shop has no primary location');
    }
    return location.id;
  }

  /** The shop's currency (ISO 4217, e.g. `EUR`): every Shopify price is in it. */
  public async shopCurrency(): Promise<string> {
    const data = await this.request('shop', SHOP, {});
    return (data.shop as { currencyCode: string }).currencyCode;
  }

  /** The mutation payload, after turning its `userErrors` into a refusal. */
  private checkedPayload(operation: string, data: Record<string, unknown>): { product?: unknown; userErrors: UserError[] } {
    const payload = data[operation] as { product?: unknown; userErrors?: UserError[] } | null;
    const userErrors = payload?.userErrors ?? [];
    if (userErrors.length > 0) {
      throw new TargetRefusedError(TARGET, `Shopify refused ${operation}: ${userErrors.map(describeUserError).join('; ')}`);
    }
    if (!payload) {
      throw new TargetRefusedError(TARGET, `Shopify answered ${operation} with nothing`);
    }
    return { ...payload, userErrors };
  }

  /** Sends one GraphQL document and returns its `data`, or throws a retriable or refused error. */
  private async request(operation: string, query: string, variables: object): Promise<Record<string, unknown>> {
    const response = await this.post(operation, query, variables);
    const answer = await readAnswer(operation, response);
    const cost = typeof answer.errors === 'string' ? undefined : answer.extensions?.cost;
    if (cost?.throttleStatus) {
      this.lastThrottleStatus = cost.throttleStatus;
    }
    if (response.status === 429 || response.status >= 500) {
      throw new TargetRetriableError(TARGET, `Shopify answered ${operation} with ${response.status} ${response.statusText}`.trim(),
        retryAfterOf(response) ?? waitForBucket(cost));
    }
    if (!response.ok) {
      throw new TargetRefusedError(TARGET, `Shopify refused ${operation}: ${response.status} ${response.statusText}` +
        `${errorDetail(answer.errors)}${response.status === 401 ? ' (check the Admin API access token)' : ''}`,
      response.status);
    }
    const errors = Array.isArray(answer.errors) ? answer.errors : [];
    if (errors.some((error): boolean => error.extensions?.code === 'THROTTLED')) {
      throw new TargetRetriableError(TARGET, `Shopify throttled ${operation}`, waitForBucket(cost) ?? 1000);
    }
    if (errors.some((error): boolean => error.extensions?.code === 'INTERNAL_SERVER_ERROR')) {
      throw new TargetRetriableError(TARGET, `Shopify failed ${operation}:${errorDetail(errors)}`);
    }
    if (errors.length > 0 || !answer.data) {
      throw new TargetRefusedError(TARGET, `Shopify refused ${operation}:${errorDetail(errors) || ' no data'}`);
    }
    return answer.data;
  }

  private async post(operation: string, query: string, variables: object): Promise<Response> {
    try {
      return await this.#fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-shopify-access-token': this.#accessToken,
        },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error: unknown) {
      // Network errors name the host at most, never the request headers.
      throw new TargetRetriableError(TARGET, `Shopify could not be reached for ${operation}: ${(error as Error).message}`,
        undefined, { cause: error });
    }
  }
}

/** The answer's JSON; a body that is not JSON (a proxy's error page) counts as an empty answer. */
async function readAnswer(operation: string, response: Response): Promise<GraphQlAnswer> {
  let text: string;
  try {
    text = await response.text();
  } catch (error: unknown) {
    throw new TargetRetriableError(TARGET, `Shopify's answer to ${operation} was cut off: ${(error as Error).message}`,
      undefined, { cause: error });
  }
  try {
    const answer: unknown = JSON.parse(text);
    return typeof answer === 'object' && answer !== null ? answer as GraphQlAnswer : {};
  } catch {
    if (response.ok) {
      throw new TargetRetriableError(TARGET, `Shopify answered ${operation} with something that is not JSON`);
    }
    return {};
  }
}

/** `Retry-After` in milliseconds (seconds, possibly with decimals as Shopify sends `2.0`, or an HTTP date). */
function retryAfterOf(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (!header) {
    return undefined;
  }
  const seconds = Number(header);
  if (Number.isFinite(seconds)) {
    return Math.max(0, Math.ceil(seconds * 1000));
  }
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** How long until the bucket holds the points the query asked for, from Shopify's own numbers. */
function waitForBucket(cost: GraphQlCost | undefined): number | undefined {
  const status = cost?.throttleStatus;
  if (!status || !(status.restoreRate > 0)) {
    return undefined;
  }
  const missing = Math.max(1, (cost.requestedQueryCost ?? 1) - status.currentlyAvailable);
  return Math.ceil((missing / status.restoreRate) * 1000);
}

function errorDetail(errors: GraphQlAnswer['errors']): string {
  if (typeof errors === 'string') {
    return ` ${errors}`;
  }
  const messages = (errors ?? []).map((error): string => error.message ?? '').filter(Boolean);
  return messages.length > 0 ? ` ${messages.join('; ')}` : '';
}

function describeUserError(error: UserError): string {
  return error.field && error.field.length > 0 ? `${error.message} (field: ${error.field.join('.')})` : error.message;
}
