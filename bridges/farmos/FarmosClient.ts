import { parseRetryAfter } from '../runtime/retryPolicy';
import { TargetRefusedError, TargetRetriableError } from '../runtime/targetErrors';
import type { JsonApiDocument, JsonApiError, Resource } from './jsonApi';
import { entityAndBundle, JSON_API } from './jsonApi';
import type { FarmosRecord } from './mapping';
import { termKey } from './mapping';

const TARGET = 'farmos';
/** Drupal's JSON:API answers at most 50 resources a page. */
export const FARMOS_PAGE_SIZE = 50;

/** How the client reaches a farmOS server and logs in to it. */
export interface FarmosClientOptions {
  /** The farmOS base URL, e.g. `https://myfarm.farmos.net`. */
  readonly baseUrl: string;
  readonly clientId: string;
  /** For the client_credentials grant (farmOS 3.x). */
  readonly clientSecret?: string;
  /** For the password grant (older instances; farmOS 3.x only with its password grant module). */
  readonly username?: string;
  readonly password?: string;
  /** e.g. `farm_manager`. */
  readonly scope?: string;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

/** What farmOS's `/api` says about the farm. */
export interface FarmInfo {
  readonly name?: string;
  readonly version?: string;
}

interface Token {
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly expiresAt: number;
}

/** The related resources the bridge reads with each record type. */
const INCLUDES: Readonly<Record<string, string>> = Object.freeze({
  'asset--land': 'parent',
  'asset--plant': 'plant_type,season,location',
  log: 'asset,location,quantity,quantity.units',
});

/**
 * A small client for farmOS's JSON:API (`<base>/api/<entity>/<bundle>`) with OAuth2: an access token from
 * `<base>/oauth/token` (client_credentials, or the password grant with a refresh token), fetched again shortly before
 * it lapses and once more when farmOS answers 401. Every failure is a `TargetRetriableError` (429, 5xx, network; with
 * `Retry-After`) or a `TargetRefusedError` (other 4xx; with farmOS's own error detail). Secrets stay in private fields.
 */
export class FarmosClient {
  public readonly baseUrl: string;
  readonly #options: FarmosClientOptions;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  #token?: Promise<Token>;
  /** Term ids by vocabulary and name key, as farmOS has them. */
  readonly #terms = new Map<string, Map<string, string>>();
  /** Resource types of asset ids seen. */
  readonly #assetTypes = new Map<string, string>();

  public constructor(options: FarmosClientOptions) {
    this.baseUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
    this.#options = options;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#now = options.now ?? Date.now;
  }

  /** The farm's name and version (`GET /api`), which also proves the credentials work. */
  public async info(): Promise<FarmInfo> {
    const document = await this.request('GET', 'api');
    return ((document?.meta as { farm?: FarmInfo } | undefined)?.farm) ?? {};
  }

  /** One record with what it refers to, or `undefined` if farmOS has none with this id. */
  public async get(type: string, id: string): Promise<FarmosRecord | undefined> {
    const include = INCLUDES[type] ?? INCLUDES[entityAndBundle(type)[0]];
    const document = await this.request('GET', `${this.pathOf(type)}/${id}${include ? `?include=${include}` : ''}`);
    if (!document || !document.data || Array.isArray(document.data)) {
      return undefined;
    }
    this.remember(document);
    return { data: document.data as Resource, included: document.included ?? [] };
  }

  /**
   * Every record of a type, page by page along `links.next` (farmOS pages hold at most 50); only those changed at or
   * after `changedSince` (ISO 8601) when given, oldest change first.
   */
  public async* list(type: string, changedSince?: string): AsyncIterable<Resource> {
    const query = new URLSearchParams({ 'page[limit]': String(FARMOS_PAGE_SIZE), sort: 'changed' });
    if (changedSince !== undefined) {
      query.set('filter[changed][condition][path]', 'changed');
      query.set('filter[changed][condition][operator]', '>=');
      query.set('filter[changed][condition][value]', String(Math.floor(Date.parse(changedSince) / 1000)));
    }
    let next: string | undefined = `${this.pathOf(type)}?${query.toString()}`;
    while (next !== undefined) {
      const page: JsonApiDocument | undefined = await this.request('GET', next);
      for (const resource of (page?.data ?? []) as Resource[]) {
        yield resource;
      }
      next = page?.links?.next?.href;
    }
  }

  /**
   * Creates a resource with its own id, or updates it when farmOS has it already (`PATCH` first when `exists`), so
   * sending twice makes one record. Returns the resource as farmOS now has it.
   */
  public async upsert(resource: Resource, exists: boolean): Promise<Resource> {
    const path = this.pathOf(resource.type);
    if (exists) {
      const updated = await this.request('PATCH', `${path}/${resource.id}`, { data: resource }, [ 404 ]);
      if (updated) {
        return updated.data as Resource;
      }
    }
    const created = await this.request('POST', path, { data: resource }, [ 409 ]);
    if (created) {
      return created.data as Resource;
    }
    // 409: a create that reached farmOS before a crash (or another worker's); the same id, so an update.
    return (await this.request('PATCH', `${path}/${resource.id}`, { data: resource }))!.data as Resource;
  }

  /** Changes some attributes of a resource. */
  public async patch(type: string, id: string, attributes: Record<string, unknown>): Promise<void> {
    await this.request('PATCH', `${this.pathOf(type)}/${id}`, { data: { type, id, attributes }}, [ 404 ]);
  }

  /** Deletes a resource; one already gone is fine. */
  public async delete(type: string, id: string): Promise<void> {
    await this.request('DELETE', `${this.pathOf(type)}/${id}`, undefined, [ 404 ]);
  }

  /**
   * The id of the term of this vocabulary and name in farmOS (names compared as {@link termKey} does); the term is
   * made, with `term.id`, when farmOS has none.
   */
  public async ensureTerm(term: Resource): Promise<string> {
    const name = String(term.attributes?.name);
    const known = await this.termsOf(term.type);
    const found = known.get(termKey(name));
    if (found) {
      return found;
    }
    const made = await this.upsert(term, false);
    known.set(termKey(name), made.id);
    return made.id;
  }

  /** The asset type (`asset--plant`, `asset--land`) of an asset id, trying `guess` first; `undefined` if farmOS has none. */
  public async assetTypeOf(id: string, guess: string): Promise<string | undefined> {
    const known = this.#assetTypes.get(id);
    if (known) {
      return known;
    }
    for (const type of [ guess, ...[ 'asset--plant', 'asset--land' ].filter((other): boolean => other !== guess) ]) {
      if (await this.request('GET', `${this.pathOf(type)}/${id}`, undefined, [ 404 ])) {
        this.#assetTypes.set(id, type);
        return type;
      }
    }
    return undefined;
  }

  private async termsOf(type: string): Promise<Map<string, string>> {
    let terms = this.#terms.get(type);
    if (!terms) {
      terms = new Map();
      for await (const term of this.list(type)) {
        const name = term.attributes?.name;
        if (typeof name === 'string' && !terms.has(termKey(name))) {
          terms.set(termKey(name), term.id);
        }
      }
      this.#terms.set(type, terms);
    }
    return terms;
  }

  private remember(document: JsonApiDocument): void {
    for (const resource of [ document.data as Resource, ...document.included ?? [] ]) {
      if (resource.type.startsWith('asset--')) {
        this.#assetTypes.set(resource.id, resource.type);
      }
    }
  }

  private pathOf(type: string): string {
    const [ entity, bundle ] = entityAndBundle(type);
    if (!/^[a-z_]+$/u.test(entity) || !/^[a-z_]+$/u.test(bundle)) {
      throw new TargetRefusedError(TARGET, `${type} is not a farmOS resource type`);
    }
    return `api/${entity}/${bundle}`;
  }

  /**
   * Sends one JSON:API request (a path relative to the base, or a `links.next` URL) with a valid token; answers
   * `undefined` for a status in `absent`. A 401 gets a new token and one more try.
   */
  private async request(method: string, path: string, body?: unknown, absent: number[] = [], renewed = false):
  Promise<JsonApiDocument | undefined> {
    const token = await this.token();
    const url = new URL(path, this.baseUrl);
    if (url.origin !== new URL(this.baseUrl).origin) {
      throw new TargetRefusedError(TARGET, `farmOS pointed the bridge away from ${this.baseUrl}`);
    }
    const response = await this.send(url.href, {
      method,
      headers: { accept: JSON_API, authorization: `Bearer ${token.accessToken}`,
        ...body === undefined ? {} : { 'content-type': JSON_API } },
      ...body === undefined ? {} : { body: JSON.stringify(body) },
    });
    const text = await response.text();
    if (response.status === 401 && !renewed) {
      this.forgetToken(token);
      return this.request(method, path, body, absent, true);
    }
    if (absent.includes(response.status)) {
      return undefined;
    }
    if (!response.ok) {
      throw this.errorOf(response, text, `${method} ${url.pathname}`);
    }
    return text === '' ? undefined : JSON.parse(text) as JsonApiDocument;
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.#fetch(url, init);
    } catch (error: unknown) {
      if ((error as Error).name === 'OutboundRefusedError') {
        throw error;
      }
      throw new TargetRetriableError(TARGET, `farmOS could not be reached: ${(error as Error).message}`, undefined, { cause: error });
    }
  }

  private errorOf(response: Response, text: string, what: string): Error {
    const reason = `farmOS answered ${what} with ${response.status}: ${readErrors(text)}`;
    if (response.status === 429 || response.status >= 500) {
      return new TargetRetriableError(TARGET, reason, parseRetryAfter(response.headers.get('retry-after'), this.#now()));
    }
    return new TargetRefusedError(TARGET, reason, response.status);
  }

  /** A token valid for a while yet: the one held, refreshed when a quarter of its life (at most a minute) is left. */
  private async token(): Promise<Token> {
    const held = this.#token;
    if (held) {
      const token = await held.catch((): undefined => undefined);
      if (token && token.expiresAt > this.#now()) {
        return token;
      }
      if (this.#token === held) {
        this.#token = this.fetchToken(token?.refreshToken);
      }
    } else {
      this.#token = this.fetchToken();
    }
    const pending = this.#token!;
    try {
      return await pending;
    } catch (error: unknown) {
      if (this.#token === pending) {
        this.#token = undefined;
      }
      throw error;
    }
  }

  /** Drops a token farmOS no longer takes; requests that hit it at once share the one new token. */
  private forgetToken(token: Token): void {
    const held = this.#token ?? Promise.resolve(token);
    this.#token = held.catch((): Token => token)
      .then(async(current): Promise<Token> => current === token ? this.fetchToken(token.refreshToken) : current);
  }

  private async fetchToken(refreshToken?: string): Promise<Token> {
    const { clientId, clientSecret, username, password, scope } = this.#options;
    if (refreshToken) {
      try {
        return await this.grant({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId,
          ...clientSecret === undefined ? {} : { client_secret: clientSecret } });
      } catch (error: unknown) {
        if (!TargetRefusedError.isInstance(error)) {
          throw error;
        }
        // A refresh token that lapsed too: log in again.
      }
    }
    const grant: Record<string, string> = username !== undefined && password !== undefined ?
      { grant_type: 'password', username, password, client_id: clientId } :
      { grant_type: 'client_credentials', client_id: clientId };
    return this.grant({ ...grant, ...clientSecret === undefined ? {} : { client_secret: clientSecret },
      ...scope === undefined ? {} : { scope } });
  }

  private async grant(form: Record<string, string>): Promise<Token> {
    const started = this.#now();
    const response = await this.send(new URL('oauth/token', this.baseUrl).href, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    const text = await response.text();
    if (!response.ok) {
      const { error, error_description: description, message } = safeJson(text) as Record<string, string | undefined>;
      const reason = `farmOS refused the bridge's ${form.grant_type} login (${response.status}): ` +
        `${[ error, description ?? message ].filter(Boolean).join(': ') || text.slice(0, 200)}`;
      throw response.status === 429 || response.status >= 500 ?
        new TargetRetriableError(TARGET, reason, parseRetryAfter(response.headers.get('retry-after'), this.#now())) :
        new TargetRefusedError(TARGET, reason, response.status);
    }
    const answer = safeJson(text) as { access_token?: string; refresh_token?: string; expires_in?: number | string };
    if (typeof answer.access_token !== 'string') {
      throw new TargetRefusedError(TARGET, 'farmOS answered the login without an access token');
    }
    // farmOS writes `expires_in` as a string ("300"); the OAuth spec as a number.
    const seconds = Number(answer.expires_in);
    const lifetime = (Number.isFinite(seconds) && seconds > 0 ? seconds : 300) * 1000;
    return { accessToken: answer.access_token, refreshToken: answer.refresh_token,
      expiresAt: started + lifetime - Math.min(60_000, lifetime / 4) };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/** A JSON:API error document's errors in one line: `Unprocessable Content: /data/attributes/name: too long`. */
export function readErrors(text: string): string {
  const errors = (safeJson(text) as { errors?: JsonApiError[] }).errors;
  if (!Array.isArray(errors) || errors.length === 0) {
    return text.slice(0, 200) || 'no details';
  }
  return errors.map((error): string => [ error.title, error.source?.pointer, error.detail ]
    .filter((part): boolean => typeof part === 'string' && part !== '').join(': ')).join('; ');
}
