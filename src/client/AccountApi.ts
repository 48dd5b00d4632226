import { FmpClientError } from './FmpClientError';
import { fetchServer, readErrorMessage } from './serverFetch';

/** The links CSS's account API returns from `GET /.account/`. */
export interface AccountControls {
  account: { create?: string; pod?: string; clientCredentials?: string; webId?: string; logout?: string };
  password: { create?: string; login?: string };
}

/** A pod and WebID as CSS's account API reports them. */
export interface PodInfo {
  pod: string;
  webId: string;
}

/** Client credentials an app or script logs in with (Solid-OIDC `client_credentials`). */
export interface ClientCredentials {
  id: string;
  secret: string;
  resource?: string;
}

/** A small client for CSS 7's account API (`/.account/`): accounts, password logins, pods, client credentials. */
export class AccountApi {
  private controls?: AccountControls;

  /**
   * @param serverUrl - The FMP's base URL, with a trailing slash.
   * @param token - A `CSS-Account-Token`, once logged in or created.
   * @param fetchFn - How requests are sent (the web app adds the client's address to a sign-up it makes).
   */
  public constructor(public readonly serverUrl: string, private token?: string, private readonly fetchFn: typeof fetch = fetch) {}

  /** Creates an empty account and keeps its token. */
  public async createAccount(): Promise<void> {
    const { authorization } = await this.post<{ authorization: string }>((await this.getControls()).account.create, {});
    this.token = authorization;
    this.controls = undefined;
  }

  /** Logs in with e-mail and password and keeps the account token. */
  public async logIn(email: string, password: string): Promise<void> {
    const url = (await this.getControls()).password.login;
    const response = await fetchServer(this.need(url, 'password login'), this.request('POST', { email, password }), this.fetchFn);
    if (response.status === 403 || response.status === 401) {
      throw new FmpClientError('the e-mail or password is wrong', response.status);
    }
    const { authorization } = await this.readJson<{ authorization: string }>(response);
    this.token = authorization;
    this.controls = undefined;
  }

  /** Adds an e-mail/password login to the current account. */
  public async addPasswordLogin(email: string, password: string): Promise<void> {
    await this.post((await this.getControls()).password.create, { email, password });
  }

  /** Creates a pod named `name` with a WebID in it. */
  public async createPod(name: string): Promise<PodInfo> {
    return this.post<PodInfo>((await this.getControls()).account.pod, { name });
  }

  /** The pods of the current account, with the WebIDs linked to it. */
  public async listPods(): Promise<{ pods: string[]; webIds: string[] }> {
    const controls = await this.getControls();
    const pods = await this.get<{ pods: Record<string, string> }>(controls.account.pod);
    const webIds = await this.get<{ webIdLinks: Record<string, string> }>(controls.account.webId);
    return { pods: Object.keys(pods.pods), webIds: Object.keys(webIds.webIdLinks) };
  }

  /** Creates client credentials that act as `webId`. */
  public async createClientCredentials(name: string, webId: string): Promise<ClientCredentials> {
    return this.post<ClientCredentials>((await this.getControls()).account.clientCredentials, { name, webId });
  }

  /** Deletes client credentials by the resource URL CSS returned for them. */
  public async deleteClientCredentials(resource: string): Promise<void> {
    const response = await fetchServer(resource, this.request('DELETE'), this.fetchFn);
    if (!response.ok) {
      throw new FmpClientError(`could not delete client credentials: ${await readErrorMessage(response)}`, response.status);
    }
  }

  /** The account token, sent as `Authorization: CSS-Account-Token …`. */
  public get accountToken(): string | undefined {
    return this.token;
  }

  /** The account API's links for the current account (or for anonymous). */
  public async getControls(): Promise<AccountControls> {
    if (!this.controls) {
      const { controls } = await this.get<{ controls: AccountControls }>(new URL('.account/', this.serverUrl).href);
      this.controls = controls;
    }
    return this.controls;
  }

  private async get<T>(url: string | undefined): Promise<T> {
    return this.readJson<T>(await fetchServer(this.need(url, 'account'), this.request('GET'), this.fetchFn));
  }

  private async post<T>(url: string | undefined, body: unknown): Promise<T> {
    return this.readJson<T>(await fetchServer(this.need(url, 'account'), this.request('POST', body), this.fetchFn));
  }

  private request(method: string, body?: unknown): RequestInit {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    if (this.token) {
      headers.authorization = `CSS-Account-Token ${this.token}`;
    }
    return { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
  }

  private need(url: string | undefined, what: string): string {
    if (!url) {
      throw new FmpClientError(`the server at ${this.serverUrl} offers no ${what} API here (is it an FMP, and are you logged in?)`);
    }
    return url;
  }

  private async readJson<T>(response: Response): Promise<T> {
    if (!response.ok) {
      const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
      throw new FmpClientError(await readErrorMessage(response), response.status,
        Number.isFinite(retryAfter) ? { retryAfter } : undefined);
    }
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('json')) {
      throw new FmpClientError(`${response.url} did not answer with JSON: is this an FMP server?`, response.status);
    }
    return await response.json() as T;
  }
}
