import { randomBytes } from 'node:crypto';
import { Session } from '@inrupt/solid-client-authn-node';

/** One visitor of the web app: a CSRF token always; once signed in, the member's Solid-OIDC session. */
export interface MemberSession {
  id: string;
  csrf: string;
  /** The Solid-OIDC session (authorization code flow with PKCE, DPoP-bound tokens), kept on the server only. */
  auth?: Session;
  webId?: string;
  /** The member's pod root and name on this FMP. */
  pod?: string;
  member?: string;
  /** A one-time message for the next page (what just happened). */
  flash?: { kind: 'ok' | 'error'; text: string };
  lastSeen: number;
}

/** How long an idle session lasts; after it the member signs in again. */
const IDLE_LIMIT_MS = 12 * 3_600_000;
/** Visitors kept at most; the longest idle go first (so a flood of anonymous visits cannot grow memory without end). */
const MAX_SESSIONS = 20_000;

/** Server-side sessions of the web app, by an unguessable cookie value; tokens never reach the browser. */
export class MemberSessions {
  private readonly sessions = new Map<string, MemberSession>();

  /** The session for a cookie value, if it exists and is not idle too long. */
  public find(id: string | undefined, now = Date.now()): MemberSession | undefined {
    const session = id ? this.sessions.get(id) : undefined;
    if (!session) {
      return undefined;
    }
    if (now - session.lastSeen > IDLE_LIMIT_MS) {
      this.end(session);
      return undefined;
    }
    session.lastSeen = now;
    // Map order is insertion order: moving it to the end keeps the least recently seen first.
    this.sessions.delete(session.id);
    this.sessions.set(session.id, session);
    return session;
  }

  /** A new anonymous session. */
  public create(now = Date.now()): MemberSession {
    while (this.sessions.size >= MAX_SESSIONS) {
      this.end(this.sessions.values().next().value!);
    }
    const session: MemberSession = { id: randomToken(), csrf: randomToken(), lastSeen: now };
    this.sessions.set(session.id, session);
    return session;
  }

  /** Gives a session a new id (on sign-in, so a cookie set before cannot be fixed onto a member). */
  public renew(session: MemberSession): MemberSession {
    this.sessions.delete(session.id);
    session.id = randomToken();
    session.csrf = randomToken();
    this.sessions.set(session.id, session);
    return session;
  }

  /** Forgets a session and its tokens. */
  public end(session: MemberSession): void {
    this.sessions.delete(session.id);
    session.auth?.logout({ logoutType: 'app' }).catch((): void => undefined);
  }

  /** Number of sessions held. */
  public get size(): number {
    return this.sessions.size;
  }
}

function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A new Solid-OIDC session for a sign-in. */
export function newAuthSession(): Session {
  return new Session();
}
