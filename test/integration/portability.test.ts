import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Quad, Term } from '@rdfjs/types';
import { DataFactory, Parser } from 'n3';
import { isomorphic } from 'rdf-isomorphic';
import type { ArchiveManifest } from '../../pod-server/portability/archiveFormat';
import { LEGACY_PAX_CONTENT_TYPE, PAX_CONTENT_TYPE, PAX_SOURCE_POD } from '../../pod-server/portability/archiveFormat';
import { productToQuads } from '../../shapes/access/productRdf';
import { quadsToTurtle } from '../../shapes/access/podIo';
import { generateProducts } from '../../shapes/demo/catalogData';
import { generateDemoFarm } from '../../shapes/demo/generateDemoFarm';
import { ConsentApi } from '../../src/client/ConsentApi';
import { runPool } from '../bench/benchUtil';
import { runFmp } from '../harness/cli';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import type { TarEntry } from '../harness/tarArchives';
import { manifestOf, repack, sha256, unpack, withLegacyPaxKeywords } from '../harness/tarArchives';
import type { TestServer } from '../harness/servers';
import { getSharedServer, startTestServer } from '../harness/servers';

const TURTLE = 'text/turtle';
const RDF_TYPES = new Set([ TURTLE, 'application/ld+json', 'application/n-triples', 'application/n-quads' ]);

/** The archive with `change` applied to its entries and the manifest listing them (size and SHA-256 recomputed). */
async function withEntries(archive: Buffer, change: (entries: TarEntry[]) => TarEntry[], fixManifest = true): Promise<Buffer> {
  const entries = change((await unpack(archive)).filter((entry): boolean => entry.name !== 'manifest.json'));
  const manifest = manifestOf(await unpack(archive));
  if (fixManifest) {
    manifest.entries = entries.map((entry): ArchiveManifest['entries'][number] => {
      const old = manifest.entries.find((listed): boolean => listed.path === entry.name);
      return { ...old ?? { kind: 'document', contentType: TURTLE }, path: entry.name, size: entry.data.length, sha256: sha256(entry.data) } as
        ArchiveManifest['entries'][number];
    });
  }
  return repack([ ...entries, { name: 'manifest.json', type: 'file', data: Buffer.from(JSON.stringify(manifest)) }]);
}

/** A tar header claiming a `size`-byte file, followed by a little data: enough to be refused on the header. */
function oversizedHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  header.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const byte of header) {
    sum += byte;
  }
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([ header, Buffer.alloc(4096) ]);
}

/** Runs the system's `tar` with `args`: its exit code and what it printed. */
async function runTar(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve): void => {
    execFile('tar', args, { maxBuffer: 16_000_000 }, (error, stdout, stderr): void => {
      resolve({ code: error ? typeof error.code === 'number' ? error.code : 1 : 0, stdout, stderr });
    });
  });
}

/** Rewrites IRIs of the old home to the new one, as the README says import does. */
function moveTerm(term: Term, from: TestMember, to: TestMember, fromServer: string, toServer: string): Term {
  if (term.termType !== 'NamedNode') {
    return term;
  }
  const iri = term.value;
  if (iri === from.webId) {
    return DataFactory.namedNode(to.webId);
  }
  if (iri === fromServer) {
    return DataFactory.namedNode(toServer);
  }
  for (const [ old, now ] of [ [ from.pod, to.pod ], [ `${fromServer}.fmp/`, `${toServer}.fmp/` ] ]) {
    if (iri.startsWith(old)) {
      return DataFactory.namedNode(`${now}${iri.slice(old.length)}`);
    }
  }
  return term;
}

/** Every container and document of a pod, read over HTTP by its owner, with a hash of each body. */
async function listPod(member: TestMember): Promise<Record<string, string>> {
  const listing: Record<string, string> = {};
  const pending = [ member.pod ];
  while (pending.length > 0) {
    const url = pending.pop()!;
    const response = await member.fetch(url, { headers: { accept: TURTLE }});
    const body = Buffer.from(await response.arrayBuffer());
    if (url.endsWith('/')) {
      const quads = new Parser({ baseIRI: url }).parse(body.toString());
      const children = quads.filter((quad): boolean => quad.predicate.value === 'http://www.w3.org/ns/ldp#contains')
        .map((quad): string => quad.object.value);
      pending.push(...children);
      listing[url] = children.sort().join(' ');
    } else {
      listing[url] = sha256(body);
    }
  }
  return listing;
}

describe('Export and import of a whole pod across two FMPs', function(this: Mocha.Suite): void {
  this.timeout(180_000);
  let fmpA: TestServer;
  let fmpB: TestServer;
  let source: TestMember;
  let other: TestMember;
  let archive: Buffer;
  let countHeader: string | null;
  let folder: string;
  const binary = randomBytes(70_000);

  async function importInto(member: TestMember, body: Buffer): Promise<Response> {
    return member.fetch(new URL(`.fmp/import/${member.name}`, fmpB.baseUrl), {
      method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: new Uint8Array(body),
    });
  }

  before(async(): Promise<void> => {
    fmpA = await getSharedServer();
    fmpB = await startTestServer();
    folder = await mkdtemp(join(tmpdir(), 'fmp-portability-'));
    [ source, other ] = await Promise.all([
      createTestMember(fmpA.baseUrl, uniqueName('mover')),
      createTestMember(fmpA.baseUrl, uniqueName('friend')),
    ]);
    // One write at a time: parallel PUTs into one container race on its metadata in CSS 7.2 (its .meta can be lost).
    await runPool(generateDemoFarm(source.pod), 1, async({ path, turtle }): Promise<void> => {
      const response = await source.fetch(`${source.pod}${path}`, { method: 'PUT', headers: { 'content-type': TURTLE }, body: turtle });
      assert.ok(response.ok, `PUT ${path}: ${response.status} ${await response.text()}`);
    });
    const put = async(path: string, contentType: string, body: string | Buffer): Promise<void> => {
      const response = await source.fetch(`${source.pod}${path}`, { method: 'PUT', headers: { 'content-type': contentType },
        body: typeof body === 'string' ? body : new Uint8Array(body) });
      assert.ok(response.ok, `PUT ${path}: ${response.status} ${await response.text()}`);
    };
    await put('files/photo.png', 'image/png', binary);
    await put('files/empty.bin', 'application/octet-stream', Buffer.alloc(0));
    await put('catalog/.acl', TURTLE, `@prefix acl: <http://www.w3.org/ns/auth/acl#>.
      <#owner> a acl:Authorization; acl:agent <${source.webId}>; acl:accessTo <./>; acl:default <./>; acl:mode acl:Read, acl:Write, acl:Control.
      <#friend> a acl:Authorization; acl:agent <${other.webId}>; acl:accessTo <./>; acl:mode acl:Read.`);
    await new ConsentApi(fmpA.baseUrl, source.name, source.fetch).createGrant({
      grantee: { webId: other.webId }, scope: [ 'catalog/' ], modes: [ 'read' ], purpose: 'portability test', duration: '1h',
    });
    const response = await source.fetch(new URL(`.fmp/export/${source.name}`, fmpA.baseUrl));
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(response.headers.get('content-type'), 'application/x-tar');
    countHeader = response.headers.get('x-fmp-resource-count');
    archive = Buffer.from(await response.arrayBuffer());
  });

  after(async(): Promise<void> => {
    await fmpB?.destroy();
    await rm(folder, { recursive: true, force: true });
  });

  it('exports every resource with its ACL and metadata, an N-Quads dump and a manifest that checks out.', async(): Promise<void> => {
    const entries = await unpack(archive);
    const manifest = manifestOf(entries);
    assert.equal(entries[entries.length - 1].name, 'manifest.json', 'the manifest comes last');
    assert.equal(manifest.sourcePod, source.pod);
    assert.equal(manifest.sourceWebId, source.webId);
    assert.equal(String(manifest.resourceCount), countHeader);
    assert.equal(manifest.entries.length, entries.length - 1);
    for (const listed of manifest.entries) {
      const entry = entries.find((found): boolean => found.name === listed.path);
      assert.ok(entry, `${listed.path} is in the archive`);
      assert.equal(sha256(entry.data), listed.sha256, listed.path);
    }
    const names = new Set(entries.map((entry): string => entry.name));
    for (const name of [ 'resources/', 'resources/.acl', 'resources/.meta', 'resources/catalog/', 'resources/catalog/.acl',
      'resources/catalog/.meta', 'resources/profile/card', 'resources/profile/card.acl', 'resources/files/photo.png', 'dump.nq' ]) {
      assert.ok(names.has(name), `${name} is exported`);
    }
    assert.ok([ ...names ].some((name): boolean => name.startsWith('resources/consent/') && !name.endsWith('/')), 'grants come along');
    assert.deepEqual(entries.find((entry): boolean => entry.name === 'resources/files/photo.png')!.data, binary);
    const dump = new Parser({ format: 'application/n-quads' }).parse(entries.find((entry): boolean => entry.name === 'dump.nq')!.data.toString());
    const graphs = new Set(dump.map((quad): string => quad.graph.value));
    assert.ok(graphs.has(`${source.pod}profile/card`) && graphs.has(`${source.pod}catalog/.acl`), 'one graph per RDF resource');
  });

  it('names media types and the pod in pax records tar knows: `tar tf` and `tar xf` print no warning.', async(): Promise<void> => {
    const entries = await unpack(archive);
    // tar-stream also writes each entry's `path` into its pax header; the FMP's own records are these, and no others.
    const ownRecords = (name: string): Record<string, string> => Object.fromEntries(Object.entries(
      entries.find((entry): boolean => entry.name === name)!.pax ?? {}).filter(([ key ]): boolean => key !== 'path'));
    assert.deepEqual(ownRecords('resources/'), { [PAX_SOURCE_POD]: source.pod });
    assert.deepEqual(ownRecords('resources/files/photo.png'), { [PAX_CONTENT_TYPE]: 'image/png' });
    const file = join(folder, 'export.tar');
    await writeFile(file, archive);
    const listed = await runTar([ 'tf', file ]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(listed.stderr, '', 'tar tf printed warnings');
    assert.deepEqual(listed.stdout.trim().split('\n'), entries.map((entry): string => entry.name));
    const unpacked = join(folder, 'unpacked');
    await mkdir(unpacked);
    const extracted = await runTar([ 'xf', file, '-C', unpacked ]);
    assert.equal(extracted.code, 0, extracted.stderr);
    assert.equal(extracted.stderr, '', 'tar xf printed warnings');
    assert.deepEqual(await readFile(join(unpacked, 'resources', 'files', 'photo.png')), binary);
  });

  it('imports into an empty pod on another FMP: identical bytes, isomorphic RDF after rewriting, grants and ACLs.', async(): Promise<void> => {
    const target = await createTestMember(fmpB.baseUrl, uniqueName('arrival'));
    const response = await importInto(target, archive);
    const text = await response.text();
    assert.equal(response.status, 200, text);
    const summary = JSON.parse(text) as { resources: number; from: string };
    assert.equal(summary.from, source.pod);
    const manifest = manifestOf(await unpack(archive));
    assert.equal(summary.resources, manifest.resourceCount);
    const entries = await unpack(archive);
    for (const listed of manifest.entries) {
      const isAcl = listed.kind === 'acl';
      if (listed.kind !== 'document' && !isAcl) {
        continue;
      }
      const relative = listed.path.slice('resources/'.length);
      const got = await target.fetch(`${target.pod}${relative}`, { headers: isAcl ? { accept: TURTLE } : {}});
      assert.equal(got.status, 200, `GET ${relative}`);
      const body = Buffer.from(await got.arrayBuffer());
      const stored = entries.find((entry): boolean => entry.name === listed.path)!.data;
      const contentType = isAcl ? TURTLE : listed.contentType!.split(';')[0];
      if (!RDF_TYPES.has(contentType)) {
        assert.deepEqual(body, stored, `${relative} is byte-identical`);
        assert.equal(got.headers.get('content-type'), listed.contentType);
        continue;
      }
      const expected = new Parser({ baseIRI: `${source.pod}${relative}` }).parse(stored.toString())
        .map((quad): Quad => DataFactory.quad(...[ quad.subject, quad.predicate, quad.object ]
          .map((term): Term => moveTerm(term, source, target, fmpA.baseUrl, fmpB.baseUrl)) as [Quad['subject'], Quad['predicate'], Quad['object']]));
      const actual = new Parser({ baseIRI: `${target.pod}${relative}` }).parse(body.toString());
      assert.ok(isomorphic(actual as Quad[], expected), `${relative} is isomorphic after rewriting`);
    }
    // The grant, rewritten to the new pod.
    const grants = await new ConsentApi(fmpB.baseUrl, target.name, target.fetch).listGrants();
    assert.equal(grants.length, 1);
    assert.deepEqual(grants[0].scope, [ `${target.pod}catalog/` ]);
    assert.equal(grants[0].grantee.webId, other.webId);
    assert.equal(grants[0].grantor, target.webId);
    // The member still logs in on the new FMP: the profile names the new issuer.
    const card = await (await fetch(target.webId)).text();
    assert.ok(card.includes(fmpB.baseUrl) && !card.includes(fmpA.baseUrl), card);
    // And importing again is refused: the pod is no longer empty.
    const again = await importInto(target, archive);
    assert.equal(again.status, 409);
    assert.match(await again.text(), /not empty/u);
  });

  it('imports an archive written with the older pax keywords (FMP.content-type), as archives kept from before have.',
    async(): Promise<void> => {
      const legacy = await repack(withLegacyPaxKeywords(await unpack(archive)));
      assert.ok((await unpack(legacy)).some((entry): boolean => entry.pax?.[LEGACY_PAX_CONTENT_TYPE] === 'image/png'));
      const target = await createTestMember(fmpB.baseUrl, uniqueName('legacy'));
      const response = await importInto(target, legacy);
      const text = await response.text();
      assert.equal(response.status, 200, text);
      assert.equal((JSON.parse(text) as { resources: number }).resources, manifestOf(await unpack(archive)).resourceCount);
      assert.deepEqual(Buffer.from(await (await target.fetch(`${target.pod}files/photo.png`)).arrayBuffer()), binary);
    });

  describe('refusals', (): void => {
    let target: TestMember;
    let unchanged: Record<string, string>;

    async function expectRefused(body: Buffer, status: number, message: RegExp): Promise<void> {
      const response = await importInto(target, body);
      const text = await response.text();
      assert.equal(response.status, status, text);
      assert.match((JSON.parse(text) as { error: string }).error, message);
      assert.deepEqual(await listPod(target), unchanged, 'the pod is unchanged');
    }

    /**
     * The archive with one more document; `pax` declares its media type as an export does (`legacy`: as exports did
     * before, under other keywords), so it is checked as it arrives.
     */
    async function withDocument(name: string, data: Buffer, pax: boolean | 'legacy' = false): Promise<Buffer> {
      return withEntries(archive, (entries): TarEntry[] => {
        const added: TarEntry[] = [ ...entries, { name, type: 'file', data, ...pax ? { pax: { [PAX_CONTENT_TYPE]: TURTLE }} : {}}];
        return pax === 'legacy' ? withLegacyPaxKeywords(added) : added;
      });
    }

    before(async(): Promise<void> => {
      target = await createTestMember(fmpB.baseUrl, uniqueName('refuser'));
      unchanged = await listPod(target);
    });

    it('a truncated archive.', async(): Promise<void> => {
      await expectRefused(archive.subarray(0, Math.floor(archive.length / 2) + 100), 400, /truncated|no manifest/u);
    });

    it('a bad checksum.', async(): Promise<void> => {
      const tampered = await withEntries(archive, (entries): TarEntry[] => entries.map((entry): TarEntry =>
        entry.name === 'resources/files/photo.png' ? { ...entry, data: Buffer.from(entry.data).fill(7, 0, 10) } : entry), false);
      await expectRefused(tampered, 400, /resources\/files\/photo\.png does not match its SHA-256/u);
    });

    it('a path-traversal entry.', async(): Promise<void> => {
      await expectRefused(await withDocument('resources/catalog/../../evil', Buffer.from('<#a> <#b> <#c>.')), 400,
        /"resources\/catalog\/\.\.\/\.\.\/evil": path traversal/u);
      await expectRefused(await withDocument('/etc/evil', Buffer.from('x')), 400, /absolute paths/u);
    });

    it('a link entry.', async(): Promise<void> => {
      await expectRefused(await withEntries(archive, (entries): TarEntry[] =>
        [ ...entries, { name: 'resources/link', type: 'symlink', data: Buffer.alloc(0) }]), 400, /symlink entries/u);
    });

    it('an oversized entry.', async(): Promise<void> => {
      await expectRefused(oversizedHeader('resources/huge', 60_000_000), 413, /resources\/huge.*60000000 bytes/u);
    });

    for (const pax of [ true, 'legacy', false ] as const) {
      const how = pax === 'legacy' ? `checked as it streams in (media type in a pax header under the older ${LEGACY_PAX_CONTENT_TYPE})` :
        pax ? 'checked as it streams in (media type in its pax header)' : 'checked once staged (no pax header)';

      it(`malformed Turtle, ${how}.`, async(): Promise<void> => {
        await expectRefused(await withDocument('resources/notes/broken', Buffer.from('<#a> <#b> "unterminated .\n'), pax), 400,
          /resources\/notes\/broken is not well-formed text\/turtle/u);
      });

      it(`data the new pod's shapes refuse, before anything is written, ${how}.`, async(): Promise<void> => {
        const url = `${source.pod}catalog/zz-no-price`;
        const quads = productToQuads(url, generateProducts(1)[0]).filter((quad): boolean => !quad.predicate.value.endsWith('#hasPrice'));
        await expectRefused(await withDocument('resources/catalog/zz-no-price',
          Buffer.from(quadsToTurtle(quads as Parameters<typeof quadsToTurtle>[0])), pax), 422,
        /^Entry resources\/catalog\/zz-no-price breaks the catalog shapes: <[^>]*zz-no-price[^>]*> <[^>]*#hasPrice>: /u);
      });
    }

    it('a pax header that contradicts the manifest: the manifest counts.', async(): Promise<void> => {
      const lying = await withEntries(archive, (entries): TarEntry[] => entries.map((entry): TarEntry =>
        entry.name === 'resources/files/photo.png' ? { ...entry, pax: { [PAX_CONTENT_TYPE]: TURTLE }} : entry), false);
      const fresh = await createTestMember(fmpB.baseUrl, uniqueName('paxed'));
      const response = await importInto(fresh, lying);
      assert.equal(response.status, 200, await response.text());
      const photo = await fresh.fetch(`${fresh.pod}files/photo.png`);
      assert.equal(photo.headers.get('content-type'), 'image/png');
    });

    it('an entry the pod server cannot store, after the rest of the archive was written: all of it is undone.', async(): Promise<void> => {
      // CSS keeps "$." for its own file names, so it refuses this one, the last entry, when it comes to write it.
      await expectRefused(await withDocument('resources/files/zzz$.ttl', Buffer.from('<#a> <#b> <#c>.\n')), 500,
        /^Entry resources\/files\/zzz\$\.ttl could not be written .*nothing was imported, the pod is as it was\.$/u);
    });

    it('an import into a pod that is not empty.', async(): Promise<void> => {
      const put = await target.fetch(`${target.pod}notes/mine`, { method: 'PUT', headers: { 'content-type': TURTLE }, body: '<#a> <#b> <#c>.' });
      assert.ok(put.ok);
      unchanged = await listPod(target);
      await expectRefused(archive, 409, /is not empty \(it holds notes\//u);
    });
  });

  it('is for the owner only: another member gets 403, anonymous 401.', async(): Promise<void> => {
    const exportUrl = new URL(`.fmp/export/${source.name}`, fmpA.baseUrl);
    const importUrl = new URL(`.fmp/import/${source.name}`, fmpA.baseUrl);
    const init = { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: new Uint8Array(archive) };
    assert.equal((await other.fetch(exportUrl)).status, 403);
    assert.equal((await other.fetch(importUrl, init)).status, 403);
    assert.equal((await fetch(exportUrl)).status, 401);
    assert.equal((await fetch(importUrl, init)).status, 401);
  });

  it('fmp export and fmp import work end to end, with progress on stderr.', async(): Promise<void> => {
    const target = await createTestMember(fmpB.baseUrl, uniqueName('cli'));
    const file = join(folder, 'pod.tar');
    const exported = await runFmp([ 'export', source.name, '-o', file, '--server', fmpA.baseUrl, '--json',
      '--client-id', source.clientId, '--client-secret', source.clientSecret ]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stderr, /exporting done: [\d.]+ MB, \d+\/\d+ resources/u);
    const summary = JSON.parse(exported.stdout) as { resources: number; bytes: number };
    assert.equal(summary.bytes, (await readFile(file)).length);
    const imported = await runFmp([ 'import', target.name, file, '--server', fmpB.baseUrl,
      '--client-id', target.clientId, '--client-secret', target.clientSecret ]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stderr, /uploading done: [\d.]+ MB/u);
    assert.match(imported.stdout, new RegExp(`^Imported ${source.pod} into ${target.pod}: ${summary.resources} resources`, 'u'));
    const refused = await runFmp([ 'import', target.name, file, '--server', fmpB.baseUrl,
      '--client-id', target.clientId, '--client-secret', target.clientSecret ]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^fmp: the import was refused \(409\): The pod .* is not empty/mu);
  });
});
