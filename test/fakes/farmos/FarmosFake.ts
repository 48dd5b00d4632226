import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonApiError, Relationship, Resource, ResourceIdentifier } from '../../../bridges/farmos/jsonApi';
import { JSON_API } from '../../../bridges/farmos/jsonApi';
import { checkResource, FARMOS_TYPES } from '../../../bridges/farmos/schemas';

/** Drupal's JSON:API page size, and its maximum. */
const PAGE_LIMIT = 50;
const UUID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/u;

/** How to set up a fake farmOS. */
export interface FarmosFakeOptions {
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** A user for the password grant (older instances). */
  readonly username?: string;
  readonly password?: string;
  /** How long access tokens live, in seconds (default 3600; a test sets a few seconds to see them renewed). */
  readonly tokenLifetime?: number;
  readonly farmName?: string;
}

/** One record as the fake keeps it. */
export interface FakeRecord {
  readonly type: string;
  readonly id: string;
  attributes: Record<string, unknown>;
  relationships: Record<string, ResourceIdentifier[] | ResourceIdentifier | null>;
  readonly internalId: number;
  readonly created: number;
  /** Seconds since the epoch, as Drupal keeps `changed`. */
  changed: number;
}

/** One request the fake received. */
export interface FarmosRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** The resource type a write was for. */
  readonly type?: string;
}

class JsonApiFailure extends Error {
  public constructor(public readonly status: number, public readonly title: string, detail: string, public readonly pointer?: string,
    public readonly headers: Record<string, string> = {}) {
    super(detail);
  }
}

/**
 * A local farmOS for tests: an HTTP server on a free loopback port with farmOS's OAuth2 token endpoint (short-lived
 * tokens on demand) and its JSON:API (`/api/<entity>/<bundle>`) over an in-memory farm. Every request body is checked
 * against farmOS's JSON Schema for its bundle (ajv), and against the references real farmOS requires (a plant has a
 * plant type; whatever a record refers to, a log's quantities included, exists first); refusals are JSON:API error
 * documents. Collections page like Drupal's (50 a page, `links.next`), filter on `changed` and include related
 * resources. It changes records as a farmer in farmOS's UI would, and fails or throttles on demand.
 */
export class FarmosFake {
  public readonly clientId: string;
  public readonly clientSecret: string;
  /** Every record, by `type/id`. */
  public readonly records = new Map<string, FakeRecord>();
  public readonly requests: FarmosRequest[] = [];
  private readonly options: FarmosFakeOptions;
  private readonly tokens = new Map<string, number>();
  private readonly refreshTokens = new Set<string>();
  private failures: { count: number; status: number; retryAfter?: string } = { count: 0, status: 500 };
  private nextInternalId = 1;
  private server?: Server;

  public constructor(options: FarmosFakeOptions = {}) {
    this.options = options;
    this.clientId = options.clientId ?? 'fmp_bridge';
    this.clientSecret = options.clientSecret ?? randomBytes(12).toString('hex');
  }

  public async start(): Promise<this> {
    this.server = createServer((request, response): void => {
      this.handle(request, response).catch((error: Error): void => {
        this.answerError(response, new JsonApiFailure(500, 'Internal Server Error', error.message));
      });
    });
    await new Promise<void>((resolve): void => {
      this.server!.listen(0, '127.0.0.1', resolve);
    });
    return this;
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve): void => {
      this.server?.closeAllConnections();
      this.server ? this.server.close((): void => resolve()) : resolve();
    });
  }

  /** The farm's base URL. */
  public get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** The records of a type (e.g. `asset--land`). */
  public all(type: string): FakeRecord[] {
    return [ ...this.records.values() ].filter((record): boolean => record.type === type);
  }

  public get(type: string, id: string): FakeRecord | undefined {
    return this.records.get(`${type}/${id}`);
  }

  /** Successful writes (POST/PATCH/DELETE) of a type. */
  public writes(type?: string): FarmosRequest[] {
    return this.requests.filter((request): boolean => request.method !== 'GET' && request.status < 300 &&
      request.type !== undefined && (type === undefined || request.type === type));
  }

  /** Every access token issued so far stops working at once, as when it lapses. */
  public expireTokens(): void {
    for (const token of this.tokens.keys()) {
      this.tokens.set(token, 0);
    }
  }

  /** The next `count` API requests answer this status (e.g. 500, 503; 429 throttles), with `Retry-After` when given. */
  public failNext(count: number, status: number, retryAfter?: string): void {
    this.failures = { count, status, retryAfter };
  }

  /**
   * Makes a record as a farmer would in farmOS's UI: checked like an API write, then kept with `changed` now.
   * Returns its id.
   */
  public createInUi(type: string, attributes: Record<string, unknown>, relationships: Record<string, ResourceIdentifier[] |
  ResourceIdentifier | null> = {}): string {
    const id = randomUUID();
    this.store({ type, id, attributes, relationships: Object.fromEntries(Object.entries(relationships)
      .map(([ name, data ]): [string, Relationship] => [ name, { data }])) }, true);
    return id;
  }

  /** Changes a record as a farmer would in farmOS's UI. */
  public editInUi(type: string, id: string, attributes: Record<string, unknown>): void {
    const record = this.get(type, id);
    if (!record) {
      throw new Error(`The fake farm has no ${type} ${id}`);
    }
    this.store({ type, id, attributes }, false);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(request.url ?? '/', 'http://farmos.invalid');
    const method = request.method ?? 'GET';
    const record = (status: number, type?: string): void => {
      this.requests.push({ method, path: url.pathname, status, ...type ? { type } : {} });
    };
    if (url.pathname === '/oauth/token' && method === 'POST') {
      const answer = this.token(new URLSearchParams(body));
      record(answer.status);
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      return;
    }
    try {
      this.authorize(request.headers.authorization);
      if (this.failures.count > 0) {
        this.failures.count -= 1;
        const { status, retryAfter } = this.failures;
        throw new JsonApiFailure(status, status === 429 ? 'Too Many Requests' : 'Service Unavailable', `Fake failure ${status}`,
          undefined, retryAfter === undefined ? {} : { 'retry-after': retryAfter });
      }
      const [ , api, entity, bundle, id, extra ] = url.pathname.split('/');
      if (api !== 'api') {
        throw new JsonApiFailure(404, 'Not Found', `No route found for "${method} ${url.pathname}"`);
      }
      if (entity === undefined || entity === '') {
        record(200);
        return this.answer(response, 200, { jsonapi: { version: '1.0' }, data: [],
          meta: { farm: { name: this.options.farmName ?? 'Fake farm', url: this.url, version: '3.x', system_of_measurement: 'metric' }}});
      }
      const type = `${entity}--${bundle}`;
      if (!FARMOS_TYPES.includes(type) || extra !== undefined) {
        throw new JsonApiFailure(404, 'Not Found', `No route found for "${method} ${url.pathname}"`);
      }
      if (method === 'GET') {
        const document = id === undefined ? this.collection(type, url) : this.single(type, id, url);
        record(200);
        return this.answer(response, 200, document);
      }
      if (method === 'DELETE' && id !== undefined) {
        if (!this.records.delete(`${type}/${id}`)) {
          throw new JsonApiFailure(404, 'Not Found', `The requested entity ${id} could not be found.`);
        }
        record(204, type);
        response.writeHead(204).end();
        return;
      }
      if (method !== 'POST' && method !== 'PATCH') {
        throw new JsonApiFailure(405, 'Method Not Allowed', `No route found for "${method} ${url.pathname}": Method Not Allowed`);
      }
      if (!(request.headers['content-type'] ?? '').startsWith(JSON_API)) {
        throw new JsonApiFailure(415, 'Unsupported Media Type', `No route found that matches "Content-Type: ${request.headers['content-type'] ?? ''}"`);
      }
      const data = parseBody(body);
      if (data.type !== type) {
        throw new JsonApiFailure(409, 'Conflict', `Invalid resource type "${String(data.type)}" for ${url.pathname}.`, '/data/type');
      }
      if (method === 'PATCH' && (id === undefined || data.id !== id)) {
        throw new JsonApiFailure(400, 'Bad Request', 'The resource ID in the body does not match the one in the URL.', '/data/id');
      }
      if (method === 'POST' && id !== undefined) {
        throw new JsonApiFailure(405, 'Method Not Allowed', 'POST goes to the collection.');
      }
      const stored = this.store(data, method === 'POST');
      record(method === 'POST' ? 201 : 200, type);
      return this.answer(response, method === 'POST' ? 201 : 200, { jsonapi: { version: '1.0' }, data: this.render(stored),
        links: { self: { href: `${this.url}/api/${entity}/${bundle}/${stored.id}` }}});
    } catch (error: unknown) {
      const failure = error instanceof JsonApiFailure ? error : new JsonApiFailure(500, 'Internal Server Error', (error as Error).message);
      record(failure.status);
      this.answerError(response, failure);
    }
  }

  private token(form: URLSearchParams): { status: number; body: Record<string, unknown> } {
    const refuse = (error: string, description: string, status = 400): { status: number; body: Record<string, unknown> } =>
      ({ status, body: { error, error_description: description, message: description }});
    const grant = form.get('grant_type');
    if (form.get('client_id') !== this.clientId) {
      return refuse('invalid_client', 'Client authentication failed', 401);
    }
    if (grant === 'client_credentials') {
      if (form.get('client_secret') !== this.clientSecret) {
        return refuse('invalid_client', 'Client authentication failed', 401);
      }
    } else if (grant === 'password') {
      if (this.options.username === undefined || form.get('username') !== this.options.username ||
        form.get('password') !== this.options.password) {
        return refuse('invalid_grant', 'The user credentials were incorrect.');
      }
    } else if (grant === 'refresh_token') {
      const refresh = form.get('refresh_token') ?? '';
      if (!this.refreshTokens.delete(refresh)) {
        return refuse('invalid_grant', 'The refresh token is invalid.');
      }
    } else {
      return refuse('unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.');
    }
    const lifetime = this.options.tokenLifetime ?? 3600;
    const accessToken = randomBytes(24).toString('base64url');
    this.tokens.set(accessToken, Date.now() + lifetime * 1000);
    const refreshToken = grant === 'client_credentials' ? undefined : randomBytes(24).toString('base64url');
    if (refreshToken) {
      this.refreshTokens.add(refreshToken);
    }
    // As farmOS (Simple OAuth) answers: `expires_in` is a string.
    return { status: 200, body: { access_token: accessToken, expires_in: String(lifetime), token_type: 'Bearer',
      ...form.get('scope') ? { scope: form.get('scope') } : {},
      ...refreshToken ? { refresh_token: refreshToken } : {} }};
  }

  private authorize(header: string | undefined): void {
    const token = /^Bearer (.+)$/u.exec(header ?? '')?.[1];
    const until = token === undefined ? undefined : this.tokens.get(token);
    if (until === undefined || until <= Date.now()) {
      throw new JsonApiFailure(401, 'Unauthorized', until === undefined ? 'No authentication credentials provided.' :
        'The access token has expired.');
    }
  }

  /** Checks and keeps a record written through the API (or the UI), as farmOS would. */
  private store(data: { type?: unknown; id?: unknown; attributes?: unknown; relationships?: unknown }, creating: boolean): FakeRecord {
    const type = String(data.type);
    const problems = checkResource(data, creating);
    if (problems.length > 0) {
      // As Drupal words it: `name: This value is too long.`, the pointer in `source`.
      throw new JsonApiFailure(422, 'Unprocessable Entity', problems.map((problem): string =>
        `${problem.pointer.split('/').pop() || 'data'}: ${problem.message}`).join('; '),
      `/data${problems[0].pointer === '/' ? '' : problems[0].pointer}`);
    }
    const id = data.id === undefined ? randomUUID() : String(data.id);
    if (!UUID.test(id)) {
      throw new JsonApiFailure(422, 'Unprocessable Entity', 'IDs should be properly generated and formatted UUIDs as described in RFC 4122.', '/data/id');
    }
    const existing = this.get(type, id);
    if (creating && existing) {
      throw new JsonApiFailure(409, 'Conflict', `Conflict: Entity already exists with UUID ${id}.`, '/data/id');
    }
    if (!creating && !existing) {
      throw new JsonApiFailure(404, 'Not Found', `The requested entity ${id} could not be found.`);
    }
    const relationships: FakeRecord['relationships'] = { ...existing?.relationships };
    for (const [ name, value ] of Object.entries((data.relationships ?? {}) as Record<string, Relationship>)) {
      const refs = value.data;
      for (const ref of refs === null ? [] : Array.isArray(refs) ? refs as ResourceIdentifier[] : [ refs as ResourceIdentifier ]) {
        if (!this.get(ref.type, ref.id)) {
          throw new JsonApiFailure(422, 'Unprocessable Entity', `${name}: The referenced entity (${ref.type}: ${ref.id}) does not exist.`,
            `/data/relationships/${name}`);
        }
      }
      relationships[name] = refs as FakeRecord['relationships'][string];
    }
    const plantTypes = relationships.plant_type;
    if (type === 'asset--plant' && (!Array.isArray(plantTypes) || plantTypes.length === 0)) {
      throw new JsonApiFailure(422, 'Unprocessable Entity', 'plant_type: This value should not be null.', '/data/relationships/plant_type');
    }
    const now = Math.floor(Date.now() / 1000);
    const stored: FakeRecord = existing ?? { type, id, attributes: {}, relationships: {}, internalId: this.nextInternalId++, created: now,
      changed: now };
    stored.attributes = { ...stored.attributes, ...(data.attributes ?? {}) as Record<string, unknown> };
    stored.relationships = relationships;
    stored.changed = now;
    this.records.set(`${type}/${id}`, stored);
    return stored;
  }

  private single(type: string, id: string, url: URL): Record<string, unknown> {
    const record = this.get(type, id);
    if (!record) {
      throw new JsonApiFailure(404, 'Not Found', `The requested entity ${id} could not be found.`);
    }
    return { jsonapi: { version: '1.0' }, data: this.render(record), ...this.included([ record ], url) };
  }

  private collection(type: string, url: URL): Record<string, unknown> {
    let records = this.all(type);
    const changed = readChangedFilter(url.searchParams);
    if (changed) {
      records = records.filter((record): boolean => compare(record.changed, changed.operator, changed.value));
    }
    for (const [ key, value ] of url.searchParams) {
      const field = /^filter\[(\w+)\]$/u.exec(key)?.[1];
      if (field) {
        records = records.filter((record): boolean => String(record.attributes[field]) === value);
      }
    }
    const sort = url.searchParams.get('sort');
    records.sort((left, right): number => left.internalId - right.internalId);
    if (sort === 'changed' || sort === '-changed') {
      records.sort((left, right): number => (left.changed - right.changed) * (sort === 'changed' ? 1 : -1));
    }
    const limit = Math.min(PAGE_LIMIT, Number(url.searchParams.get('page[limit]') ?? PAGE_LIMIT));
    const offset = Number(url.searchParams.get('page[offset]') ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) {
      throw new JsonApiFailure(400, 'Bad Request', 'The page parameters must be whole numbers.', undefined);
    }
    const page = records.slice(offset, offset + limit);
    const link = (start: number): { href: string } => {
      const next = new URL(url.href);
      next.searchParams.set('page[offset]', String(start));
      next.searchParams.set('page[limit]', String(limit));
      return { href: `${this.url}${next.pathname}${next.search}` };
    };
    return { jsonapi: { version: '1.0' }, data: page.map((record): Resource => this.render(record)), ...this.included(page, url),
      links: { self: link(offset), ...offset + limit < records.length ? { next: link(offset + limit) } : {},
        ...offset > 0 ? { prev: link(Math.max(0, offset - limit)) } : {} }};
  }

  /** `included` for `?include=a,b.c`, as Drupal resolves include paths. */
  private included(records: FakeRecord[], url: URL): Record<string, unknown> {
    const paths = (url.searchParams.get('include') ?? '').split(',').filter(Boolean);
    if (paths.length === 0) {
      return {};
    }
    const found = new Map<string, FakeRecord>();
    for (const path of paths) {
      let level = records;
      for (const field of path.split('.')) {
        level = level.flatMap((record): FakeRecord[] => {
          const refs = record.relationships[field];
          return (refs === null || refs === undefined ? [] : Array.isArray(refs) ? refs : [ refs ])
            .map((ref): FakeRecord | undefined => this.get(ref.type, ref.id)).filter((one): one is FakeRecord => one !== undefined);
        });
        for (const record of level) {
          found.set(`${record.type}/${record.id}`, record);
        }
      }
    }
    return { included: [ ...found.values() ].map((record): Resource => this.render(record)) };
  }

  /** A record as farmOS answers it: with its server fields, computed fields and relationship links. */
  private render(record: FakeRecord): Resource {
    const [ entity, bundle ] = record.type.split('--');
    const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', '+00:00');
    const attributes: Record<string, unknown> = { ...record.attributes };
    if (entity === 'taxonomy_term') {
      attributes.drupal_internal__tid = record.internalId;
    } else {
      attributes.drupal_internal__id = record.internalId;
    }
    attributes.changed = iso(record.changed);
    if (entity !== 'taxonomy_term') {
      attributes.created = iso(record.created);
    }
    if (entity === 'asset') {
      attributes.geometry = attributes.is_fixed === true ? attributes.intrinsic_geometry ?? null : null;
    }
    if (record.type === 'quantity--standard') {
      const value = attributes.value as { numerator?: number; denominator?: number } | undefined;
      if (value?.numerator !== undefined) {
        attributes.value = { ...value, decimal: String(value.numerator / (value.denominator ?? 1)) };
      }
    }
    const self = `${this.url}/api/${entity}/${bundle}/${record.id}`;
    return {
      type: record.type,
      id: record.id,
      links: { self: { href: self }},
      attributes,
      relationships: Object.fromEntries(Object.entries(record.relationships).map(([ name, data ]): [string, Relationship] =>
        [ name, { data, links: { related: { href: `${self}/${name}` }}} as Relationship ])),
    };
  }

  private answer(response: ServerResponse, status: number, document: unknown): void {
    response.writeHead(status, { 'content-type': JSON_API }).end(JSON.stringify(document));
  }

  private answerError(response: ServerResponse, failure: JsonApiFailure): void {
    const error: JsonApiError = { status: String(failure.status), title: failure.title, detail: failure.message,
      ...failure.pointer ? { source: { pointer: failure.pointer }} : {} };
    response.writeHead(failure.status, { 'content-type': JSON_API, ...failure.headers })
      .end(JSON.stringify({ jsonapi: { version: '1.0' }, errors: [ error ]}));
  }
}

function parseBody(body: string): { type?: unknown; id?: unknown; attributes?: unknown; relationships?: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new JsonApiFailure(400, 'Bad Request', 'Syntax error: the body is not JSON.');
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new JsonApiFailure(400, 'Bad Request', 'Missing the required "data" top-level member.', '/data');
  }
  return data as { type?: unknown; id?: unknown; attributes?: unknown; relationships?: unknown };
}

function readChangedFilter(query: URLSearchParams): { operator: string; value: number } | undefined {
  const path = [ ...query.keys() ].find((key): boolean => /^filter\[[^\]]+\]\[condition\]\[path\]$/u.test(key));
  if (!path || query.get(path) !== 'changed') {
    return undefined;
  }
  const prefix = path.slice(0, -'[path]'.length);
  const value = Number(query.get(`${prefix}[value]`));
  if (!Number.isFinite(value)) {
    throw new JsonApiFailure(400, 'Bad Request', 'The changed filter needs a timestamp value.');
  }
  return { operator: query.get(`${prefix}[operator]`) ?? '=', value };
}

function compare(left: number, operator: string, right: number): boolean {
  switch (operator) {
    case '>=': return left >= right;
    case '>': return left > right;
    case '<=': return left <= right;
    case '<': return left < right;
    case '<>': return left !== right;
    default: return left === right;
  }
}
