import type { MoveActivity } from '../../consent';
import type { GrantJson } from './ConsentApi';
import { FmpClientError } from './FmpClientError';
import { fetchJson, readErrorMessage } from './serverFetch';

/** A move as the old FMP records it: `preparing` (the pod is read-only) or `moved`. */
export interface MoveStateJson {
  state: 'none' | 'preparing' | 'moved';
  fromPod: string;
}

/** A pod that moved away, as the old FMP records it. */
export interface MoveRecordJson {
  state: 'moved';
  member: string;
  fromPod: string;
  fromWebId: string;
  toPod: string;
  toWebId: string;
  movedAt: string;
  forwardUntil: string;
  activity: MoveActivity;
}

/** What the old FMP answers when it starts forwarding: the move, who holds live grants (to be told), and what was revoked. */
export interface ForwardingStarted extends MoveRecordJson {
  grantees: { grant: string; grantee: GrantJson['grantee'] }[];
  /** Grants revoked at the old FMP (some perhaps after the copy was made), by IRI. */
  revokedGrants: string[];
}

/** Client for the old FMP's `/.fmp/move/<member>`, with the member's authenticated fetch. */
export class MoveApi {
  private readonly url: string;

  public constructor(server: string, member: string, private readonly fetchFn: typeof fetch) {
    this.url = new URL(`.fmp/move/${encodeURIComponent(member)}`, server).href;
  }

  /** Whether the pod is moving or moved, and where to. */
  public async getMove(): Promise<MoveStateJson | MoveRecordJson> {
    return this.send('GET');
  }

  /** Makes the pod read-only while it is copied (idempotent). */
  public async prepare(): Promise<void> {
    await this.send('POST', {}, '/prepare');
  }

  /** Calls off a prepared move: the pod is writable again. */
  public async cancel(): Promise<void> {
    await this.send('DELETE');
  }

  /** Makes the old pod forward to the new one (the new profile must already claim the old WebID). */
  public async startForwarding(toWebId: string, toPod: string): Promise<ForwardingStarted> {
    return this.send<ForwardingStarted>('POST', { toWebId, toPod });
  }

  private async send<T>(method: string, body?: unknown, path = ''): Promise<T> {
    const response = await fetchJson(`${this.url}${path}`, method, body, this.fetchFn);
    if (!response.ok) {
      throw new FmpClientError(`${method === 'GET' ? 'cannot read the move' : 'the old FMP refused'} ` +
        `(${response.status}): ${await readErrorMessage(response)}`, response.status);
    }
    return await response.json() as T;
  }
}
