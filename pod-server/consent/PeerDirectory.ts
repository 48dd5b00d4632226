import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Peer } from '../../consent';
import { listPeers } from '../../consent';
import { normaliseIssuer } from '../../consent/util/iri';

/** The FMPs this one federates with, from `<state>/peers.json` (managed with `fmp peer add|list|remove`). */
export class PeerDirectory {
  private cached?: { modified: number; issuers: Set<string> };

  /**
   * @param stateFolder - The FMP's state folder.
   */
  public constructor(private readonly stateFolder: string) {}

  /** The file the peers are kept in. */
  public get file(): string {
    return join(this.stateFolder, 'peers.json');
  }

  /** Every listed peer (read afresh: the operator may have changed the file). */
  public async list(): Promise<Peer[]> {
    return listPeers(this.file);
  }

  /** The peer with this name or issuer, if listed. */
  public async find(nameOrIssuer: string): Promise<Peer | undefined> {
    const issuer = normaliseIssuer(nameOrIssuer);
    return (await this.list()).find((peer): boolean => peer.name === nameOrIssuer || peer.issuer === issuer);
  }

  /** Whether `issuer` is a listed peer; cheap enough for every request (re-reads only when the file changed). */
  public async isListedIssuer(issuer: string): Promise<boolean> {
    let modified: number;
    try {
      modified = (await stat(this.file)).mtimeMs;
    } catch {
      return false;
    }
    if (this.cached?.modified !== modified) {
      this.cached = { modified, issuers: new Set((await this.list()).map((peer): string => peer.issuer)) };
    }
    return this.cached.issuers.has(normaliseIssuer(issuer));
  }
}
