import type { Quad } from '@rdfjs/types';
import { parseRdf } from '../../shapes/parseRdf';
import { TargetRefusedError, TargetRetriableError } from '../runtime/targetErrors';
import type { JsonLdNode } from './mapping';
import { ofnIdOf } from './mapping';

const TARGET = 'ofn';

/** How the client reaches an OFN instance. */
export interface OfnClientOptions {
  /** The instance's base URL, e.g. `https://openfoodnetwork.org.uk/` (any base URL works, for local fakes). */
  readonly baseUrl: string;
  /** The enterprise's id at OFN (`/api/dfc/enterprises/<id>`). */
  readonly enterpriseId: string;
  /** An OIDC access token or an OFN API key, sent as a bearer token. Kept private; never part of a message. */
  readonly token: string;
  /** Defaults to the global fetch; the FMP passes a guarded one. */
  readonly fetch?: typeof fetch;
}

/** An answer's DFC document, parsed. */
export interface DfcAnswer {
  readonly url: string;
  readonly quads: Quad[];
  /** The top-level `@id`, when the document has one. */
  readonly id?: string;
}

/**
 * A small client for OFN's DFC API (`<base>/api/dfc/…`, DFC 1.16 JSON-LD) with the calls the OFN bridge makes.
 * Every failure is a `TargetRetriableError` (429, 5xx, network; with `retryAfterMs` when OFN says) or a
 * `TargetRefusedError` (401/403 and other 4xx, an answer that is not DFC JSON-LD; with OFN's reason).
 */
export class OfnClient {
  /** `<base>/api/dfc/enterprises/<id>`: the enterprise's URL, and the root of its records. */
  public readonly enterpriseUrl: string;
  readonly #token: string;
  readonly #fetch: typeof fetch;

  public constructor(options: OfnClientOptions) {
    const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
    this.enterpriseUrl = new URL(`api/dfc/enterprises/${encodeURIComponent(options.enterpriseId)}`, base).href;
    this.#token = options.token;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  /** The enterprise's document (with its catalog); refused when the token does not give access to it. */
  public async enterprise(): Promise<DfcAnswer> {
    const answer = await this.getDocument('GET enterprise', this.enterpriseUrl);
    if (!answer) {
      throw new TargetRefusedError(TARGET, `OFN has no enterprise at ${this.enterpriseUrl} (404)`, 404);
    }
    return answer;
  }

  /** The enterprise's catalog: every catalog item with its supplied product and offer. */
  public async catalog(): Promise<Quad[]> {
    return (await this.getDocument('GET catalog_items', this.url('catalog_items')))?.quads ?? [];
  }

  /** One variant's documents (catalog item with its offer, and the supplied product), or `undefined` if OFN has none. */
  public async variant(id: string): Promise<Quad[] | undefined> {
    const item = await this.getDocument('GET catalog_item', this.url('catalog_items', id));
    if (!item) {
      return undefined;
    }
    const product = await this.getDocument('GET supplied_product', this.url('supplied_products', id));
    return [ ...item.quads, ...product?.quads ?? [] ];
  }

  /** Creates a supplied product (OFN makes a variant, with its catalog item and offer); returns OFN's id for it. */
  public async createSuppliedProduct(document: JsonLdNode): Promise<string> {
    const response = await this.send('POST supplied_products', 'POST', this.url('supplied_products'), document);
    const answer = await this.readDocument('POST supplied_products', response);
    if (!answer.id) {
      throw new TargetRefusedError(TARGET, 'OFN answered POST supplied_products without the new product\'s @id');
    }
    return ofnIdOf(answer.id);
  }

  public async updateSuppliedProduct(id: string, document: JsonLdNode): Promise<void> {
    await this.put('PUT supplied_product', 'supplied_products', id, document);
  }

  public async updateCatalogItem(id: string, document: JsonLdNode): Promise<void> {
    await this.put('PUT catalog_item', 'catalog_items', id, document);
  }

  public async updateOffer(id: string, document: JsonLdNode): Promise<void> {
    await this.put('PUT offer', 'offers', id, document);
  }

  /** The URL of a record kind (and id) under the enterprise. */
  public url(kind: 'catalog_items' | 'supplied_products' | 'offers', id?: string): string {
    return `${this.enterpriseUrl}/${kind}${id === undefined ? '' : `/${encodeURIComponent(id)}`}`;
  }

  private async put(operation: string, kind: 'catalog_items' | 'supplied_products' | 'offers', id: string,
    document: JsonLdNode): Promise<void> {
    const response = await this.send(operation, 'PUT', this.url(kind, id), document);
    await response.arrayBuffer();
  }

  private async getDocument(operation: string, url: string): Promise<DfcAnswer | undefined> {
    const response = await this.request(operation, url, { method: 'GET' });
    if (response.status === 404) {
      await response.arrayBuffer();
      return undefined;
    }
    await this.check(operation, response);
    return this.readDocument(operation, response);
  }

  private async send(operation: string, method: string, url: string, document: JsonLdNode): Promise<Response> {
    const response = await this.request(operation, url, { method, body: JSON.stringify(document),
      headers: { 'content-type': 'application/json' }});
    await this.check(operation, response);
    return response;
  }

  private async request(operation: string, url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.#fetch(url, { ...init, headers: { ...init.headers as Record<string, string>,
        accept: 'application/json', authorization: `Bearer ${this.#token}` }});
    } catch (error: unknown) {
      // Network errors name the host at most, never the request headers.
      throw new TargetRetriableError(TARGET, `OFN could not be reached for ${operation}: ${(error as Error).message}`,
        undefined, { cause: error });
    }
  }

  /** Throws for a failed answer: retriable for 429 and 5xx, refused (with OFN's reason) for the rest. */
  private async check(operation: string, response: Response): Promise<void> {
    if (response.ok) {
      return;
    }
    const text = (await response.text().catch((): string => '')).trim().split('\n')[0].slice(0, 300);
    const reason = `OFN answered ${operation} with ${response.status} ${response.statusText}`.trim() + (text ? `: ${text}` : '');
    if (response.status === 429 || response.status >= 500) {
      throw new TargetRetriableError(TARGET, reason, retryAfterOf(response));
    }
    throw new TargetRefusedError(TARGET, reason + (response.status === 401 || response.status === 403 ?
      ' (check the token given to connect: an OIDC access token or an OFN API key with access to the enterprise)' : ''),
    response.status);
  }

  private async readDocument(operation: string, response: Response): Promise<DfcAnswer> {
    const text = await response.text();
    try {
      const quads = await parseRdf(text, 'application/ld+json', response.url || this.enterpriseUrl);
      const parsed = JSON.parse(text) as { '@id'?: unknown };
      return { url: response.url, quads, ...typeof parsed['@id'] === 'string' ? { id: parsed['@id'] } : {} };
    } catch (error: unknown) {
      throw new TargetRefusedError(TARGET, `OFN answered ${operation} with a document that is not DFC JSON-LD: ` +
        `${(error as Error).message.split('\n')[0]}`, undefined, { cause: error });
    }
  }
}

/** `Retry-After` in milliseconds (seconds or an HTTP date), if the answer says. */
function retryAfterOf(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (!header) {
    return undefined;
  }
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}
