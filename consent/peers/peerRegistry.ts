import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { lock } from 'proper-lockfile';
import type { Peer } from './Peer';
import { PeerRegistryError, validatePeer } from './Peer';

// The registry is a JSON file `{ "peers": [ … ] }` in the data folder, edited by `npx fmp peer add|remove`.

/** The listed peers; a missing file is an empty list, a damaged one an error naming the file. */
export async function listPeers(file: string): Promise<Peer[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw error;
  }
  try {
    const { peers } = JSON.parse(text) as { peers?: unknown };
    if (!Array.isArray(peers)) {
      throw new TypeError('"peers" is not an array');
    }
    return peers as Peer[];
  } catch (error: unknown) {
    throw new PeerRegistryError(`The peer registry ${file} is damaged: ${(error as Error).message}.`, { cause: error });
  }
}

/** Validates and adds a peer; returns it as stored. */
export async function addPeer(file: string, peer: Peer): Promise<Peer> {
  return whileLocked(file, async(): Promise<Peer> => {
    const peers = await listPeers(file);
    const added = validatePeer(peer, peers);
    await savePeers(file, [ ...peers, added ]);
    return added;
  });
}

/** Removes the peer with this name; throws if no such peer is listed. */
export async function removePeer(file: string, name: string): Promise<void> {
  await whileLocked(file, async(): Promise<void> => {
    const peers = await listPeers(file);
    const remaining = peers.filter((peer): boolean => peer.name !== name);
    if (remaining.length === peers.length) {
      throw new PeerRegistryError(`No peer named "${name}" is listed.`);
    }
    await savePeers(file, remaining);
  });
}

/**
 * Runs a change of the registry while no other change runs, in any process on any machine sharing the data folder
 * (a lock folder beside the file, which works on NFS too; one left by a killed command is stale after 10 s).
 */
async function whileLocked<T>(file: string, change: () => Promise<T>): Promise<T> {
  await fs.mkdir(dirname(file), { recursive: true });
  const release = await lock(file, { realpath: false, stale: 10_000, retries: { retries: 100, minTimeout: 20, maxTimeout: 200 }});
  try {
    return await change();
  } finally {
    await release();
  }
}

// Write-then-rename, so a reader (the server) never sees half a file.
async function savePeers(file: string, peers: Peer[]): Promise<void> {
  await fs.mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify({ peers }, null, 2)}\n`, { flag: 'wx' });
  await fs.rename(temporary, file);
}
