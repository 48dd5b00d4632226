import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessMode, Credentials, IdentifierGenerator, ResourceIdentifier } from '@solid/community-server';
import { IdentifierSetMultiMap } from '@solid/community-server';
import { createGrant, GrantIndex } from '../../../consent';
import { GrantAuditor } from '../../../pod-server/consent/GrantAuditor';
import type { GrantCache, PodGrants } from '../../../pod-server/consent/GrantCache';
import { GrantPermissionReader } from '../../../pod-server/consent/GrantPermissionReader';
import type { PeerDirectory } from '../../../pod-server/consent/PeerDirectory';

const POD = 'https://fmp.example/alice/';
const OWNER = `${POD}profile/card#me`;
const BOB = 'https://fmp.example/bob/profile/card#me';

const pods: IdentifierGenerator = {
  generate: (name: string): ResourceIdentifier => ({ path: `https://fmp.example/${name}/` }),
  extractPod: ({ path }: ResourceIdentifier): ResourceIdentifier => ({ path: `${/^https:\/\/fmp\.example\/[^/]+\//u.exec(path)![0]}` }),
};
const HOST = 'https://fmp.example/';
const noPeers = { isListedIssuer: async(): Promise<boolean> => false } as unknown as PeerDirectory;

function modesOn(path: string, ...modes: string[]): IdentifierSetMultiMap<AccessMode> {
  return new IdentifierSetMultiMap<AccessMode>([[{ path }, new Set(modes as AccessMode[]) ]] as never);
}

describe('GrantPermissionReader', (): void => {
  let folder: string;
  let auditor: GrantAuditor;
  let loads: number;

  function cacheOf(grants: () => Promise<PodGrants>): GrantCache {
    return { getPodGrants: async(): Promise<PodGrants> => {
      loads += 1;
      return grants();
    } } as unknown as GrantCache;
  }

  const bobReadsCatalog = async(): Promise<PodGrants> => ({
    owners: [ OWNER ],
    grants: [],
    index: new GrantIndex([ createGrant({
      grantor: OWNER, podRoot: POD, grantee: { kind: 'agent', webId: BOB }, scope: [ 'catalog/' ], modes: [ 'read' ],
      purpose: { text: 'test' }, validUntil: new Date(Date.now() + 3_600_000),
    }, { now: new Date() }) ]),
  });

  beforeEach(async(): Promise<void> => {
    folder = await mkdtemp(join(tmpdir(), 'fmp-reader-'));
    auditor = new GrantAuditor(folder);
    loads = 0;
  });

  afterEach(async(): Promise<void> => {
    await rm(folder, { recursive: true, force: true });
  });

  it('gives the granted mode to the grantee inside the scope, and records it.', async(): Promise<void> => {
    const reader = new GrantPermissionReader(cacheOf(bobReadsCatalog), pods, auditor, noPeers, HOST);
    const result = await reader.handle({ credentials: { agent: { webId: BOB }}, requestedModes: modesOn(`${POD}catalog/x`, 'read') });
    assert.deepEqual(result.get({ path: `${POD}catalog/x` }), { read: true });
    const entries = await auditor.read(POD);
    assert.equal(entries.length, 1);
    assert.equal(entries[0].resource, `${POD}catalog/x`);
  });

  it('gives nothing outside the scope, to others, or for modes not granted.', async(): Promise<void> => {
    const reader = new GrantPermissionReader(cacheOf(bobReadsCatalog), pods, auditor, noPeers, HOST);
    const outside = await reader.handle({ credentials: { agent: { webId: BOB }}, requestedModes: modesOn(`${POD}land/x`, 'read') });
    assert.equal(outside.size, 0);
    const other = await reader.handle({ credentials: { agent: { webId: OWNER }}, requestedModes: modesOn(`${POD}catalog/x`, 'read') });
    assert.equal(other.size, 0);
    const write = await reader.handle({ credentials: { agent: { webId: BOB }}, requestedModes: modesOn(`${POD}catalog/x`, 'write') });
    assert.equal(write.get({ path: `${POD}catalog/x` })?.write, undefined);
  });

  function audienceGrant(kind: 'fmp-members' | 'public'): () => Promise<PodGrants> {
    return async(): Promise<PodGrants> => ({
      owners: [ OWNER ],
    grants: [],
      index: new GrantIndex([ createGrant({
        grantor: OWNER, podRoot: POD, grantee: { kind }, scope: [ 'catalog/' ], modes: [ 'read' ],
        purpose: { text: 'test' }, validUntil: new Date(Date.now() + 3_600_000),
      }, { now: new Date() }) ]),
    });
  }

  it('gives anonymous requests nothing from grants to named agents, read from a public grant.', async(): Promise<void> => {
    const named = new GrantPermissionReader(cacheOf(bobReadsCatalog), pods, auditor, noPeers, HOST);
    assert.equal((await named.handle({ credentials: {}, requestedModes: modesOn(`${POD}catalog/x`, 'read') })).size, 0);
    const open = new GrantPermissionReader(cacheOf(audienceGrant('public')), pods, auditor, noPeers, HOST);
    const result = await open.handle({ credentials: {}, requestedModes: modesOn(`${POD}catalog/x`, 'read', 'write') });
    assert.deepEqual(result.get({ path: `${POD}catalog/x` }), { read: true });
    assert.equal((await auditor.read(POD))[0].grantee, 'anonymous');
  });

  it('counts as members only agents of its own issuer, though that issuer is no listed peer.', async(): Promise<void> => {
    const reader = new GrantPermissionReader(cacheOf(audienceGrant('fmp-members')), pods, auditor, noPeers, HOST);
    const read = async(credentials: Credentials): Promise<unknown> =>
      (await reader.handle({ credentials, requestedModes: modesOn(`${POD}catalog/x`, 'read') })).get({ path: `${POD}catalog/x` });
    assert.deepEqual(await read({ agent: { webId: BOB }, issuer: { url: HOST }}), { read: true });
    assert.equal(await read({ agent: { webId: BOB }, issuer: { url: 'https://north.example/' }}), undefined);
    assert.equal(await read({ agent: { webId: BOB }}), undefined);
    assert.equal(await read({}), undefined);
    // The same grant on an FMP that does not know its own issuer: nobody.
    const unknownHost = new GrantPermissionReader(cacheOf(audienceGrant('fmp-members')), pods, auditor, noPeers, '');
    assert.equal((await unknownHost.handle({ credentials: { agent: { webId: BOB }, issuer: { url: HOST }},
      requestedModes: modesOn(`${POD}catalog/x`, 'read') })).size, 0);
  });

  it('denies (gives nothing) when the grants cannot be read: fail closed.', async(): Promise<void> => {
    const reader = new GrantPermissionReader(cacheOf(async(): Promise<PodGrants> => {
      throw new Error('disk on fire');
    }), pods, auditor, noPeers, HOST);
    const result = await reader.handle({ credentials: { agent: { webId: BOB }}, requestedModes: modesOn(`${POD}catalog/x`, 'read') });
    assert.equal(result.size, 0);
  });

  it('ignores the issuer of an agent whose FMP is not a listed peer.', async(): Promise<void> => {
    const peerGrant = async(): Promise<PodGrants> => ({
      owners: [ OWNER ],
    grants: [],
      index: new GrantIndex([ createGrant({
        grantor: OWNER, podRoot: POD, grantee: { kind: 'peer', issuer: 'https://north.example' }, scope: [ 'catalog/' ], modes: [ 'read' ],
        purpose: { text: 'test' }, validUntil: new Date(Date.now() + 3_600_000),
      }, { now: new Date() }) ]),
    });
    const credentials = { agent: { webId: 'https://north.example/svc#me' }, issuer: { url: 'https://north.example/' }};
    const unlisted = new GrantPermissionReader(cacheOf(peerGrant), pods, auditor, noPeers, HOST);
    assert.equal((await unlisted.handle({ credentials, requestedModes: modesOn(`${POD}catalog/x`, 'read') })).size, 0);
    const listed = new GrantPermissionReader(cacheOf(peerGrant), pods, auditor,
      { isListedIssuer: async(): Promise<boolean> => true } as unknown as PeerDirectory, HOST);
    assert.deepEqual((await listed.handle({ credentials, requestedModes: modesOn(`${POD}catalog/x`, 'read') }))
      .get({ path: `${POD}catalog/x` }), { read: true });
  });
});
