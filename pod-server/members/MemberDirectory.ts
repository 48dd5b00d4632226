import type { AccountLoginStorage } from '@solid/community-server';

/** One member of the FMP: an account with its pod and WebID. */
type StoredObject = Record<string, string> & { id: string };

export interface Member {
  name: string;
  pod: string;
  webId?: string;
  email?: string;
}

/** Reads the FMP's members from CSS's account storage: every pod with its owner and login e-mail. */
export class MemberDirectory {
  /**
   * @param storage - CSS's account storage (`urn:solid-server:default:AccountStorage`).
   * @param baseUrl - The server's base URL, to derive member names from pod URLs.
   */
  // Typed as CSS types its own stores, which Components.js can read.
  public constructor(private readonly storage: AccountLoginStorage<Record<string, never>>, private readonly baseUrl: string) {}

  /** How many pods the server holds. */
  public async countMembers(): Promise<number> {
    let count = 0;
    for await (const _pod of this.entriesOf('pod')) {
      count += 1;
    }
    return count;
  }

  /** Every member, sorted by name. */
  public async listMembers(): Promise<Member[]> {
    const owners = new Map<string, string>();
    for await (const owner of this.entriesOf('owner')) {
      owners.set(owner.podId, owner.webId);
    }
    const emails = new Map<string, string>();
    for await (const login of this.entriesOf('password')) {
      emails.set(login.accountId, login.email);
    }
    const members: Member[] = [];
    for await (const pod of this.entriesOf('pod')) {
      const baseUrl = pod.baseUrl;
      members.push({
        name: baseUrl.slice(this.baseUrl.length).replace(/\/$/u, ''),
        pod: baseUrl,
        webId: owners.get(pod.id),
        email: emails.get(pod.accountId),
      });
    }
    return members.sort((left, right): number => left.name.localeCompare(right.name));
  }

  private entriesOf(type: string): AsyncIterableIterator<StoredObject> {
    return this.storage.entries(type as never) as unknown as AsyncIterableIterator<StoredObject>;
  }
}
