import { Session } from '@inrupt/solid-client-authn-node';
import { FmpClientError } from './FmpClientError';

/** Client credentials plus the issuer they were made on. */
export interface ClientLogin {
  clientId: string;
  clientSecret: string;
  /** The Solid-OIDC issuer: the FMP's base URL. */
  issuer: string;
}

// Client-credentials tokens come without a refresh token: log in again this long before they expire.
const RENEW_BEFORE_MS = 60_000;

/**
 * A Solid-OIDC session from client credentials whose `fetch` logs in again before the token
 * (600 s on CSS) expires, so long-running scripts and bridges keep working.
 */
export class ClientCredentialsSession {
  private session?: Session;
  private loggingIn?: Promise<Session>;

  /**
   * @param login - Client id, secret and issuer.
   * @param now - The clock, injectable for tests.
   */
  public constructor(private readonly login: ClientLogin, private readonly now: () => number = Date.now) {}

  /** An authenticated `fetch` (DPoP), renewing the login when needed. */
  public readonly fetch: typeof fetch = async(input, init): Promise<Response> =>
    (await this.getSession()).fetch(input as string, init);

  /** The WebID the credentials act as. */
  public async getWebId(): Promise<string> {
    const webId = (await this.getSession()).info.webId;
    if (!webId) {
      throw new FmpClientError('the login succeeded but the issuer named no WebID');
    }
    return webId;
  }

  /** When the current token expires (ms since the epoch), once logged in. */
  public get expiresAt(): number | undefined {
    return this.session?.info.expirationDate;
  }

  /** Ends the session. */
  public async logout(): Promise<void> {
    await this.session?.logout();
    this.session = undefined;
  }

  private async getSession(): Promise<Session> {
    if (this.session?.info.isLoggedIn && (this.expiresAt ?? 0) - RENEW_BEFORE_MS > this.now()) {
      return this.session;
    }
    // One login at a time, however many requests arrive together.
    this.loggingIn ??= this.logIn().finally((): void => {
      this.loggingIn = undefined;
    });
    return this.loggingIn;
  }

  private async logIn(): Promise<Session> {
    const session = new Session();
    try {
      await session.login({
        clientId: this.login.clientId,
        clientSecret: this.login.clientSecret,
        oidcIssuer: this.login.issuer,
        tokenType: 'DPoP',
      });
    } catch (error: unknown) {
      throw new FmpClientError(`could not log in at ${this.login.issuer}: ${(error as Error).message}`, undefined, { cause: error });
    }
    if (!session.info.isLoggedIn) {
      throw new FmpClientError(`could not log in at ${this.login.issuer} with client ${this.login.clientId}`);
    }
    this.session = session;
    return session;
  }
}
