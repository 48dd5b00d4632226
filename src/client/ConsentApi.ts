import { FmpClientError } from './FmpClientError';
import { fetchJson, readErrorMessage } from './serverFetch';

/** A grant as the consent API returns it. */
export interface GrantJson {
  id: string;
  state: 'pending' | 'active' | 'expired' | 'revoked';
  grantor: string;
  grantee: { kind: 'agent' | 'app' | 'peer' | 'fmp-members' | 'public'; webId?: string; clientId?: string; issuer?: string;
    peerName?: string; };
  scope: string[];
  modes: string[];
  purpose: { text: string; iri?: string };
  validFrom: string;
  validUntil: string;
  status: string;
  issuedAt: string;
  revokedAt?: string;
}

/** An access request as the consent API returns it. */
export interface AccessRequestJson {
  id: string;
  status: string;
  requester: GrantJson['grantee'];
  scope: string[];
  modes: string[];
  purpose: { text: string; iri?: string };
  duration: string;
  requestedAt: string;
}

/** One line of a member's access log. */
export interface AuditEntryJson {
  time: string;
  grantee: string;
  client?: string;
  resource: string;
  access: string;
  grantId: string;
}

/** What a member sends to create a grant. */
export interface NewGrant {
  /** `audience`: every member of this FMP (`fmp-members`) or everyone, anonymous included (`public`, read only). */
  grantee: { webId?: string; clientId?: string; peer?: string; audience?: 'fmp-members' | 'public' };
  scope: string[];
  modes: string[];
  purpose: string | { text: string; iri?: string };
  duration: string;
}

/** Client for the member's consent API at `/.fmp/consent/<member>/`, with the member's authenticated fetch. */
export class ConsentApi {
  private readonly base: string;

  public constructor(server: string, member: string, private readonly fetchFn: typeof fetch) {
    this.base = new URL(`.fmp/consent/${encodeURIComponent(member)}/`, server).href;
  }

  /** Creates a grant; returns it with its signed VC-JWT. */
  public async createGrant(grant: NewGrant): Promise<{ grant: GrantJson; credential: string }> {
    return this.send('POST', 'grants', grant);
  }

  /** The member's grants, optionally only those in one state. */
  public async listGrants(state?: string): Promise<GrantJson[]> {
    return (await this.send<{ grants: GrantJson[] }>('GET', `grants${state ? `?state=${state}` : ''}`)).grants;
  }

  /** Revokes a grant by its id (the last segment of its IRI, or the IRI itself). */
  public async revokeGrant(id: string): Promise<GrantJson> {
    return (await this.send<{ grant: GrantJson }>('POST', `grants/${lastSegment(id)}/revoke`)).grant;
  }

  /** Access requests in the member's inbox (`pending` by default, or `all`). */
  public async listRequests(status = 'pending'): Promise<AccessRequestJson[]> {
    return (await this.send<{ requests: AccessRequestJson[] }>('GET', `requests?status=${status}`)).requests;
  }

  /** Approves a request, optionally for less time or a narrower scope. */
  public async approveRequest(id: string, change: { duration?: string; scope?: string[] } = {}):
  Promise<{ request: AccessRequestJson; grant: GrantJson; credential: string }> {
    return this.send('POST', `requests/${lastSegment(id)}/approve`, change);
  }

  /** Denies a request. */
  public async denyRequest(id: string): Promise<AccessRequestJson> {
    return (await this.send<{ request: AccessRequestJson }>('POST', `requests/${lastSegment(id)}/deny`)).request;
  }

  /** The member's access log, newest first. */
  public async readAudit(limit = 100): Promise<AuditEntryJson[]> {
    return (await this.send<{ entries: AuditEntryJson[] }>('GET', `audit?limit=${limit}`)).entries;
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetchJson(new URL(path, this.base).href, method, body, this.fetchFn);
    if (!response.ok) {
      throw new FmpClientError(await readErrorMessage(response), response.status);
    }
    return await response.json() as T;
  }
}

/** A grant's or request's id: the last segment of its IRI. */
export function lastSegment(id: string): string {
  return id.replace(/\/$/u, '').split('/').pop() ?? id;
}
