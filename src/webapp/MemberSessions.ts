import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { getSessionFromStorage, Session } from '@inrupt/solid-client-authn-node';
import { writeFileAtomically } from '../../consent/util/writeFileAtomically';
import { FileStorage } from './FileStorage';

/** One visitor of the web app: a CSRF token always; once signed in, the member's Solid-OIDC session. */
export interface MemberSession {
  /** The cookie value. */
  id: string;
  /** Derived from the id with the app's key, so a visitor who holds nothing needs no stored record. */
  csrf: string;
  /** This process's handle on the Solid-OIDC session (DPoP-bound tokens), kept on the server only; never stored. */
  auth?: Session;
  /** The id of the Solid-OIDC session, whose tokens are stored apart (see {@link FileStorage}). */
  authId?: string;
  webId?: string;
  /** The member's pod root and name on this FMP. */
  pod?: string;
  member?: string;
  /** A one-time message for the next page (what just happened). */
  flash?: { kind: 'ok' | 'error'; text: string };
  lastSeen: number;
}

/** What a session's record holds. */
type StoredSession = Pick<MemberSession, 'authId' | 'webId' | 'pod' | 'member' | 'flash' | 'lastSeen'>;

/** How long an idle session lasts; after it the member signs in again. */
const IDLE_LIMIT_MS = 12 * 3_600_000;
/** Records kept at most; the longest idle go first (so a flood of visits cannot fill the disk). */
const MAX_SESSIONS = 20_000;
/** `lastSeen` is written again only after this long, so that reading a page does not write a file each time. */
const SEEN_PRECISION_MS = 60_000;
/** How often, at most, idle records are swept away. */
const SWEEP_EVERY_MS = 60_000;
/** An access token this close to its end is refreshed before use. */
const TOKEN_MARGIN_MS = 60_000;
/** Solid-OIDC sessions held in this process's memory at most (the others are restored from their record when used). */
const MAX_LIVE = 2_000;
const TOKEN = /^[\w-]{43}$/u;

/**
 * Server-side sessions of the web app, by an unguessable cookie value; tokens never reach the browser. A session that
 * holds something (a sign-in, a message for the next page) is a record in `folder` (mode 0600, written atomically) and
 * its Solid-OIDC state a second file beside it, so every process on the same data folder serves the same sessions, a
 * restart signs nobody out, and a sign-out in one process ends the session in all (each request reads the record).
 * A process keeps the member's Solid-OIDC session in memory while its access token lasts; another process, or the same
 * after a restart or once the token runs out, restores it from the stored refresh token and DPoP key.
 */
export class MemberSessions {
  private readonly live = new Map<string, Session>();
  /** Each session's record as last read or written, to write only what changed. */
  private readonly stored = new WeakMap<MemberSession, string>();
  private readonly ended = new WeakSet<MemberSession>();
  private lastSweep = 0;
  private createdSinceSweep = 0;
  private countAtSweep = 0;

  /**
   * @param folder - Where the records are kept (private to the server).
   * @param key - The app's secret, which CSRF tokens are derived with.
   * @param now - Tells the time (injected for tests of idle expiry).
   */
  public constructor(private readonly folder: string, private readonly key: string,
    private readonly now: () => number = Date.now) {}

  /** The session for a cookie value; undefined only for a missing or malformed value (the caller makes a new one). */
  public async find(id: string | undefined): Promise<MemberSession | undefined> {
    if (!id || !TOKEN.test(id)) {
      return undefined;
    }
    const now = this.now();
    const session: MemberSession = { id, csrf: this.csrfOf(id), lastSeen: now };
    let text: string;
    try {
      text = await readFile(this.recordPath(id), 'utf8');
    } catch {
      // Nothing stored: a visitor who has not signed in, or a session ended (here or in another process).
      return session;
    }
    const record = parseRecord(text);
    if (!record || now - record.lastSeen > IDLE_LIMIT_MS) {
      await this.end({ ...session, authId: record?.authId });
      return session;
    }
    Object.assign(session, record, { lastSeen: now - record.lastSeen > SEEN_PRECISION_MS ? now : record.lastSeen });
    this.stored.set(session, text);
    return session;
  }

  /** A new anonymous session (nothing is stored until it holds something). */
  public create(): MemberSession {
    const id = randomToken();
    return { id, csrf: this.csrfOf(id), lastSeen: this.now() };
  }

  /** Stores what changed in the session; a session that holds nothing any more is removed. */
  public async save(session: MemberSession): Promise<void> {
    if (this.ended.has(session)) {
      return;
    }
    const { authId, webId, pod, member, flash, lastSeen } = session;
    if (!authId && !flash && !webId) {
      if (this.stored.has(session)) {
        await rm(this.recordPath(session.id), { force: true });
        this.stored.delete(session);
      }
      return;
    }
    const text = JSON.stringify({ authId, webId, pod, member, flash, lastSeen } satisfies StoredSession);
    if (text === this.stored.get(session)) {
      return;
    }
    if (!this.stored.has(session)) {
      this.createdSinceSweep += 1;
      this.sweepSoon();
    }
    await writeFileAtomically(this.recordPath(session.id), text);
    this.stored.set(session, text);
  }

  /** Gives a session a new id (on sign-in, so a cookie set before cannot be fixed onto a member). */
  public async renew(session: MemberSession): Promise<MemberSession> {
    const old = this.recordPath(session.id);
    session.id = randomToken();
    session.csrf = this.csrfOf(session.id);
    if (this.stored.has(session)) {
      await rename(old, this.recordPath(session.id));
    }
    return session;
  }

  /** Forgets a session and its tokens, in every process (their next request finds no record). */
  public async end(session: Pick<MemberSession, 'id' | 'authId'>): Promise<void> {
    this.ended.add(session as MemberSession);
    this.stored.delete(session as MemberSession);
    await rm(this.recordPath(session.id), { force: true });
    if (session.authId) {
      this.live.delete(session.authId);
      await rm(this.authPath(session.authId), { force: true });
    }
  }

  /** Starts a sign-in: a new Solid-OIDC session whose state (PKCE verifier, client registration) is stored. */
  public startSignIn(session: MemberSession): Session {
    if (session.authId) {
      this.live.delete(session.authId);
      rm(this.authPath(session.authId), { force: true }).catch((): void => undefined);
    }
    session.authId = randomToken();
    return this.newAuth(session.authId);
  }

  /** Completes a sign-in at the callback URL, in whichever process the browser comes back to. */
  public async completeSignIn(session: MemberSession, url: string): Promise<Session | undefined> {
    if (!session.authId) {
      return undefined;
    }
    const auth = this.newAuth(session.authId);
    const info = await auth.handleIncomingRedirect(url);
    if (!info?.isLoggedIn) {
      return undefined;
    }
    this.keepLive(session.authId, auth);
    return auth;
  }

  /**
   * The member's Solid-OIDC session, logged in: the one this process holds while its token lasts, else restored from
   * the stored refresh token. Undefined when there is none or it cannot be restored (the refresh token ran out).
   */
  public async authOf(session: MemberSession): Promise<Session | undefined> {
    const { authId } = session;
    if (!authId || !session.webId) {
      return undefined;
    }
    const held = this.live.get(authId);
    if (held?.info.isLoggedIn && (held.info.expirationDate ?? Number.POSITIVE_INFINITY) > this.now() + TOKEN_MARGIN_MS) {
      this.keepLive(authId, held);
      return held;
    }
    const restored = await getSessionFromStorage(authId, { storage: new FileStorage(this.authPath(authId)) })
      .catch((): undefined => undefined);
    if (!restored?.info.isLoggedIn || restored.info.webId !== session.webId) {
      this.live.delete(authId);
      return undefined;
    }
    this.keepLive(authId, restored);
    return restored;
  }

  /** Number of stored sessions, as of the last sweep plus those made since. */
  public get size(): number {
    return this.countAtSweep + this.createdSinceSweep;
  }

  /** Removes idle records now, and the longest idle beyond `bound`; answers how many are left. */
  public async sweep(bound = MAX_SESSIONS): Promise<number> {
    const now = this.now();
    this.lastSweep = now;
    this.createdSinceSweep = 0;
    const records: { name: string; record?: StoredSession }[] = [];
    const authFiles: string[] = [];
    for (const name of await readdir(this.folder).catch((): string[] => [])) {
      if (name.endsWith('.auth.json')) {
        authFiles.push(name);
      } else if (name.endsWith('.json')) {
        records.push({ name, record: parseRecord(await readFile(join(this.folder, name), 'utf8').catch((): string => '')) });
      } else if (name.endsWith('.tmp') && now - await modifiedAt(join(this.folder, name)) > 3_600_000) {
        // Left by a process that stopped while writing.
        await rm(join(this.folder, name), { force: true });
      }
    }
    records.sort((a, b): number => (b.record?.lastSeen ?? 0) - (a.record?.lastSeen ?? 0));
    const referenced = new Set<string>();
    let kept = 0;
    for (const { name, record } of records) {
      if (record && kept < bound && now - record.lastSeen <= IDLE_LIMIT_MS) {
        kept += 1;
        referenced.add(`${record.authId}.auth.json`);
        continue;
      }
      await rm(join(this.folder, name), { force: true });
      if (record?.authId) {
        this.live.delete(record.authId);
        await rm(this.authPath(record.authId), { force: true });
      }
    }
    // A sign-in's tokens are written before its record: only old ones that no record names are orphans.
    for (const name of authFiles) {
      if (!referenced.has(name) && now - await modifiedAt(join(this.folder, name)) > IDLE_LIMIT_MS) {
        await rm(join(this.folder, name), { force: true });
      }
    }
    this.countAtSweep = kept;
    return kept;
  }

  private sweepSoon(): void {
    if (this.now() - this.lastSweep > SWEEP_EVERY_MS || this.size > MAX_SESSIONS) {
      this.lastSweep = this.now();
      this.sweep().catch((): void => undefined);
    }
  }

  private newAuth(authId: string): Session {
    // No keep-alive timers: a token is refreshed when a request needs it (authOf), by whichever process serves it.
    return new Session({ storage: new FileStorage(this.authPath(authId)), keepAlive: false }, authId);
  }

  /** Holds a session in memory, the least recently used first out. */
  private keepLive(authId: string, auth: Session): void {
    this.live.delete(authId);
    this.live.set(authId, auth);
    if (this.live.size > MAX_LIVE) {
      this.live.delete(this.live.keys().next().value!);
    }
  }

  private csrfOf(id: string): string {
    return createHmac('sha256', this.key).update(`csrf:${id}`).digest('base64url');
  }

  /** A record's file is named by a hash of the cookie value, so a listing of the folder gives no cookie away. */
  private recordPath(id: string): string {
    return join(this.folder, `${createHash('sha256').update(id).digest('hex')}.json`);
  }

  private authPath(authId: string): string {
    return join(this.folder, `${authId}.auth.json`);
  }
}

function parseRecord(text: string): StoredSession | undefined {
  try {
    const record = JSON.parse(text) as StoredSession;
    return typeof record.lastSeen === 'number' && (record.authId === undefined || TOKEN.test(record.authId)) ? record : undefined;
  } catch {
    return undefined;
  }
}

async function modifiedAt(path: string): Promise<number> {
  return (await stat(path).catch((): undefined => undefined))?.mtimeMs ?? Number.POSITIVE_INFINITY;
}

function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
