import { strict as assert } from 'node:assert';
import { statfs } from 'node:fs/promises';
import type { DiskSpace } from '../../pod-server/operator/DataFolderSpace';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import type { TestServer } from '../harness/servers';
import { getSharedServer } from '../harness/servers';

const SEEDED_CONTAINERS = [ '', 'profile/', 'catalog/', 'land/', 'logs/', 'orders/', 'consent/', 'inbox/', 'settings/' ];
const TURTLE = { 'content-type': 'text/turtle' };

describe('The FMP pod server', (): void => {
  let server: TestServer;
  let owner: TestMember;
  let stranger: TestMember;

  before(async(): Promise<void> => {
    server = await getSharedServer();
    owner = await createTestMember(server.baseUrl, uniqueName('greenacres'));
    stranger = await createTestMember(server.baseUrl, uniqueName('stranger'));
  });

  it('answers /.fmp/health with version, uptime, member count and the data disk\'s free space.', async(): Promise<void> => {
    const before = await statfs(server.dataFolder);
    const response = await fetch(new URL('.fmp/health', server.baseUrl));
    const after = await statfs(server.dataFolder);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/u);
    const health = await response.json() as { status: string; version: string; uptime: number; members: number; disk: DiskSpace };
    assert.equal(health.version, '0.1.0');
    assert.equal(typeof health.uptime, 'number');
    assert.ok(health.members >= 2, `expected at least the 2 members of this suite, got ${health.members}`);
    // What statfs says of the data folder's disk (others write to it meanwhile: between the readings around the request).
    const { disk } = health;
    assert.equal(disk.totalBytes, before.blocks * before.bsize);
    const [ least, most ] = [ before, after ].map((stats): number => stats.bavail * stats.bsize).sort((a, b): number => a - b);
    const slack = 64_000_000;
    assert.ok(disk.freeBytes >= least - slack && disk.freeBytes <= most + slack, `${disk.freeBytes} free, statfs: ${least}–${most}`);
    // The default threshold is 5% of the disk.
    assert.equal(disk.lowBelowBytes, Math.floor(disk.totalBytes * 5 / 100));
    assert.equal(disk.low, disk.freeBytes < disk.lowBelowBytes);
    assert.equal(health.status, disk.low ? 'disk-low' : 'ok');
  });

  it('answers 404 for an unknown /.fmp/ route and leaves other paths to Solid.', async(): Promise<void> => {
    assert.equal((await fetch(new URL('.fmp/no-such-route', server.baseUrl))).status, 404);
    assert.equal((await fetch(new URL('.well-known/openid-configuration', server.baseUrl))).status, 200);
  });

  it('gives each member a pod with a WebID profile linking storage, issuer, inbox and type indexes.', async(): Promise<void> => {
    assert.equal(owner.pod, new URL(`${owner.name}/`, server.baseUrl).href);
    assert.equal(owner.webId, `${owner.pod}profile/card#me`);
    const response = await fetch(owner.webId);
    assert.equal(response.status, 200, 'the WebID profile is public');
    const profile = await response.text();
    for (const link of [
      `pim:storage <${owner.pod}>`,
      `solid:oidcIssuer <${server.baseUrl}>`,
      `ldp:inbox <${owner.pod}inbox/>`,
      `solid:publicTypeIndex <${owner.pod}settings/publicTypeIndex>`,
      `solid:privateTypeIndex <${owner.pod}settings/privateTypeIndex>`,
    ]) {
      const [ predicate, object ] = link.split(' ');
      assert.ok(profile.includes(object), `profile lacks ${predicate} ${object}:\n${profile}`);
    }
  });

  it('registers which class lives where in the type indexes.', async(): Promise<void> => {
    const publicIndex = await (await fetch(`${owner.pod}settings/publicTypeIndex`)).text();
    assert.match(publicIndex, /CatalogItem/u);
    assert.ok(publicIndex.includes(`${owner.pod}catalog/`));
    assert.equal((await fetch(`${owner.pod}settings/privateTypeIndex`)).status, 401, 'the private index is not public');
    const privateIndex = await (await owner.fetch(`${owner.pod}settings/privateTypeIndex`)).text();
    for (const container of [ 'land/', 'logs/', 'orders/', 'consent/', 'profile/' ]) {
      assert.ok(privateIndex.includes(`${owner.pod}${container}`), `private index lacks ${container}`);
    }
  });

  describe('keeps every seeded container private to its owner', (): void => {
    for (const container of SEEDED_CONTAINERS) {
      const label = container || 'the pod root';
      it(`${label}: anonymous gets 401, another member 403, the owner 200.`, async(): Promise<void> => {
        const url = `${owner.pod}${container}`;
        assert.equal((await fetch(url)).status, 401);
        assert.equal((await stranger.fetch(url)).status, 403);
        assert.equal((await owner.fetch(url)).status, 200);
      });
    }

    it('nobody but the owner may read, write or change the ACL of a container.', async(): Promise<void> => {
      const acl = `${owner.pod}.acl`;
      assert.equal((await stranger.fetch(acl)).status, 403);
      const put = await stranger.fetch(acl, { method: 'PUT', headers: TURTLE, body: '<#x> a <#y>.' });
      assert.equal(put.status, 403);
      assert.equal((await owner.fetch(acl)).status, 200);
    });
  });

  it('lets the owner write and read catalog/, and refuses another member and anonymous.', async(): Promise<void> => {
    const url = `${owner.pod}catalog/carrots`;
    const body = '<#carrots> <http://schema.org/name> "Carrots".';
    assert.equal((await owner.fetch(url, { method: 'PUT', headers: TURTLE, body })).status, 201);
    const read = await owner.fetch(url, { headers: { accept: 'text/turtle' } });
    assert.equal(read.status, 200);
    assert.match(await read.text(), /Carrots/u);
    assert.equal((await stranger.fetch(url)).status, 403);
    assert.equal((await stranger.fetch(url, { method: 'PUT', headers: TURTLE, body: '<#a> <#b> <#c>.' })).status, 403);
    assert.equal((await stranger.fetch(`${owner.pod}catalog/`, { method: 'POST', headers: TURTLE, body })).status, 403);
    assert.equal((await fetch(url)).status, 401);
    assert.equal((await fetch(url, { method: 'DELETE' })).status, 401);
    assert.equal((await owner.fetch(url)).status, 200, 'the attempts changed nothing');
  });

  describe('inbox/', (): void => {
    it('lets any logged-in agent post a message, which only the owner can read.', async(): Promise<void> => {
      const post = await stranger.fetch(`${owner.pod}inbox/`, {
        method: 'POST',
        headers: TURTLE,
        body: '<> a <https://www.w3.org/ns/activitystreams#Offer>.',
      });
      assert.equal(post.status, 201);
      const message = post.headers.get('location')!;
      assert.ok(message.startsWith(`${owner.pod}inbox/`));
      assert.equal((await stranger.fetch(message)).status, 403, 'the sender cannot read it back');
      assert.equal((await stranger.fetch(`${owner.pod}inbox/`)).status, 403, 'the sender cannot list the inbox');
      assert.equal((await owner.fetch(message)).status, 200);
    });

    it('refuses anonymous posts and every other write by others.', async(): Promise<void> => {
      const inbox = `${owner.pod}inbox/`;
      assert.equal((await fetch(inbox, { method: 'POST', headers: TURTLE, body: '<> a <#x>.' })).status, 401);
      const own = await owner.fetch(inbox, { method: 'POST', headers: TURTLE, body: '<> a <#mine>.' });
      const message = own.headers.get('location')!;
      assert.equal((await stranger.fetch(message, { method: 'PUT', headers: TURTLE, body: '<> a <#x>.' })).status, 403);
      assert.equal((await stranger.fetch(message, {
        method: 'PATCH',
        headers: { 'content-type': 'text/n3' },
        body: '@prefix solid: <http://www.w3.org/ns/solid/terms#>. _:p a solid:InsertDeletePatch; solid:inserts { <#a> <#b> <#c>. }.',
      })).status, 403);
      assert.equal((await stranger.fetch(message, { method: 'DELETE' })).status, 403);
      assert.equal((await stranger.fetch(`${inbox}chosen-name`, { method: 'PUT', headers: TURTLE, body: '<> a <#x>.' })).status, 403);
      assert.equal((await owner.fetch(message)).status, 200);
    });
  });
});
