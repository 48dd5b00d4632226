import type { BridgeStatus, PreviewLine } from '../../bridges/runtime/BridgeService';
import { FmpClientError } from './FmpClientError';
import { fetchJson, fetchServer, readErrorMessage } from './serverFetch';

/** Client for a member's bridges at `/.fmp/bridges/<target>/connections/<member>`, with the member's authenticated fetch. */
export class BridgeApi {
  private readonly base: string;

  public constructor(private readonly server: string, public readonly target: string, member: string,
    private readonly fetchFn: typeof fetch) {
    this.base = new URL(`.fmp/bridges/${encodeURIComponent(target)}/connections/${encodeURIComponent(member)}`, server).href;
  }

  /** The WebID the target's bridge acts as: whom the member grants access to. */
  public async bridgeWebId(): Promise<string> {
    const response = await fetchServer(new URL('.fmp/bridges/identity', this.server).href);
    if (!response.ok) {
      throw new FmpClientError(`the FMP's bridges do not answer: ${await readErrorMessage(response)}`, response.status);
    }
    const identity = (await response.json() as Record<string, { webId: string } | undefined>)[this.target];
    if (!identity) {
      throw new FmpClientError(`this FMP has no ${this.target} bridge`);
    }
    return identity.webId;
  }

  public async connect(grant: { id: string; validUntil: string }, settings: Record<string, string>): Promise<BridgeStatus> {
    return this.send('PUT', '', { grant, settings });
  }

  public async status(): Promise<BridgeStatus> {
    return this.send('GET', '');
  }

  public async sync(): Promise<BridgeStatus> {
    return this.send('POST', '/sync');
  }

  public async preview(): Promise<PreviewLine[]> {
    return this.send('GET', '/preview');
  }

  public async retry(): Promise<{ retried: number }> {
    return this.send('POST', '/retry');
  }

  public async renew(grant: { id: string; validUntil: string }): Promise<BridgeStatus> {
    return this.send('PUT', '/grant', { grant });
  }

  public async disconnect(): Promise<void> {
    await this.send('DELETE', '');
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetchJson(`${this.base}${path}`, method, body, this.fetchFn);
    if (!response.ok) {
      throw new FmpClientError(await readErrorMessage(response), response.status);
    }
    return response.status === 204 ? undefined as T : await response.json() as T;
  }
}
