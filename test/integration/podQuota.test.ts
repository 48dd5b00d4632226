import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArchiveManifest } from '../../pod-server/portability/archiveFormat';
import { formatBytes } from '../../pod-server/storage/quota/formatBytes';
import type { SnapshotJson } from '../../src/client/SnapshotApi';
import { runFmp } from '../harness/cli';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import type { TestServer } from '../harness/servers';
import { startTestServer } from '../harness/servers';
import { manifestOf, repack, sha256, unpack } from '../harness/tarArchives';

/** The quota of the test server: small, so a few writes reach it. */
const QUOTA = 300_000;
const BINARY = 'application/octet-stream';

/** Bytes of every file in the member's pod folder: what the quota counts (documents, ACLs, metadata). */
async function podBytesOnDisk(server: TestServer, member: TestMember): Promise<number> {
  const folder = join(server.dataFolder, 'pods', member.name);
  let total = 0;
  for (const entry of (await readdir(folder, { recursive: true, withFileTypes: true })).filter((found): boolean => found.isFile())) {
    total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** A regular expression matching `text` literally. */
function literally(text: string): string {
  return text.replaceAll(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

/** Every resource entry of the pod's export with its size and SHA-256: the pod as a user can check it. */
async function stateOf(server: TestServer, member: TestMember): Promise<string[]> {
  const archive = await exportOf(server, member);
  return manifestOf(await unpack(archive)).entries.filter((entry): boolean => entry.kind !== 'dump')
    .map((entry): string => `${entry.path} ${entry.size} ${entry.sha256}`).sort();
}

async function exportOf(server: TestServer, member: TestMember): Promise<Buffer> {
  const response = await member.fetch(new URL(`.fmp/export/${member.name}`, server.baseUrl));
  assert.equal(response.status, 200);
  return Buffer.from(await response.arrayBuffer());
}

/** The archive with one more document (last), listed in the manifest. */
async function withExtraDocument(archive: Buffer, name: string, data: Buffer): Promise<Buffer> {
  const entries = await unpack(archive);
  const manifest: ArchiveManifest = manifestOf(entries);
  manifest.entries.push({ path: name, kind: 'document', contentType: BINARY, size: data.length, sha256: sha256(data) });
  manifest.resourceCount += 1;
  return repack([ ...entries.filter((entry): boolean => entry.name !== 'manifest.json'), { name, type: 'file', data },
    { name: 'manifest.json', type: 'file', data: Buffer.from(JSON.stringify(manifest)) }]);
}

async function put(member: TestMember, path: string, body: Buffer): Promise<Response> {
  return member.fetch(`${member.pod}${path}`, { method: 'PUT', headers: { 'content-type': BINARY }, body: new Uint8Array(body) });
}

/** A PUT whose body is streamed without a Content-Length (chunked), so its size is only known as it arrives. */
async function putStreamed(member: TestMember, path: string, body: Buffer): Promise<Response> {
  const stream = new ReadableStream<Uint8Array>({
    start(controller): void {
      for (let offset = 0; offset < body.length; offset += 16_384) {
        controller.enqueue(new Uint8Array(body.subarray(offset, offset + 16_384)));
      }
      controller.close();
    },
  });
  return member.fetch(`${member.pod}${path}`, { method: 'PUT', headers: { 'content-type': BINARY }, body: stream,
    duplex: 'half' } as RequestInit);
}

describe('The pod quota', function(this: Mocha.Suite): void {
  this.timeout(240_000);
  let fmp: TestServer;
  let unlimited: TestServer;
  let folder: string;

  before(async(): Promise<void> => {
    [ fmp, unlimited ] = await Promise.all([
      startTestServer(undefined, undefined, { podQuotaBytes: QUOTA }),
      startTestServer(undefined, undefined, { podQuotaBytes: 0 }),
    ]);
    folder = await mkdtemp(join(tmpdir(), 'fmp-quota-'));
  });

  after(async(): Promise<void> => {
    await Promise.all([ fmp?.destroy(), unlimited?.destroy() ]);
    await rm(folder, { recursive: true, force: true });
  });

  it('accepts writes within the quota and refuses one past it with 413, saying how much is used and allowed.',
    async(): Promise<void> => {
      const member = await createTestMember(fmp.baseUrl, uniqueName('quota'));
      assert.equal((await put(member, 'files/photo', randomBytes(200_000))).status, 201);
      const used = await podBytesOnDisk(fmp, member);

      const refused = await put(member, 'files/video', randomBytes(150_000));
      assert.equal(refused.status, 413);
      assert.match(await refused.text(), new RegExp(literally(`This pod uses ${formatBytes(used)} of its 300 kB quota; ` +
        `this write needs ${formatBytes(150_000 - (QUOTA - used), 'up')} more than is left.`), 'u'));
      assert.equal((await member.fetch(`${member.pod}files/video`)).status, 404);

      // Sent without a Content-Length, it is counted as it arrives and refused all the same.
      const streamed = await putStreamed(member, 'files/video', randomBytes(150_000));
      assert.equal(streamed.status, 413);
      assert.match(await streamed.text(), new RegExp(literally(`This pod uses ${formatBytes(used)} of its 300 kB quota; ` +
        `this write needs ${formatBytes(150_000 - (QUOTA - used), 'up')} more than is left.`), 'u'));
      assert.equal((await member.fetch(`${member.pod}files/video`)).status, 404);
      assert.equal(await podBytesOnDisk(fmp, member), used, 'a refused write leaves nothing');

      // Within the quota, either way; replacing a document counts the old bytes as free.
      assert.equal((await put(member, 'files/small', randomBytes(50_000))).status, 201);
      assert.equal((await putStreamed(member, 'files/small', randomBytes(60_000))).status, 205);
      assert.equal((await put(member, 'files/photo', randomBytes(200_000 + QUOTA - used - 60_000 - 2_000))).status, 205);
      // Deleting makes room.
      assert.equal((await put(member, 'files/video', randomBytes(150_000))).status, 413);
      assert.equal((await member.fetch(`${member.pod}files/photo`, { method: 'DELETE' })).status, 205);
      assert.equal((await put(member, 'files/video', randomBytes(150_000))).status, 201);
      // What the server counts is what the pod's files take.
      const now = await podBytesOnDisk(fmp, member);
      const full = await put(member, 'files/more', randomBytes(QUOTA));
      assert.equal(full.status, 413);
      assert.match(await full.text(), new RegExp(literally(`This pod uses ${formatBytes(now)} of its 300 kB quota;`), 'u'));
    });

  it('refuses an import that would not fit before writing anything, also through fmp import, in one line.', async(): Promise<void> => {
    const source = await createTestMember(fmp.baseUrl, uniqueName('qsource'));
    const target = await createTestMember(fmp.baseUrl, uniqueName('qtarget'));
    const big = await withExtraDocument(await exportOf(fmp, source), 'resources/archive.bin', randomBytes(QUOTA));
    const before = await stateOf(fmp, target);
    const usedBefore = await podBytesOnDisk(fmp, target);
    const archiveBytes = manifestOf(await unpack(big)).entries.filter((entry): boolean => entry.path.startsWith('resources/'))
      .reduce((sum, entry): number => sum + entry.size, 0);
    const expected = `Once imported, this pod would use ${formatBytes(archiveBytes)} of its 300 kB quota ` +
      `(it uses ${formatBytes(usedBefore)} now); nothing was imported.`;

    const response = await target.fetch(new URL(`.fmp/import/${target.name}`, fmp.baseUrl),
      { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: new Uint8Array(big) });
    assert.equal(response.status, 413);
    assert.deepEqual(await response.json(), { error: expected });
    assert.deepEqual(await stateOf(fmp, target), before);
    assert.equal(await podBytesOnDisk(fmp, target), usedBefore);

    const file = join(folder, 'big.tar');
    await writeFile(file, big);
    const auth = [ '--server', fmp.baseUrl, '--client-id', target.clientId, '--client-secret', target.clientSecret ];
    const cli = await runFmp([ 'import', target.name, file, ...auth ]);
    assert.equal(cli.code, 1);
    assert.equal(cli.stderr.split('\n').filter((line): boolean => line.startsWith('fmp:')).length, 1, cli.stderr);
    assert.match(cli.stderr, new RegExp(`^${literally(`fmp: the import was refused (413): ${expected}`)}$`, 'mu'));
    assert.deepEqual(await stateOf(fmp, target), before);

    // An archive that fits imports, and counts: the pod's files are what the quota sees afterwards.
    const fits = await withExtraDocument(await exportOf(fmp, source), 'resources/archive.bin', randomBytes(100_000));
    const imported = await target.fetch(new URL(`.fmp/import/${target.name}`, fmp.baseUrl),
      { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: new Uint8Array(fits) });
    assert.equal(imported.status, 200, await imported.clone().text());
    const used = await podBytesOnDisk(fmp, target);
    const over = await put(target, 'files/over', randomBytes(QUOTA - used + 1));
    assert.equal(over.status, 413);
    assert.match(await over.text(), new RegExp(literally(`This pod uses ${formatBytes(used)} of its 300 kB quota; ` +
      'this write needs 1 byte more than is left.'), 'u'));
  });

  it('refuses a restore that would not fit before writing anything, and lets one that fits pass through fuller states.',
    async(): Promise<void> => {
      const member = await createTestMember(fmp.baseUrl, uniqueName('qrestore'));
      const auth = [ '--server', fmp.baseUrl, '--client-id', member.clientId, '--client-secret', member.clientSecret ];
      assert.equal((await put(member, 'files/one', randomBytes(200_000))).status, 201);
      assert.equal((await put(member, 'files/two', randomBytes(50_000))).status, 201);
      const taken = await member.fetch(new URL(`.fmp/snapshots/${member.name}`, fmp.baseUrl), { method: 'POST' });
      assert.equal(taken.status, 201);
      const snapshot = await taken.json() as SnapshotJson;
      const atSnapshot = await stateOf(fmp, member);
      // The order in which a restore of the snapshot writes the two documents: its archive's.
      const download = await member.fetch(new URL(`.fmp/snapshots/${member.name}/${snapshot.id}`, fmp.baseUrl));
      const [ first, second ] = manifestOf(await unpack(Buffer.from(await download.arrayBuffer()))).entries
        .map((entry): string => entry.path.slice('resources/'.length))
        .filter((path): boolean => [ 'files/one', 'files/two' ].includes(path));
      const snapshotSize = (path: string): number => path === 'files/one' ? 200_000 : 50_000;

      // Too large: an upload holding more than the quota, refused up front; the pod is untouched.
      const usedNow = await podBytesOnDisk(fmp, member);
      const file = join(folder, 'restore.tar');
      await writeFile(file, await withExtraDocument(await exportOf(fmp, member), 'resources/files/three', randomBytes(100_000)));
      const cli = await runFmp([ 'restore', member.name, file, ...auth ]);
      assert.equal(cli.code, 1);
      assert.equal(cli.stderr.split('\n').filter((line): boolean => line.startsWith('fmp:')).length, 1, cli.stderr);
      assert.match(cli.stderr, new RegExp(`^fmp: the restore was refused \\(413\\): Once restored, this pod would use ` +
        `\\S+ kB of its 300 kB quota \\(it uses ${literally(formatBytes(usedNow))} now\\); nothing was restored, the pod is as it was\\.$`,
      'mu'));
      assert.deepEqual(await stateOf(fmp, member), atSnapshot);

      // Now `first` small and `second` large: the restore writes `first` back before `second` shrinks, so on the way
      // the pod holds more than its quota. It was checked up front, so that passes.
      const seeded = usedNow - 250_000;
      const large = QUOTA - seeded - 30_000;
      assert.ok(large > snapshotSize(second) && snapshotSize(first) + large + seeded > QUOTA);
      assert.equal((await put(member, first, randomBytes(10_000))).status, 205);
      assert.equal((await put(member, second, randomBytes(large))).status, 205);
      const restored = await runFmp([ 'restore', member.name, snapshot.id, ...auth ]);
      assert.equal(restored.code, 0, restored.stderr);
      assert.deepEqual(await stateOf(fmp, member), atSnapshot);
      // And the pod's size is counted right afterwards.
      const used = await podBytesOnDisk(fmp, member);
      const over = await put(member, 'files/over', randomBytes(QUOTA - used + 10));
      assert.equal(over.status, 413);
      assert.match(await over.text(), new RegExp(literally(`This pod uses ${formatBytes(used)} of its 300 kB quota;`), 'u'));
    });

  it('with --pod-quota 0 there is none: large writes and imports are taken.', async(): Promise<void> => {
    const member = await createTestMember(unlimited.baseUrl, uniqueName('free'));
    assert.equal((await put(member, 'files/large', randomBytes(2 * QUOTA))).status, 201);
    assert.equal((await putStreamed(member, 'files/streamed', randomBytes(2 * QUOTA))).status, 201);
    const target = await createTestMember(unlimited.baseUrl, uniqueName('freeimport'));
    const archive = await withExtraDocument(await exportOf(unlimited, member), 'resources/archive.bin', randomBytes(2 * QUOTA));
    const imported = await target.fetch(new URL(`.fmp/import/${target.name}`, unlimited.baseUrl),
      { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: new Uint8Array(archive) });
    assert.equal(imported.status, 200, await imported.clone().text());
    assert.ok(await podBytesOnDisk(unlimited, target) > 5 * QUOTA);
  });
});
