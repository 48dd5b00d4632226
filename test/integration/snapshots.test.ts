import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Quad } from '@rdfjs/types';
import type { ArchiveManifest } from '../../pod-server/portability/archiveFormat';
import { LEGACY_PAX_CONTENT_TYPE } from '../../pod-server/portability/archiveFormat';
import { quadsToTurtle } from '../../shapes/access/podIo';
import { productToQuads } from '../../shapes/access/productRdf';
import { generateProducts } from '../../shapes/demo/catalogData';
import { ConsentApi } from '../../src/client/ConsentApi';
import type { RestoreResult, SnapshotJson, SnapshotList } from '../../src/client/SnapshotApi';
import { runFmp } from '../harness/cli';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import { manifestOf, repack, sha256, unpack, withLegacyPaxKeywords } from '../harness/tarArchives';
import type { TestServer } from '../harness/servers';
import { getSharedServer, startTestServer } from '../harness/servers';

const TURTLE = 'text/turtle';

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve): void => {
    setTimeout(resolve, ms);
  });
}

/** The archive with one more document entry (last, so it is written last), listed in the manifest. */
async function withExtraDocument(archive: Buffer, name: string, data: Buffer, contentType: string): Promise<Buffer> {
  const entries = await unpack(archive);
  const manifest = manifestOf(entries);
  manifest.entries.push({ path: name, kind: 'document', contentType, size: data.length, sha256: sha256(data) });
  return repack([ ...entries.filter((entry): boolean => entry.name !== 'manifest.json'), { name, type: 'file', data },
    { name: 'manifest.json', type: 'file', data: Buffer.from(JSON.stringify(manifest)) }]);
}

describe('Snapshots and restore', function(this: Mocha.Suite): void {
  this.timeout(180_000);
  let fmp: TestServer;
  let owner: TestMember;
  let app: TestMember;
  let reader: TestMember;
  let stranger: TestMember;
  let folder: string;
  const photo = randomBytes(50_000);
  const notes: Record<string, string> = {
    a: '<#a> <http://schema.org/text> "first note".\n',
    b: '# written by hand\n<#b> <http://schema.org/text> "second note" .\n',
  };

  function url(path: string): string {
    return new URL(`.fmp/${path}`, fmp.baseUrl).href;
  }

  async function put(fetchFn: typeof fetch, target: string, contentType: string, body: string | Buffer): Promise<void> {
    const response = await fetchFn(target, { method: 'PUT', headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : new Uint8Array(body) });
    assert.ok(response.ok, `PUT ${target}: ${response.status} ${await response.text()}`);
  }

  async function exportOf(member: TestMember): Promise<Buffer> {
    const response = await member.fetch(url(`export/${member.name}`));
    assert.equal(response.status, 200);
    return Buffer.from(await response.arrayBuffer());
  }

  /** Every entry of the pod's export (resources, ACLs, metadata, dump) with its kind, media type, size and SHA-256. */
  async function stateOf(member: TestMember): Promise<ArchiveManifest['entries']> {
    return manifestOf(await unpack(await exportOf(member))).entries;
  }

  async function takeSnapshot(member: TestMember): Promise<SnapshotJson> {
    const response = await member.fetch(url(`snapshots/${member.name}`), { method: 'POST' });
    const text = await response.text();
    assert.equal(response.status, 201, text);
    return JSON.parse(text) as SnapshotJson;
  }

  async function restore(member: TestMember, body: { snapshot: string } | Buffer): Promise<Response> {
    return member.fetch(url(`restore/${member.name}`), Buffer.isBuffer(body) ?
      { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: new Uint8Array(body) } :
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  before(async(): Promise<void> => {
    fmp = await getSharedServer();
    folder = await mkdtemp(join(tmpdir(), 'fmp-snapshots-'));
    [ owner, app, reader, stranger ] = await Promise.all([
      createTestMember(fmp.baseUrl, uniqueName('snapper')),
      createTestMember(fmp.baseUrl, uniqueName('badapp')),
      createTestMember(fmp.baseUrl, uniqueName('reader')),
      createTestMember(fmp.baseUrl, uniqueName('stranger')),
    ]);
    await put(owner.fetch, `${owner.pod}notes/a`, TURTLE, notes.a);
    await put(owner.fetch, `${owner.pod}notes/b`, TURTLE, notes.b);
    await put(owner.fetch, `${owner.pod}files/photo.png`, 'image/png', photo);
    const product = generateProducts(1)[0];
    await put(owner.fetch, `${owner.pod}catalog/item-1`, TURTLE,
      quadsToTurtle(productToQuads(`${owner.pod}catalog/item-1`, product) as Parameters<typeof quadsToTurtle>[0]));
    // The app that will go wrong: write access to notes/ and files/ through its client id.
    await new ConsentApi(fmp.baseUrl, owner.name, owner.fetch).createGrant({
      grantee: { clientId: app.clientId }, scope: [ 'notes/', 'files/' ], modes: [ 'read', 'append', 'write' ],
      purpose: 'note-taking app', duration: '1h',
    });
  });

  after(async(): Promise<void> => {
    await rm(folder, { recursive: true, force: true });
  });

  it('takes a snapshot, and restore undoes what an app with a write grant did since, grants included.', async(): Promise<void> => {
    const before = await stateOf(owner);
    const taken = await takeSnapshot(owner);
    assert.equal(taken.kind, 'manual');
    assert.ok(taken.bytes > photo.length && taken.resources >= 8, JSON.stringify(taken));
    const listed = await (await owner.fetch(url(`snapshots/${owner.name}`))).json() as SnapshotList;
    assert.deepEqual(listed.snapshots.map((s): string => s.id), [ taken.id ]);
    assert.equal(listed.usedBytes, taken.bytes);

    // What a bad app does with its write grant: delete, change, add.
    assert.equal((await app.fetch(`${owner.pod}notes/a`, { method: 'DELETE' })).status, 205);
    await put(app.fetch, `${owner.pod}notes/b`, TURTLE, '<#b> <http://schema.org/text> "vandalised" .');
    await put(app.fetch, `${owner.pod}notes/c`, TURTLE, '<#c> <http://schema.org/text> "spam" .');
    await put(app.fetch, `${owner.pod}files/photo.png`, 'image/png', randomBytes(1000));
    await put(app.fetch, `${owner.pod}files/sub/tracker.bin`, 'application/octet-stream', randomBytes(100));
    const posted = await app.fetch(`${owner.pod}notes/`, { method: 'POST', headers: { 'content-type': TURTLE }, body: '<#x> <#y> <#z>.' });
    assert.equal(posted.status, 201);
    // And a grant the owner gave after the snapshot.
    await new ConsentApi(fmp.baseUrl, owner.name, owner.fetch).createGrant({
      grantee: { webId: reader.webId }, scope: [ 'notes/' ], modes: [ 'read' ], purpose: 'later', duration: '1h',
    });
    assert.equal((await reader.fetch(`${owner.pod}notes/b`)).status, 200, 'the later grant works before the restore');
    // The owner notices and revokes the app's grant; the snapshot has it active.
    const consent = new ConsentApi(fmp.baseUrl, owner.name, owner.fetch);
    const appGrant = (await consent.listGrants()).find((grant): boolean => grant.grantee.clientId === app.clientId)!;
    await consent.revokeGrant(appGrant.id);
    assert.equal((await app.fetch(`${owner.pod}notes/b`)).status, 403, 'the revoked grant stops working');
    assert.notDeepEqual(await stateOf(owner), before);

    const response = await restore(owner, { snapshot: taken.id });
    const text = await response.text();
    assert.equal(response.status, 200, text);
    const result = JSON.parse(text) as RestoreResult;
    assert.equal(result.snapshot, taken.id);
    assert.equal(result.pod, owner.pod);
    // notes/c, the posted note, files/sub/ and its tracker, and the later grant.
    assert.equal(result.removed, 5, text);
    // notes/a, notes/b, files/photo.png, and the app's grant (revoked since).
    assert.equal(result.restored, 4, text);
    assert.equal(result.unchanged, result.resources - result.restored);

    // Identical, entry for entry: bytes, media types, ACLs, metadata (and so the N-Quads dump).
    assert.deepEqual(await stateOf(owner), before);
    const get = async(path: string): Promise<Response> => owner.fetch(`${owner.pod}${path}`);
    assert.equal((await get('notes/c')).status, 404, 'what was added is gone');
    assert.equal((await get('files/sub/')).status, 404);
    assert.equal((await get(new URL(posted.headers.get('location')!).pathname.slice(new URL(owner.pod).pathname.length))).status, 404);
    assert.equal(await (await get('notes/a')).text(), notes.a, 'what was deleted is back');
    assert.equal(await (await get('notes/b')).text(), notes.b, 'what was changed has its old bytes, comments and all');
    const image = await get('files/photo.png');
    assert.equal(image.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await image.arrayBuffer()), photo);
    // Grants as they were then: the later one is gone, the app's is still there.
    assert.equal((await reader.fetch(`${owner.pod}notes/b`)).status, 403, 'a grant made after the snapshot no longer works');
    assert.equal((await app.fetch(`${owner.pod}notes/b`)).status, 200, 'a grant active in the snapshot works again');
    const grants = await new ConsentApi(fmp.baseUrl, owner.name, owner.fetch).listGrants();
    assert.deepEqual(grants.map((grant): string | undefined => grant.grantee.clientId), [ app.clientId ]);

    // Restoring again changes nothing.
    const again = await (await restore(owner, { snapshot: taken.id })).json() as RestoreResult;
    assert.deepEqual([ again.removed, again.restored, again.unchanged ], [ 0, 0, again.resources ]);
  });

  it('restores from an uploaded archive (fmp export) as well, with metadata set since cleared.', async(): Promise<void> => {
    const archive = await exportOf(owner);
    const before = await stateOf(owner);
    await put(app.fetch, `${owner.pod}notes/b`, TURTLE, '<#b> <http://schema.org/text> "again" .');
    await put(owner.fetch, `${owner.pod}notes/d`, TURTLE, '<#d> <#e> <#f>.');
    // Metadata set on a container since: PATCH its description.
    const patched = await owner.fetch(`${owner.pod}notes/.meta`, { method: 'PATCH', headers: { 'content-type': 'text/n3' },
      body: `@prefix solid: <http://www.w3.org/ns/solid/terms#>. _:p a solid:InsertDeletePatch;
        solid:inserts { <${owner.pod}notes/> <http://purl.org/dc/terms/title> "Notes" . }.` });
    assert.ok(patched.ok, `PATCH .meta: ${patched.status} ${await patched.text()}`);
    assert.notDeepEqual(await stateOf(owner), before);
    const response = await restore(owner, archive);
    const text = await response.text();
    assert.equal(response.status, 200, text);
    const result = JSON.parse(text) as RestoreResult;
    assert.equal(result.from, owner.pod);
    assert.equal(result.removed, 1, text);
    assert.deepEqual(await stateOf(owner), before);
  });

  it('restores a snapshot an older FMP stored, with its pax records under the older keywords.', async(): Promise<void> => {
    const before = await stateOf(owner);
    const taken = await takeSnapshot(owner);
    const file = join(fmp.dataFolder, 'fmp', 'snapshots', owner.name, `${taken.id}.tar`);
    const legacy = await repack(withLegacyPaxKeywords(await unpack(await readFile(file))));
    assert.ok((await unpack(legacy)).some((entry): boolean => entry.pax?.[LEGACY_PAX_CONTENT_TYPE] === TURTLE));
    await writeFile(file, legacy);
    await put(owner.fetch, `${owner.pod}notes/a`, TURTLE, '<#a> <http://schema.org/text> "changed".');
    const response = await restore(owner, { snapshot: taken.id });
    const text = await response.text();
    assert.equal(response.status, 200, text);
    assert.equal((JSON.parse(text) as RestoreResult).restored, 1, text);
    assert.deepEqual(await stateOf(owner), before);
  });

  it('restores another pod\'s archive with its IRIs rewritten, as import does.', async(): Promise<void> => {
    const copy = await createTestMember(fmp.baseUrl, uniqueName('copy'));
    await put(copy.fetch, `${copy.pod}notes/own`, TURTLE, '<#o> <#p> <#q>.');
    const response = await restore(copy, await exportOf(owner));
    const text = await response.text();
    assert.equal(response.status, 200, text);
    assert.equal((JSON.parse(text) as RestoreResult).from, owner.pod);
    assert.equal((await copy.fetch(`${copy.pod}notes/own`)).status, 404);
    const note = await (await copy.fetch(`${copy.pod}notes/b`)).text();
    assert.match(note, /"second note"/u);
    const card = await (await fetch(copy.webId)).text();
    assert.ok(card.includes(copy.webId) && !card.includes(owner.pod), card);
    const grants = await new ConsentApi(fmp.baseUrl, copy.name, copy.fetch).listGrants();
    assert.deepEqual(grants.map((grant): string[] => grant.scope), [[ `${copy.pod}notes/`, `${copy.pod}files/` ]]);
  });

  it('freezes the pod while it restores: a write racing the restore is refused with 423 or kept, never acknowledged and lost.',
    async(): Promise<void> => {
      // As a user found it: a snapshot, 300 products added, then a restore while a client writes every 20 ms.
      const member = await createTestMember(fmp.baseUrl, uniqueName('racer'));
      const auth = [ '--server', fmp.baseUrl, '--client-id', member.clientId, '--client-secret', member.clientSecret ];
      const taken = await takeSnapshot(member);
      const seeded = await runFmp([ 'demo', 'products', member.name, '--count', '300', ...auth ]);
      assert.equal(seeded.code, 0, seeded.stderr);

      interface Write { path: string; sentAt: number; status: number; text: string }
      const writes: Write[] = [];
      let restoring = true;
      let afterRestore = 0;
      const writer = (async(): Promise<void> => {
        // Into a container made since the snapshot, which the restore removes.
        for (let i = 0; restoring || afterRestore < 5; i += 1) {
          const path = `racing/w-${i}`;
          const sentAt = Date.now();
          const response = await member.fetch(`${member.pod}${path}`, { method: 'PUT',
            headers: { 'content-type': TURTLE }, body: `<#w> <http://schema.org/position> ${i}.` });
          writes.push({ path, sentAt, status: response.status, text: await response.text() });
          afterRestore += restoring ? 0 : 1;
          await sleep(20);
        }
      })();
      await sleep(200);
      const response = await restore(member, { snapshot: taken.id });
      const text = await response.text();
      restoring = false;
      await writer;
      assert.equal(response.status, 200, text);
      assert.ok((JSON.parse(text) as RestoreResult).removed >= 300, text);

      const refused = writes.filter((write): boolean => write.status === 423);
      assert.ok(refused.length > 0, `no write was refused during the restore: ${writes.map((w): number => w.status).join(',')}`);
      assert.match(refused[0].text, /being restored from a snapshot and is read-only/u);
      assert.deepEqual(writes.filter((write): boolean => ![ 201, 205, 423 ].includes(write.status)), []);
      // Before the freeze, writes are what the restore undoes; from the first refusal on, each acknowledged write stays.
      const frozenFrom = refused[0].sentAt;
      const acknowledgedSince = writes.filter((write): boolean => write.status !== 423 && write.sentAt >= frozenFrom);
      assert.ok(acknowledgedSince.length >= 5, 'the writer went on after the restore');
      for (const write of acknowledgedSince) {
        assert.equal((await member.fetch(`${member.pod}${write.path}`)).status, 200, `${write.path} was acknowledged and lost`);
      }
      const catalog = await (await member.fetch(`${member.pod}catalog/`, { headers: { accept: TURTLE } })).text();
      assert.doesNotMatch(catalog, /ldp:contains|contains>/u, 'the 300 products are gone again');
    });

  describe('refusals leave the pod as it was', (): void => {
    it('a broken archive.', async(): Promise<void> => {
      const archive = await exportOf(owner);
      const before = await stateOf(owner);
      const truncated = await restore(owner, archive.subarray(0, Math.floor(archive.length / 2)));
      assert.equal(truncated.status, 400);
      assert.match((await truncated.json() as { error: string }).error, /truncated|no manifest/u);
      const tampered = await unpack(archive);
      tampered.find((entry): boolean => entry.name === 'resources/notes/a')!.data.write('X');
      const bad = await restore(owner, await repack(tampered));
      assert.equal(bad.status, 400);
      assert.match((await bad.json() as { error: string }).error, /resources\/notes\/a does not match its SHA-256/u);
      assert.deepEqual(await stateOf(owner), before);
    });

    it('an entry the shapes refuse, after other changes were made: they are all undone.', async(): Promise<void> => {
      const archive = await exportOf(owner);
      // The pod moves on; the restore has to remove notes/e and bring notes/a back before it reaches the bad entry.
      assert.equal((await app.fetch(`${owner.pod}notes/a`, { method: 'DELETE' })).status, 205);
      await put(app.fetch, `${owner.pod}notes/e`, TURTLE, '<#e> <#f> <#g>.');
      const before = await stateOf(owner);
      const quads = productToQuads(`${owner.pod}catalog/zz-no-price`, generateProducts(1)[0])
        .filter((quad): boolean => !quad.predicate.value.endsWith('#hasPrice'));
      const broken = await withExtraDocument(archive, 'resources/catalog/zz-no-price',
        Buffer.from(quadsToTurtle(quads as Quad[] as Parameters<typeof quadsToTurtle>[0])), TURTLE);
      const response = await restore(owner, broken);
      const text = await response.text();
      assert.equal(response.status, 422, text);
      assert.match((JSON.parse(text) as { error: string }).error,
        /^Entry resources\/catalog\/zz-no-price breaks the catalog shapes: <[^>]*zz-no-price[^>]*> <[^>]*#hasPrice>: /u);
      assert.deepEqual(await stateOf(owner), before);
      assert.equal((await owner.fetch(`${owner.pod}notes/a`)).status, 404);
      assert.equal((await owner.fetch(`${owner.pod}notes/e`)).status, 200);
    });

    it('bad snapshot ids: 400 for what is not an id (no path traversal), 404 for an unknown one.', async(): Promise<void> => {
      const { id: real } = await takeSnapshot(owner);
      for (const id of [ 'nope', '..%2F..%2Foperator-token', `${real}.json`, `${real}%2F..%2F..` ]) {
        const response = await owner.fetch(url(`snapshots/${owner.name}/${id}`));
        assert.equal(response.status, 400, id);
        assert.match((await response.json() as { error: string }).error, /is not a snapshot id/u);
      }
      const unknown = '2020-01-01T00-00-00-000Z-abcd';
      for (const method of [ 'GET', 'DELETE' ]) {
        const response = await owner.fetch(url(`snapshots/${owner.name}/${unknown}`), { method });
        assert.equal(response.status, 404, method);
        assert.match((await response.json() as { error: string }).error, new RegExp(`has no snapshot ${unknown}`, 'u'));
      }
      assert.equal((await restore(owner, { snapshot: unknown })).status, 404);
      const traversal = await restore(owner, { snapshot: '../../operator-token' });
      assert.equal(traversal.status, 400);
    });

    it('for the owner only: another member gets 403, anonymous 401.', async(): Promise<void> => {
      const { id } = await takeSnapshot(owner);
      const requests: [string, RequestInit][] = [
        [ url(`snapshots/${owner.name}`), { method: 'POST' }],
        [ url(`snapshots/${owner.name}`), {}],
        [ url(`snapshots/${owner.name}/${id}`), {}],
        [ url(`snapshots/${owner.name}/${id}`), { method: 'DELETE' }],
        [ url(`restore/${owner.name}`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ snapshot: id }) }],
      ];
      for (const [ target, init ] of requests) {
        assert.equal((await stranger.fetch(target, init)).status, 403, `${init.method ?? 'GET'} ${target}`);
        assert.equal((await fetch(target, init)).status, 401, `${init.method ?? 'GET'} ${target}`);
      }
      // Still there, and downloadable by its owner as an archive.
      const download = await owner.fetch(url(`snapshots/${owner.name}/${id}`));
      assert.equal(download.status, 200);
      assert.equal(download.headers.get('content-type'), 'application/x-tar');
      assert.equal(manifestOf(await unpack(Buffer.from(await download.arrayBuffer()))).sourcePod, owner.pod);
      const deleted = await owner.fetch(url(`snapshots/${owner.name}/${id}`), { method: 'DELETE' });
      assert.equal(deleted.status, 200);
      assert.equal((await owner.fetch(url(`snapshots/${owner.name}/${id}`))).status, 404);
    });
  });

  it('fmp snapshot, snapshot list, restore and snapshot delete work end to end, with one-line errors.', async(): Promise<void> => {
    const member = await createTestMember(fmp.baseUrl, uniqueName('clisnap'));
    const auth = [ '--server', fmp.baseUrl, '--client-id', member.clientId, '--client-secret', member.clientSecret ];
    await put(member.fetch, `${member.pod}notes/keep`, TURTLE, '<#k> <#l> <#m>.');
    const taken = await runFmp([ 'snapshot', member.name, '--json', ...auth ]);
    assert.equal(taken.code, 0, taken.stderr);
    assert.match(taken.stderr, /taking a snapshot of/u);
    const snapshot = JSON.parse(taken.stdout) as SnapshotJson;
    assert.equal(snapshot.kind, 'manual');
    const listed = await runFmp([ 'snapshot', 'list', member.name, ...auth ]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^${snapshot.id}\\s+\\S+\\s+manual\\s`, 'mu'));
    assert.match(listed.stdout, /use [\d.]+ MB of 1000\.0 MB\./u);

    await put(member.fetch, `${member.pod}notes/added`, TURTLE, '<#a> <#b> <#c>.');
    const restored = await runFmp([ 'restore', member.name, ...auth ]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, new RegExp(`^Restored ${member.pod} as of \\S+ \\(snapshot ${snapshot.id}\\): 1 removed, 0 restored, \\d+ unchanged`, 'u'));
    assert.equal((await member.fetch(`${member.pod}notes/added`)).status, 404);

    // From a file, as fmp export saved it.
    const file = join(folder, 'cli.tar');
    await writeFile(file, await exportOf(member));
    await put(member.fetch, `${member.pod}notes/keep`, TURTLE, '<#changed> <#l> <#m>.');
    const fromFile = await runFmp([ 'restore', member.name, file, '--json', ...auth ]);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.equal((JSON.parse(fromFile.stdout) as RestoreResult).restored, 1);
    assert.equal(await (await member.fetch(`${member.pod}notes/keep`)).text(), '<#k> <#l> <#m>.');

    const unknown = await runFmp([ 'restore', member.name, '2020-01-01T00-00-00-000Z-abcd', ...auth ]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^fmp: the restore was refused \(404\): \S+ has no snapshot 2020-01-01T00-00-00-000Z-abcd [^\n]*\n$/mu);
    assert.equal(unknown.stderr.split('\n').filter((line): boolean => line.startsWith('fmp:')).length, 1);
    const deleted = await runFmp([ 'snapshot', 'delete', member.name, snapshot.id, ...auth ]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, new RegExp(`^Deleted snapshot ${snapshot.id}; snapshots now use 0\\.0 MB\\.`, 'u'));
    const none = await runFmp([ 'restore', member.name, ...auth ]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^fmp: \S+ has no snapshots to restore \(take one with fmp snapshot \S+\)\n$/u);
  });
});

describe('Scheduled snapshots and the snapshot quota', function(this: Mocha.Suite): void {
  this.timeout(120_000);
  const QUOTA = 300_000;
  let fmp: TestServer;
  let busy: TestMember;
  let idle: TestMember;
  let big: TestMember;

  async function listOf(member: TestMember): Promise<SnapshotList> {
    const response = await member.fetch(new URL(`.fmp/snapshots/${member.name}`, fmp.baseUrl));
    assert.equal(response.status, 200);
    return await response.json() as SnapshotList;
  }

  before(async(): Promise<void> => {
    fmp = await startTestServer(undefined, undefined, { snapshotInterval: '2s', snapshotsKept: 2, snapshotQuotaBytes: QUOTA });
    [ busy, idle, big ] = await Promise.all([ 'busy', 'idle', 'big' ].map(async(name): Promise<TestMember> =>
      createTestMember(fmp.baseUrl, uniqueName(name))));
    const response = await big.fetch(`${big.pod}files/huge.bin`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array(randomBytes(QUOTA + 10_000)) });
    assert.ok(response.ok);
  });

  after(async(): Promise<void> => {
    await fmp?.destroy();
  });

  it('a manual snapshot over the quota is refused with 507 and leaves nothing behind.', async(): Promise<void> => {
    const response = await big.fetch(new URL(`.fmp/snapshots/${big.name}`, fmp.baseUrl), { method: 'POST' });
    const text = await response.text();
    assert.equal(response.status, 507, text);
    assert.match((JSON.parse(text) as { error: string }).error,
      /would bring \S+ snapshots to [\d.]+ MB, and this FMP allows 0\.3 MB per member \(0\.0 MB used\)\. Delete a snapshot with fmp snapshot delete /u);
    assert.deepEqual((await listOf(big)).snapshots, []);
    const state = join(fmp.dataFolder, 'fmp');
    assert.deepEqual(await readdir(join(state, 'snapshot-staging')).catch((): string[] => []), [], 'no half-written archive');
  });

  it('takes one every interval, keeps the newest, skips pods that did not change, and goes on past a failing member.',
    async(): Promise<void> => {
      const seen = new Set<string>();
      let idleIds: string[] = [];
      // Seven seconds of changes: three rounds or more.
      for (let second = 0; second < 7; second += 1) {
        if (second === 3) {
          idleIds = (await listOf(idle)).snapshots.map((s): string => s.id);
        }
        const response = await busy.fetch(`${busy.pod}notes/tick`, { method: 'PUT', headers: { 'content-type': TURTLE },
          body: `<#tick> <http://schema.org/position> ${second} .` });
        assert.ok(response.ok);
        for (const snapshot of (await listOf(busy)).snapshots) {
          seen.add(snapshot.id);
        }
        await sleep(1000);
      }
      await sleep(2500);
      const kept = await listOf(busy);
      for (const snapshot of kept.snapshots) {
        seen.add(snapshot.id);
      }
      assert.ok(seen.size >= 3, `at least three rounds took a snapshot: ${[ ...seen ].join(', ')}`);
      assert.equal(kept.snapshots.length, 2, 'only the newest two are kept');
      assert.deepEqual(kept.snapshots.map((s): string => s.id), [ ...seen ].sort().slice(-2));
      assert.ok(kept.snapshots.every((s): boolean => s.kind === 'scheduled'));
      assert.ok(kept.usedBytes <= QUOTA);
      // A pod nobody touched: snapshotted in the first rounds, then no more, however many rounds pass.
      assert.ok(idleIds.length > 0);
      assert.deepEqual((await listOf(idle)).snapshots.map((s): string => s.id), idleIds);
      // The pod too large for the quota gets none, and did not stop the others.
      assert.deepEqual((await listOf(big)).snapshots, []);
    });
});
