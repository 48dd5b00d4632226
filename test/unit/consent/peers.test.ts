import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Peer } from '../../../consent/peers/Peer';
import { PeerRegistryError } from '../../../consent/peers/Peer';
import { addPeer, listPeers, removePeer } from '../../../consent/peers/peerRegistry';

const NORTH: Peer = {
  name: 'north',
  issuer: 'https://north.example/',
  inbox: 'https://north.example/.fmp/inbox',
  jwksUrl: 'https://north.example/.fmp/jwks',
};

describe('Peer registry', (): void => {
  let folder: string;
  let file: string;

  beforeEach(async(): Promise<void> => {
    folder = await fs.mkdtemp(join(tmpdir(), 'fmp-peers-'));
    file = join(folder, 'config', 'peers.json');
  });

  afterEach(async(): Promise<void> => {
    await fs.rm(folder, { recursive: true, force: true });
  });

  it('adds, lists and removes peers.', async(): Promise<void> => {
    assert.deepEqual(await listPeers(file), []);
    const added = await addPeer(file, NORTH);
    assert.equal(added.issuer, 'https://north.example');
    assert.deepEqual(await listPeers(file), [ added ]);
    await removePeer(file, 'north');
    assert.deepEqual(await listPeers(file), []);
  });

  it('loses no peer when several are added at once (commands run on several machines at the same moment).',
    async(): Promise<void> => {
      const names = Array.from({ length: 8 }, (unused, index): string => `peer-${index}`);
      await Promise.all(names.map(async(name): Promise<Peer> => addPeer(file, { ...NORTH, name, issuer: `https://${name}.example` })));
      assert.deepEqual((await listPeers(file)).map((peer): string => peer.name).sort(), names);
      await Promise.all(names.slice(0, 4).map(async(name): Promise<void> => removePeer(file, name)));
      assert.deepEqual((await listPeers(file)).map((peer): string => peer.name).sort(), names.slice(4));
    });

  it('refuses duplicate names and issuers.', async(): Promise<void> => {
    await addPeer(file, NORTH);
    await assert.rejects(addPeer(file, { ...NORTH, issuer: 'https://other.example' }), /peer named "north" is already listed/u);
    await assert.rejects(addPeer(file, { ...NORTH, name: 'North2', issuer: 'https://north.example' }),
      /already listed as peer "north"/u);
  });

  it('refuses bad names and non-http(s) URLs, naming the field.', async(): Promise<void> => {
    await assert.rejects(addPeer(file, { ...NORTH, name: 'no spaces' }), PeerRegistryError);
    await assert.rejects(addPeer(file, { ...NORTH, issuer: 'ftp://north.example' }), /issuer must be an http\(s\) URL/u);
    await assert.rejects(addPeer(file, { ...NORTH, inbox: 'not a url' }), /inbox must be an http\(s\) URL/u);
    await assert.rejects(addPeer(file, { ...NORTH, jwksUrl: 'javascript:alert(1)' }), /jwksUrl/u);
  });

  it('explains an unknown peer and a damaged file.', async(): Promise<void> => {
    await assert.rejects(removePeer(file, 'south'), /No peer named "south"/u);
    await fs.mkdir(join(folder, 'config'), { recursive: true });
    await fs.writeFile(file, '{ nope');
    await assert.rejects(listPeers(file), /peer registry .* is damaged/u);
  });
});
