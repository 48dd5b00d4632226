import type { CredentialsExtractor, HttpHandlerInput, HttpRequest } from '@solid/community-server';
import { getLoggerFor, HttpHandler, normalizeUriPathSlashes, NotImplementedHttpError, toCanonicalUriPath } from '@solid/community-server';
import { clientAddressOf } from './clientAddress';
import { relayedClientAddressOf } from './relayedClientAddress';
import type { LimitedRequest } from './limitedRequest';
import { classifyRequest, isWriteMethod } from './limitedRequest';
import type { RateLimit } from './RateLimit';
import type { RateLimitSettings } from './RateLimitSettings';
import type { WindowLimiter } from './WindowLimiter';

/** Why a request is refused: the status, how long to wait, and what to tell the client. */
interface Refusal {
  status: 429 | 503;
  retryAfter: number;
  text: string;
}

/** Fail closed: a request whose counters cannot be read or written is refused, not let through unchecked. */
const CANNOT_COUNT: Refusal = { status: 503, retryAfter: 60,
  text: 'The server cannot check its rate limits right now. Try again in a minute.' };

/**
 * Thrown for every request within the limits, i.e. nearly all, twice each: made once, as a CSS HttpError costs tens
 * of microseconds to make (stack and RDF metadata), and CSS's waterfall only reads its message.
 */
const WITHIN_LIMITS = new NotImplementedHttpError('Within the rate limits.');

const NEEDS_CANONICAL = /%|\/\//u;

/** What each limited kind is called in a refusal. */
const WHAT: Record<LimitedRequest, string> = {
  signup: 'account creations',
  login: 'login attempts',
  consent: 'consent API writes',
  inbox: 'inbox posts',
};

/**
 * Answers `429 Too Many Requests` with `Retry-After` (seconds) when a request goes past a rate limit, and lets every
 * other request through to the next handler. Counted are account creations and password logins per client address,
 * and consent API writes and inbox posts per client address and per account (the WebID of valid Solid-OIDC
 * credentials, so that no one else can use up a member's allowance). Inserted first in CSS's handler waterfall, which
 * asks `canHandle` twice per request, so each request is counted once and its verdict remembered for the second ask.
 * If the counters fail, a limited request is answered `503` rather than let through unchecked.
 */
export class RateLimitHttpHandler extends HttpHandler {
  protected readonly logger = getLoggerFor(this);
  private readonly basePath: string;
  private readonly verdicts = new WeakMap<HttpRequest, Promise<Refusal | undefined>>();

  /**
   * @param baseUrl - The server's base URL; paths are matched below its path.
   * @param settings - The limits, whether they are on, and which proxies to trust for the client address.
   * @param limiter - Counts requests per key.
   * @param credentialsExtractor - Solid-OIDC credentials of consent writes and inbox posts, to count them per account.
   * @param relayKey - The secret the web app relay and the web app share (empty: none runs); see {@link addressOf}.
   */
  public constructor(baseUrl: string, private readonly settings: RateLimitSettings, private readonly limiter: WindowLimiter,
    private readonly credentialsExtractor: CredentialsExtractor, private readonly relayKey = '') {
    super();
    this.basePath = new URL(baseUrl).pathname.replace(/\/$/u, '');
  }

  public async canHandle({ request }: HttpHandlerInput): Promise<void> {
    const kind = this.kindOf(request);
    if (!kind || !await this.verdictOf(request, kind)) {
      throw WITHIN_LIMITS;
    }
  }

  public async handle({ request, response }: HttpHandlerInput): Promise<void> {
    const kind = this.kindOf(request);
    const refusal = kind && await this.verdictOf(request, kind);
    if (!refusal) {
      throw WITHIN_LIMITS;
    }
    response.writeHead(refusal.status, { 'retry-after': String(refusal.retryAfter), 'content-type': 'text/plain; charset=utf-8' });
    response.end(`${refusal.text}\n`);
  }

  /** Which limit the request counts against, if any; the cheapest checks first, as every request comes here twice. */
  private kindOf(request: HttpRequest): LimitedRequest | undefined {
    const method = request.method ?? 'GET';
    if (!this.settings.enabled || !isWriteMethod(method)) {
      return undefined;
    }
    return classifyRequest(method, this.relativePathOf(request.url ?? '/'));
  }

  /** Counts the request once, on the first ask, and remembers the verdict for the second. */
  private async verdictOf(request: HttpRequest, kind: LimitedRequest): Promise<Refusal | undefined> {
    let verdict = this.verdicts.get(request);
    if (!verdict) {
      verdict = this.count(request, kind).catch((error: unknown): Refusal => {
        this.logger.error(`Could not count a ${kind} request: ${(error as Error).message}`);
        return CANNOT_COUNT;
      });
      this.verdicts.set(request, verdict);
    }
    return verdict;
  }

  private async count(request: HttpRequest, kind: LimitedRequest): Promise<Refusal | undefined> {
    const address = this.addressOf(request, kind);
    const limit = this.limitOf(kind);
    const waits = [ await this.limiter.count(`${kind}|address|${address}`, limit) ];
    const webId = kind === 'consent' || kind === 'inbox' ? await this.webIdOf(request) : undefined;
    if (webId) {
      waits.push(await this.limiter.count(`${kind}|account|${webId}`, limit));
    }
    const retryAfter = Math.max(0, ...waits.map((wait): number => wait ?? 0));
    if (retryAfter === 0) {
      return undefined;
    }
    return {
      status: 429,
      retryAfter,
      text: `Too many ${WHAT[kind]} from ${webId ? 'this account or ' : ''}this address: at most ${limit.count} ` +
        `per ${formatWindow(limit.window)}. Try again in ${retryAfter} seconds.`,
    };
  }

  /**
   * The address a request counts under. A sign-up through the web app reaches the account API from the app, on
   * loopback: it names the client the relay saw (with the relay's key, so no client can name an address itself) and is
   * counted under that address, here and only here. Every other request counts under the address it came from.
   */
  private addressOf(request: HttpRequest, kind: LimitedRequest): string {
    return (kind === 'signup' ? relayedClientAddressOf(request.headers, this.relayKey) : undefined) ??
      clientAddressOf(request, this.settings.trustedProxies);
  }

  private limitOf(kind: LimitedRequest): RateLimit {
    const { signups, logins, consentWrites, inboxPosts } = this.settings;
    return { signup: signups, login: logins, consent: consentWrites, inbox: inboxPosts }[kind];
  }

  /** The path below the base path, canonical as CSS makes it (so `%2E` or `//` do not get around a limit). */
  private relativePathOf(url: string): string {
    const query = url.indexOf('?');
    let path = query < 0 ? url : url.slice(0, query);
    // Only a `%` or `//` can make CSS's canonical path differ from these paths; most requests have neither.
    if (NEEDS_CANONICAL.test(path)) {
      try {
        path = normalizeUriPathSlashes(toCanonicalUriPath(path));
      } catch {
        // CSS refuses a path that does not decode.
        return '';
      }
    }
    return path.startsWith(this.basePath) && path[this.basePath.length] === '/' ? path.slice(this.basePath.length) : '';
  }

  private async webIdOf(request: HttpRequest): Promise<string | undefined> {
    try {
      return (await this.credentialsExtractor.handleSafe(request)).agent?.webId;
    } catch {
      // Anonymous or invalid credentials: only the address counts; the route itself refuses what needs a login.
      return undefined;
    }
  }
}

/** `1 hour`, `15 minutes`, `90 seconds`. */
function formatWindow(milliseconds: number): string {
  for (const [ unit, size ] of [ [ 'day', 86_400_000 ], [ 'hour', 3_600_000 ], [ 'minute', 60_000 ] ] as const) {
    if (milliseconds % size === 0) {
      const amount = milliseconds / size;
      return amount === 1 ? unit : `${amount} ${unit}s`;
    }
  }
  return `${Math.round(milliseconds / 1000)} seconds`;
}
