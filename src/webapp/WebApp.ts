import { timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import Router from '@koa/router';
import Koa from 'koa';
import type { Context, Next } from 'koa';
import { formatDuration, parseDuration } from '../../consent';
import type { Product } from '../../shapes/access/types';
import { getProduct, saveProduct } from '../../shapes/access/products';
import { quadsToProduct } from '../../shapes/access/productRdf';
import { quadsToLog } from '../../shapes/access/logRdf';
import { containerUrl, resourceUrl } from '../../shapes/access/podIo';
import type { FarmLog } from '../../shapes/access/types';
import { PodReadCache } from './PodReadCache';
import { ConsentApi } from '../client/ConsentApi';
import type { NewGrant } from '../client/ConsentApi';
import { FmpClientError } from '../client/FmpClientError';
import { SnapshotApi } from '../client/SnapshotApi';
import { BridgeApi } from '../client/BridgeApi';
import { fetchServer, readErrorMessage } from '../client/serverFetch';
import { createMember } from '../cli/commands/member';
import { CLIENT_ADDRESS_HEADER, RELAY_KEY_HEADER, relayedClientAddressOf } from '../../pod-server/ratelimit/relayedClientAddress';
import { createMoveGuard } from '../cli/commands/move';
import { logInAsMember } from '../cli/MemberLogin';
import { assertMemberName } from '../cli/memberNames';
import { StoredLogins } from '../cli/StoredLogins';
import { movePod } from '../migration/movePod';
import { MoveJournal } from '../migration/MoveJournal';
import { readForm } from './formBody';
import type { SafeHtml } from './html';
import { html } from './html';
import type { PageFrame } from './layout';
import { renderPage } from './layout';
import type { MemberSession } from './MemberSessions';
import { MemberSessions } from './MemberSessions';
import { InboxReadState } from './InboxReadState';
import { MoveJobs } from './MoveJobs';
import { renderAccess } from './pages/access';
import type { BridgeEntry, ConnectField } from './pages/bridges';
import { connectFieldsOf, labelOf, renderBridges } from './pages/bridges';
import { BRIDGE_TARGETS } from '../cli/commands/bridgeTargets';
import { connectBridge } from '../cli/commands/bridgeTargetCommands';
import { renderHome } from './pages/home';
import type { HomeData } from './pages/home';
import { listContainers, readInbox } from './podListing';
import { renderInbox } from './pages/inbox';
import type { MoveJob } from './pages/move';
import { renderMove } from './pages/move';
import { renderRequests } from './pages/requests';
import { renderSignIn } from './pages/signIn';
import { formatDate, renderRestoreConfirm, renderUndo } from './pages/undo';
import type { Texts } from './texts';
import { ENGLISH } from './texts';

/** How a web app is set up. */
export interface WebAppOptions {
  /** The FMP's public base URL: its pod server, consent API and identity provider (the OIDC issuer). */
  baseUrl: string;
  /** Where the app keeps what it must remember across restarts (the move journal); private to the server. */
  stateFolder: string;
  /** The longest grant the FMP allows, e.g. `90d` (for the duration pickers). */
  maxGrantDuration?: string;
  /** The texts to show (English by default). */
  texts?: Texts;
  /** The app's secret (CSRF tokens are derived with it), the same for every process on the data folder. */
  sessionKey: string;
  /**
   * The secret the pod server's relay and the app share (see WebAppRelayHttpHandler): with it the relay tells the app
   * the client's address, and the app the account API, so that a sign-up through the app counts against the client.
   */
  relayKey?: string;
}

const COOKIE = 'fmp_app';
const STATIC_FOLDER = join(__dirname, '..', '..', '..', 'src', 'webapp', 'static');
const STANDARD_DURATIONS = [ '1h', '1d', '7d', '30d', '90d' ];
const STATIC_TYPES: Record<string, string> = { 'app.css': 'text/css; charset=utf-8', 'app.js': 'text/javascript; charset=utf-8' };

/** A signed-in member as the handlers need them. */
interface Member {
  session: MemberSession;
  name: string;
  pod: string;
  webId: string;
  fetch: typeof fetch;
}

/**
 * The member web app: server-rendered pages under `/.fmp/` (home) and `/.fmp/app/`. A member signs in through the
 * FMP's own identity provider (Solid-OIDC authorization code flow with PKCE, as a public client); the tokens stay in
 * the server-side session and every action goes through the same consent, snapshot, export and move APIs as the CLI,
 * with the member's DPoP-bound token, so the app adds no new way in.
 */
export class WebApp {
  public readonly sessions: MemberSessions;
  private readonly inboxRead: InboxReadState;
  private readonly texts: Texts;
  private readonly rootUrl: URL;
  private readonly root: string;
  private readonly secure: boolean;
  private readonly maxGrantMs: number;
  private readonly moves: MoveJobs;
  private readonly podCaches = new Map<string, PodReadCache>();
  private readonly app = new Koa();

  public constructor(private readonly options: WebAppOptions) {
    this.texts = options.texts ?? ENGLISH;
    this.rootUrl = new URL('.fmp/', options.baseUrl);
    this.root = this.rootUrl.pathname;
    this.secure = this.rootUrl.protocol === 'https:';
    this.maxGrantMs = parseDuration(options.maxGrantDuration ?? '90d');
    this.sessions = new MemberSessions(join(options.stateFolder, 'sessions'), options.sessionKey);
    this.inboxRead = new InboxReadState(join(options.stateFolder, 'inbox-read'));
    this.moves = new MoveJobs(join(options.stateFolder, 'moves'));
    this.app.proxy = false;
    this.app.silent = true;
    this.app.use(async(ctx, next): Promise<void> => this.guard(ctx, next));
    const router = new Router({ prefix: '/.fmp' });
    router.get('/app/static/:file', async(ctx): Promise<void> => this.serveStatic(ctx));
    router.get('/', async(ctx): Promise<void> => this.home(ctx));
    router.get('/app/login', async(ctx): Promise<void> => this.logIn(ctx));
    router.get('/app/callback', async(ctx): Promise<void> => this.callback(ctx));
    router.post('/app/logout', async(ctx): Promise<void> => this.logOut(ctx));
    router.post('/app/signup', async(ctx): Promise<void> => this.signUp(ctx));
    router.post('/app/catalog/:slug', async(ctx): Promise<void> => this.saveProduct(ctx));
    router.get('/app/access', async(ctx): Promise<void> => this.access(ctx));
    router.post('/app/grants', async(ctx): Promise<void> => this.createGrant(ctx));
    router.post('/app/grants/:id/revoke', async(ctx): Promise<void> => this.revokeGrant(ctx));
    router.get('/app/requests', async(ctx): Promise<void> => this.requests(ctx));
    router.post('/app/requests/:id/:answer', async(ctx): Promise<void> => this.answerRequest(ctx));
    router.get('/app/inbox', async(ctx): Promise<void> => this.inbox(ctx));
    router.get('/app/bridges', async(ctx): Promise<void> => this.bridges(ctx));
    router.post('/app/bridges/:target/:action', async(ctx): Promise<void> => this.bridgeAction(ctx));
    router.get('/app/undo', async(ctx): Promise<void> => this.undo(ctx));
    router.post('/app/snapshots', async(ctx): Promise<void> => this.takeSnapshot(ctx));
    router.get('/app/undo/:id', async(ctx): Promise<void> => this.confirmRestore(ctx));
    router.post('/app/undo/:id', async(ctx): Promise<void> => this.restore(ctx));
    router.get('/app/move', async(ctx): Promise<void> => this.move(ctx));
    router.get('/app/export', async(ctx): Promise<void> => this.export(ctx));
    router.post('/app/move', async(ctx): Promise<void> => this.startMove(ctx));
    this.app.use(router.routes());
    this.app.use(async(ctx): Promise<void> => {
      ctx.status = 404;
      this.page(ctx, { title: this.texts.errors.notFound }, html`<h1>${this.texts.errors.notFound}</h1>`);
    });
  }

  /** The Node.js request listener. */
  public callbackHandler(): ReturnType<Koa['callback']> {
    return this.app.callback();
  }

  // Every answer: strict security headers; a session (anonymous at first) for pages; CSRF checks on every post.
  private async guard(ctx: Context, next: Next): Promise<void> {
    ctx.set('Content-Security-Policy', "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
      "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set('X-Frame-Options', 'DENY');
    if (ctx.path.startsWith('/.fmp/app/static/')) {
      return next();
    }
    ctx.set('Cache-Control', 'no-store');
    const started = process.hrtime.bigint();
    let session = await this.sessions.find(readCookie(ctx.get('cookie'), COOKIE));
    if (!session) {
      session = this.sessions.create();
      this.setCookie(ctx, session);
    }
    session.auth = await this.sessions.authOf(session);
    ctx.state.session = session;
    try {
      await this.guardedBy(ctx, session, next, started);
    } finally {
      // What changed (a sign-in, the next page's message) is stored before the answer leaves, for whichever process
      // serves the next request.
      await this.sessions.save(session);
    }
  }

  private async guardedBy(ctx: Context, session: MemberSession, next: Next, started: bigint): Promise<void> {
    if (ctx.method === 'POST') {
      const origin = ctx.get('origin');
      const form = await readForm(ctx);
      if ((origin && origin !== this.rootUrl.origin) || !sameToken(form.get('_csrf') ?? '', session.csrf)) {
        ctx.status = 403;
        this.page(ctx, { title: this.texts.errors.csrf }, html`<h1>${this.texts.errors.csrf}</h1>
<p><a href="${this.root}">${this.texts.nav.home}</a></p>`);
        return;
      }
      ctx.state.form = form;
    }
    try {
      await next();
      // How long the page took to make here (the benchmark reads it): pod reads included, network to the browser not.
      ctx.set('Server-Timing', `app;dur=${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)}`);
    } catch (error: unknown) {
      const status = (error as { status?: number }).status;
      if (typeof status === 'number' && status < 500 && status !== 401) {
        throw error;
      }
      ctx.status = status === 401 ? 401 : 500;
      this.page(ctx, { title: this.texts.errors.generic('') }, html`<h1>${this.texts.errors.generic((error as Error).message)}</h1>
<p><a href="${this.root}">${this.texts.nav.home}</a></p>`);
    }
  }

  private setCookie(ctx: Context, session: MemberSession): void {
    ctx.append('Set-Cookie', `${COOKIE}=${session.id}; Path=${this.root}; HttpOnly; SameSite=Lax${this.secure ? '; Secure' : ''}`);
  }

  private page(ctx: Context, frame: Partial<PageFrame> & { title: string }, content: SafeHtml): void {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = renderPage({ texts: this.texts, root: this.root, session: ctx.state.session as MemberSession, ...frame }, content);
  }

  /** The signed-in member, or a redirect to the sign-in page (and undefined). */
  private member(ctx: Context): Member | undefined {
    const session = ctx.state.session as MemberSession;
    if (!session.auth?.info.isLoggedIn || !session.webId || !session.pod || !session.member) {
      if (session.webId) {
        // The sign-in cannot be restored (its refresh token ran out): the member signs in again.
        session.flash = { kind: 'error', text: this.texts.errors.signedOut };
        session.webId = undefined;
        session.pod = undefined;
        session.member = undefined;
        session.authId = undefined;
      }
      ctx.redirect(this.root);
      return undefined;
    }
    return { session, name: session.member, pod: session.pod, webId: session.webId, fetch: session.auth.fetch };
  }

  /** Runs an action; its outcome becomes the next page's message and the browser goes to `back` (303). */
  private async act(ctx: Context, back: string, action: () => Promise<string>): Promise<void> {
    const session = ctx.state.session as MemberSession;
    try {
      session.flash = { kind: 'ok', text: await action() };
    } catch (error: unknown) {
      if (!(error instanceof FmpClientError) && !(error instanceof UserError) && !isReadable(error)) {
        throw error;
      }
      session.flash = { kind: 'error', text: this.texts.errors.generic((error as Error).message) };
    }
    ctx.status = 303;
    ctx.redirect(back);
  }

  private async serveStatic(ctx: Context): Promise<void> {
    const file = ctx.params.file as string;
    if (!STATIC_TYPES[file]) {
      ctx.status = 404;
      return;
    }
    ctx.type = STATIC_TYPES[file];
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = await readFile(join(STATIC_FOLDER, file));
  }

  private async home(ctx: Context): Promise<void> {
    const session = ctx.state.session as MemberSession;
    if (!session.auth?.info.isLoggedIn) {
      this.page(ctx, { title: this.texts.signIn.title }, renderSignIn(this.texts, this.root, session));
      return;
    }
    const member = this.member(ctx);
    if (!member) {
      return;
    }
    const cache = this.podCache(member);
    const catalog = containerUrl(member.pod, 'catalog');
    const logs = containerUrl(member.pod, 'logs');
    const { summaries, listings } = await listContainers(member.pod, member.fetch, [ catalog, logs ], cache.summaries);
    const [ products, harvests ] = await Promise.all([
      listings.has(catalog) ? cache.readAll(catalog, quadsToProduct, listings.get(catalog)).catch((): Product[] => []) : [],
      listings.has(logs) ? cache.readAll(logs, quadsToLog, listings.get(logs)).catch((): FarmLog[] => []) : [],
    ]);
    const data: HomeData = { containers: summaries, products: products.sort((a, b): number => a.name.localeCompare(b.name)),
      harvests: harvests.filter((log): boolean => log.type === 'harvest'), now: new Date() };
    this.page(ctx, { title: this.texts.home.title, current: 'home' }, renderHome(this.texts, this.root, session, data));
  }

  // Sign-in: the authorization code flow with PKCE against the FMP's own identity provider; the login and consent
  // pages are CSS's. The library registers the app with the provider and keeps the tokens (DPoP-bound) server-side.
  private async logIn(ctx: Context): Promise<void> {
    const session = ctx.state.session as MemberSession;
    const auth = this.sessions.startSignIn(session);
    let target: string | undefined;
    await auth.login({
      oidcIssuer: this.options.baseUrl,
      redirectUrl: new URL('app/callback', this.rootUrl).href,
      clientName: this.texts.appName,
      handleRedirect: (url: string): void => {
        target = url;
      },
    });
    ctx.redirect(target!);
  }

  private async callback(ctx: Context): Promise<void> {
    let session = ctx.state.session as MemberSession;
    try {
      const auth = await this.sessions.completeSignIn(session, new URL(`app/callback${ctx.search}`, this.rootUrl).href);
      const webId = auth?.info.webId;
      if (!webId) {
        throw new UserError(this.texts.signIn.failed);
      }
      const pod = podOfWebId(webId, this.options.baseUrl);
      session = await this.sessions.renew(session);
      session.auth = auth;
      session.webId = webId;
      session.pod = pod;
      session.member = pod.slice(this.options.baseUrl.length, -1);
      this.setCookie(ctx, session);
    } catch (error: unknown) {
      session.auth = undefined;
      session.authId = undefined;
      session.flash = { kind: 'error', text: error instanceof UserError ? error.message : this.texts.signIn.failed };
    }
    ctx.redirect(this.root);
  }

  private async logOut(ctx: Context): Promise<void> {
    await this.sessions.end(ctx.state.session as MemberSession);
    ctx.append('Set-Cookie', `${COOKIE}=; Path=${this.root}; HttpOnly; SameSite=Lax; Max-Age=0${this.secure ? '; Secure' : ''}`);
    ctx.status = 303;
    ctx.redirect(this.root);
  }

  // Sign-up makes the account, password login and pod exactly as `fmp member create` does; the member then signs in.
  // The account API is called from here, on loopback: the client's address the relay passed on goes with it (with the
  // relay's key), so the sign-up limit counts it against that client, once (see WebAppRelayHttpHandler).
  private async signUp(ctx: Context): Promise<void> {
    const form = ctx.state.form as URLSearchParams;
    const session = ctx.state.session as MemberSession;
    const name = (form.get('name') ?? '').trim();
    const email = (form.get('email') ?? '').trim();
    const client = relayedClientAddressOf(ctx.req.headers, this.options.relayKey ?? '');
    const forClient: typeof fetch = async(input, init): Promise<Response> => {
      const headers = new Headers(init?.headers);
      if (client) {
        headers.set(CLIENT_ADDRESS_HEADER, client);
        headers.set(RELAY_KEY_HEADER, this.options.relayKey!);
      }
      return fetch(input, { ...init, headers });
    };
    try {
      await createMember(this.options.baseUrl, name, email, form.get('password') ?? '', forClient);
      session.flash = { kind: 'ok', text: this.texts.signUp.done(name) };
      ctx.status = 303;
      ctx.redirect(this.root);
    } catch (error: unknown) {
      if (!(error instanceof FmpClientError)) {
        throw error;
      }
      if (error.status === 429) {
        const wait = error.retryAfter ?? 3600;
        ctx.set('Retry-After', String(wait));
        session.flash = { kind: 'error', text: this.texts.signUp.tooMany(Math.max(1, Math.ceil(wait / 60))) };
      } else {
        session.flash = { kind: 'error', text: this.texts.errors.generic(error.message) };
      }
      ctx.status = error.status === 429 ? 429 : 400;
      this.page(ctx, { title: this.texts.signIn.title }, renderSignIn(this.texts, this.root, session, { name, email }));
    }
  }

  private async saveProduct(ctx: Context): Promise<void> {
    const member = this.member(ctx);
    if (!member) {
      return;
    }
    const form = ctx.state.form as URLSearchParams;
    await this.act(ctx, `${this.root}#catalog`, async(): Promise<string> => {
      const price = Number(form.get('price'));
      const stockText = (form.get('stock') ?? '').trim();
      const stock = stockText === '' ? undefined : Number(stockText);
      if (!Number.isFinite(price) || price < 0 || (stock !== undefined && (!Number.isSafeInteger(stock) || stock < 0))) {
        throw new UserError(this.texts.errors.priceStock);
      }
      const product = await getProduct(member.pod, ctx.params.slug as string, { fetch: member.fetch });
      if (!product) {
        throw new UserError(this.texts.errors.notFound);
      }
      const { stock: _old, ...rest } = product;
      await saveProduct(member.pod, { ...rest, price: { ...product.price, value: price }, ...stock === undefined ? {} : { stock } },
        { fetch: member.fetch });
      this.podCache(member).forget(resourceUrl(member.pod, 'catalog', product.slug));
      return this.texts.home.saved(product.name);
    });
  }

  // The member's pod as last read by this app, so a page reads only what changed (bounded: the least recently used go).
  private podCache(member: Member): PodReadCache {
    let cache = this.podCaches.get(member.webId);
    this.podCaches.delete(member.webId);
    if (!cache || this.podCaches.size > 500) {
      cache ??= new PodReadCache(member.fetch);
      if (this.podCaches.size > 500) {
        this.podCaches.delete(this.podCaches.keys().next().value!);
      }
    }
    this.podCaches.set(member.webId, cache);
    return cache;
  }

  private consent(member: Member): ConsentApi {
    return new ConsentApi(this.options.baseUrl, member.name, member.fetch);
  }

  private allowedDurations(upTo = this.maxGrantMs): string[] {
    return STANDARD_DURATIONS.filter((duration): boolean => parseDuration(duration) <= Math.min(upTo, this.maxGrantMs));
  }

  private async access(ctx: Context): Promise<void> {
    const member = this.member(ctx);
    if (!member) {
      return;
    }
    const consent = this.consent(member);
    const [ grants, audit ] = await Promise.all([ consent.listGrants(), consent.readAudit(1000) ]);
    const filter = typeof ctx.query.grantee === 'string' && ctx.query.grantee.length > 0 ? ctx.query.grantee : undefined;
    this.page(ctx, { title: this.texts.access.title, current: 'access' }, renderAccess(this.texts, this.root, member.session,
      { grants, audit, auditGrantee: filter, pod: member.pod, now: new Date(), durations: this.allowedDurations() }));
  }

  private async createGrant(ctx: Context): Promise<void> {
    const member = this.member(ctx);
    if (!member) {
      return;
    }
    const form = ctx.state.form as URLSearchParams;
    await this.act(ctx, `${this.root}app/access`, async(): Promise<string> => {
      const grantee = toGranteeInput(form.get('kind') ?? '', (form.get('who') ?? '').trim());
      const { grant } = await this.consent(member).createGrant({
        grantee,
        scope: (form.get('scope') ?? '').split(/[\s,]+/u).filter(Boolean),
        modes: form.getAll('modes'),
        purpose: form.get('purpose') ?? '',
        duration: form.get('duration') ?? '',
      });
      const created = this.texts.access.created(describeNewGrantee(this.texts, grant.grantee));
      return grant.grantee.kind === 'public' ? `${created} ${this.texts.access.publicWarning}` : created;
    });
  }

  private async revokeGrant(ctx: Context): Promise<void> {
    const member = this.member(ctx);
    if (!member) {
      return;
    }
    await this.act(ctx, `${this.root}app/access`, async(): Promise<string> => {
      const revoked = await this.consent(member).revokeGrant(ctx.params.id as string);
      return this.texts.access.revoked(describeNewGrantee(this.texts, revoked.grantee));
    });
  }

  private async requests(ctx: Context): Promise<void> {
    const member = this.member(ctx);
    if (!member) {
      return;
    }
    const requests = await this.consent(member).listRequests('pending');
    this.page(ctx, { title: this.texts.requests.title, current: 'requests' }, renderRequests(this.texts, this.root, member.session,
      requests, member.pod, (requested): string[] => {
        const asked = parseDuration(requested);
        return [ ...new Set([ formatDuration(Math.min(asked, this.maxGrantMs)), ...this.allowedDurations(asked).reverse() ]) ];
      }));
  }

  private async answerRequest(ctx: Context): Promise<void> {
    const member = this.member(ctx);
    if (!member) {
      return;
    }
    const form = ctx.state.form as URLSearchParams;
    const { id, answer } = ctx.params as { id: string; answer: string };
    await this.act(ctx, `${this.root}app/requests`, async(): Promise<string> => {
      const consent = this.consent(member);
      if (answer === 'deny') {
        await consent.denyRequest(id);
        return this.texts.requests.denied;
      }
      if (answer !== 'approve') {
        throw new UserError(this.texts.errors.notFound);
      }
      const scope = form.getAll('scope');
      if (scope.length === 0) {
        throw new UserError(this.texts.requests.narrow);
      }
      const { grant } = await consent.approveRequest(id, { duration: form.get('duration') ?? undefined, scope });
      return this.texts.requests.approved(describeNewGrantee(this.texts, grant.grantee));
    });
  }

  private async inbox(ctx: Context): Promise<void> {
    const member = this.member(ctx);
    if (!member) {
      return;
    }
    const seen = await this.inboxRead.seenUntil(member.webId);
    const now = Date.now();
    const items = await readInbox(member.pod, member.fetch, seen, this.texts.inbox.kinds);
    await this.inboxRead.markSeen(member.webId, now);
    this.page(ctx, { title: this.texts.inbox.title, current: 'inbox' }, renderInbox(this.texts, items, new Date()));
  }

  private async bridges(ctx: Context): Promise<void> {
    const member = this.member(ctx);
    if (!member) {
      return;
    }
    let entries: BridgeEntry[] | undefined;
    const targets = await this.bridgeTargets();
    if (targets) {
      entries = await Promise.all(targets.map(async(target): Promise<BridgeEntry> => {
        try {
          return { target, status: await new BridgeApi(this.options.baseUrl, target, member.name, member.fetch).status() };
        } catch (error: unknown) {
          // 404: not connected, so the page offers to connect.
          return (error as FmpClientError).status === 404 ? { target } : { target, error: (error as Error).message };
        }
      }));
    }
    this.page(ctx, { title: this.texts.bridges.title, current: 'bridges' }, renderBridges(this.texts, this.root, member.session, entries, {
      fields: (target): ConnectField[] | undefined => BRIDGE_TARGETS[target] && connectFieldsOf(BRIDGE_TARGETS[target]),
      durations: this.allowedDurations(),
    }));
  }

  /** The targets the FMP's bridge workers serve, or undefined when none answer. */
  private async bridgeTargets(): Promise<string[] | undefined> {
    const identity = await fetchServer(new URL('.fmp/bridges/identity', this.options.baseUrl).href).catch((): undefined => undefined);
    return identity?.ok ? Object.keys(await identity.json() as Record<string, unknown>) : undefined;
  }

  // Connect asks for what `fmp bridge <target> connect` asks, checks it the same way, and goes the same way: a grant to
  // the target's bridge, then the settings to the bridges' API, as the member. What the bridge or the target refuses
  // becomes a plain message with any secret the member typed cut out of it.
  private async connectBridge(member: Member, api: BridgeApi, form: URLSearchParams): Promise<string> {
    const t = this.texts.bridges;
    const definition = Object.hasOwn(BRIDGE_TARGETS, api.target) ? BRIDGE_TARGETS[api.target] : undefined;
    if (!definition) {
      throw new UserError(this.texts.errors.notFound);
    }
    const label = labelOf(this.texts, api.target);
    const names = t.fields[api.target] ?? {};
    const settings: Record<string, string> = {};
    const missing: string[] = [];
    const secrets: string[] = [];
    for (const field of connectFieldsOf(definition)) {
      const value = (form.get(field.setting) ?? '').trim();
      if (value === '') {
        if (!field.optional) {
          missing.push(names[field.setting] ?? field.setting);
        }
        continue;
      }
      if (field.kind === 'url' && !isWebAddress(value)) {
        throw new UserError(t.notUrl(names[field.setting] ?? field.setting));
      }
      if (field.kind === 'secret') {
        secrets.push(value);
      }
      settings[field.setting] = value;
    }
    if (missing.length > 0) {
      throw new UserError(t.missing(missing.join(', ')));
    }
    const duration = form.get('for') ?? '';
    if (!this.allowedDurations().includes(duration)) {
      throw new UserError(this.texts.errors.generic(duration));
    }
    try {
      await connectBridge(api, this.consent(member), { pod: member.pod, session: { fetch: member.fetch }}, definition.adapter,
        duration, settings);
    } catch (error: unknown) {
      if (!(error instanceof FmpClientError)) {
        throw error;
      }
      const reason = withoutSecrets(error.message, secrets);
      throw new UserError(error.status === 502 ? t.refused(label, sentence(reason)) :
        error.status === 400 ? t.settingsRefused(sentence(reason)) :
        error.status === undefined || error.status >= 500 ? t.unreachable : reason);
    }
    const webhook = t.webhook[api.target]?.(new URL(`.fmp/bridges/${api.target}/webhooks/${encodeURIComponent(member.name)}`,
      this.options.baseUrl).href);
    return webhook ? `${t.connected(label)} ${webhook}` : t.connected(label);
  }

  private async bridgeAction(ctx: Context): Promise<void> {
    const member = this.member(ctx);
    if (!member) {
      return;
    }
    const { target, action } = ctx.params as { target: string; action: string };
    const label = labelOf(this.texts, target);
    await this.act(ctx, `${this.root}app/bridges`, async(): Promise<string> => {
      const api = new BridgeApi(this.options.baseUrl, target, member.name, member.fetch);
      if (action === 'connect') {
        return this.connectBridge(member, api, ctx.state.form as URLSearchParams);
      }
      if (action === 'sync') {
        await api.sync();
        return this.texts.bridges.synced(label);
      }
      if (action === 'disconnect') {
        const bridgeWebId = await api.bridgeWebId();
        await api.disconnect();
        const consent = this.consent(member);
        for (const grant of (await consent.listGrants('active')).filter((entry): boolean => entry.grantee.webId === bridgeWebId)) {
          await consent.revokeGrant(grant.id);
        }
        return this.texts.bridges.disconnected(label);
      }
      if (action === 'renew') {
        const old = await api.status();
        const consent = this.consent(member);
        const previous = await consent.listGrants('active');
        const was = previous.find((grant): boolean => grant.id === old.grant.id);
        if (!was) {
          throw new UserError(this.texts.errors.notFound);
        }
        const { grant } = await consent.createGrant({ grantee: { webId: was.grantee.webId }, scope: was.scope, modes: was.modes,
          purpose: was.purpose.text, duration: formatDuration(this.maxGrantMs) });
        await api.renew({ id: grant.id, validUntil: grant.validUntil });
        await consent.revokeGrant(was.id).catch((): void => undefined);
        return this.texts.bridges.renewed(label, formatDate(grant.validUntil));
      }
      throw new UserError(this.texts.errors.notFound);
    });
  }

  private snapshots(member: Member): SnapshotApi {
    return new SnapshotApi(this.options.baseUrl, member.name, member.fetch);
  }

  private async undo(ctx: Context): Promise<void> {
    const member = this.member(ctx);
    if (!member) {
      return;
    }
    const list = await this.snapshots(member).list();
    this.page(ctx, { title: this.texts.undo.title, current: 'undo' }, renderUndo(this.texts, this.root, member.session, list));
  }

  private async takeSnapshot(ctx: Context): Promise<void> {
    const member = this.member(ctx);
    if (!member) {
      return;
    }
    await this.act(ctx, `${this.root}app/undo`, async(): Promise<string> => {
      await this.snapshots(member).take();
      return this.texts.undo.took;
    });
  }

  private async confirmRestore(ctx: Context): Promise<void> {
    const member = this.member(ctx);
    if (!member) {
      return;
    }
    const snapshot = (await this.snapshots(member).list()).snapshots.find((entry): boolean => entry.id === ctx.params.id);
    if (!snapshot) {
      ctx.status = 404;
      this.page(ctx, { title: this.texts.errors.notFound, current: 'undo' }, html`<h1>${this.texts.errors.notFound}</h1>`);
      return;
    }
    this.page(ctx, { title: this.texts.undo.title, current: 'undo' }, renderRestoreConfirm(this.texts, this.root, member.session, snapshot));
  }

  private async restore(ctx: Context): Promise<void> {
    const member = this.member(ctx);
    if (!member) {
      return;
    }
    await this.act(ctx, `${this.root}app/undo`, async(): Promise<string> => {
      const result = await this.snapshots(member).restoreSnapshot(ctx.params.id as string);
      return this.texts.undo.restored(result.removed, result.restored);
    });
  }

  private async move(ctx: Context): Promise<void> {
    const member = this.member(ctx);
    if (!member) {
      return;
    }
    this.page(ctx, { title: this.texts.move.title, current: 'move' }, renderMove(this.texts, this.root, member.session, await this.moves.get(member.webId)));
  }

  // The same export route as `fmp export`, streamed through to the browser as a download.
  private async export(ctx: Context): Promise<void> {
    const member = this.member(ctx);
    if (!member) {
      return;
    }
    const response = await member.fetch(new URL(`.fmp/export/${encodeURIComponent(member.name)}`, this.options.baseUrl).href,
      { headers: { accept: 'application/x-tar' }});
    if (!response.ok || !response.body) {
      member.session.flash = { kind: 'error', text: this.texts.errors.generic(await readErrorMessage(response)) };
      ctx.redirect(`${this.root}app/move`);
      return;
    }
    ctx.type = 'application/x-tar';
    ctx.attachment(`${member.name}-${new Date().toISOString().slice(0, 10)}.tar`);
    const count = response.headers.get('x-fmp-resource-count');
    if (count) {
      ctx.set('X-Fmp-Resource-Count', count);
    }
    ctx.body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  }

  // The same move as `fmp move`, run here in the background; the move page shows its steps as they happen.
  private async startMove(ctx: Context): Promise<void> {
    const member = this.member(ctx);
    if (!member) {
      return;
    }
    const form = ctx.state.form as URLSearchParams;
    await this.act(ctx, `${this.root}app/move`, async(): Promise<string> => {
      const running = await this.moves.get(member.webId);
      if (running && !running.done && !running.error && !running.interrupted) {
        return this.texts.move.progress;
      }
      let server: string;
      try {
        server = new URL(form.get('to') ?? '').href;
      } catch {
        throw new UserError(this.texts.move.target);
      }
      const target = { server, name: (form.get('toName') ?? '').trim() || member.name, email: (form.get('email') ?? '').trim(),
        password: form.get('password') ?? '' };
      assertMemberName(target.name);
      if (form.get('confirm') !== 'yes' || !target.email || !target.password) {
        throw new UserError(this.texts.move.confirm);
      }
      if (new URL(server).origin === this.rootUrl.origin) {
        throw new UserError(this.texts.move.target);
      }
      const job: MoveJob = { steps: [] };
      // Each change written down in turn (progress is frequent: at most one write waits, with the latest state).
      let saving = this.moves.save(member.webId, job);
      let pending = false;
      const record = (): void => {
        if (pending) {
          return;
        }
        pending = true;
        saving = saving.catch((): void => undefined).then(async(): Promise<void> => {
          pending = false;
          await this.moves.save(member.webId, job);
        });
      };
      await saving;
      const outbound = createMoveGuard(this.options.baseUrl, server);
      const stored = new StoredLogins(this.options.stateFolder);
      movePod({ name: member.name, pod: member.pod, webId: member.webId, session: { fetch: member.fetch }}, this.options.baseUrl, target, {
        outbound,
        logInToTarget: async() => logInAsMember(target.name, { server, email: target.email, password: target.password }, stored),
        journal: new MoveJournal(this.options.stateFolder),
        onStep: (text: string): void => {
          job.steps.push(text);
          record();
        },
        onTransfer: (progress): void => {
          job.progress = `${progress.resources ?? 0} / ${progress.total ?? '?'}`;
          record();
        },
      }).then((report): void => {
        job.done = { pod: report.to.pod, webId: report.to.webId };
        record();
      }, (error: Error): void => {
        job.error = error.message;
        record();
      }).finally((): void => {
        outbound.close().catch((): void => undefined);
      });
      return this.texts.move.progress;
    });
  }
}

/** A mistake the member can correct; its message is shown as it is. */
class UserError extends Error {}

/** Errors the consent and portability clients raise with a readable message (shape violations, refusals). */
function isReadable(error: unknown): boolean {
  return error instanceof Error && [ 'ShapeViolationError', 'GrantValidationError', 'DurationError' ].includes(error.name);
}

/** Whether `text` is a whole http(s) address, as the bridges take them. */
function isWebAddress(text: string): boolean {
  try {
    return [ 'https:', 'http:' ].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** A message with every secret the member typed cut out, in case a target repeats one. */
function withoutSecrets(message: string, secrets: string[]): string {
  return secrets.filter((secret): boolean => secret.length >= 4).reduce((text, secret): string => text.split(secret).join('…'), message);
}

/** A reason as a sentence (ending in a full stop), to be followed by what to do. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/u.test(trimmed) ? trimmed : `${trimmed}.`;
}

function toGranteeInput(kind: string, who: string): NewGrant['grantee'] {
  switch (kind) {
    case 'fmp-members': return { audience: 'fmp-members' };
    case 'public': return { audience: 'public' };
    case 'app': return { clientId: who };
    case 'peer': return { peer: who };
    default: return { webId: who };
  }
}

function describeNewGrantee(texts: Texts, grantee: { kind: string; webId?: string; clientId?: string; peerName?: string; issuer?: string }): string {
  switch (grantee.kind) {
    case 'fmp-members': return texts.grantee['fmp-members'];
    case 'public': return texts.grantee.public;
    case 'app': return texts.grantee.app(grantee.clientId ?? '');
    case 'peer': return texts.grantee.peer(grantee.peerName ?? grantee.issuer ?? '');
    default: return grantee.webId ?? '';
  }
}

/** The pod of a WebID on this FMP (`<base><name>/profile/card#me` → `<base><name>/`); others cannot use this app. */
export function podOfWebId(webId: string, baseUrl: string): string {
  const pod = new URL('../', webId.replace(/#.*$/u, '')).href;
  const name = pod.startsWith(baseUrl) ? pod.slice(baseUrl.length, -1) : '';
  if (!/^[a-z0-9-]+$/u.test(name)) {
    throw new UserError(`${webId} has no pod on this FMP.`);
  }
  return pod;
}

function readCookie(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const [ key, ...value ] = part.trim().split('=');
    if (key === name) {
      return value.join('=');
    }
  }
  return undefined;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
