import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { ArchiveManifest } from '../../../pod-server/portability/archiveFormat';
import {
  ARCHIVE_FORMAT, ARCHIVE_VERSION, LEGACY_PAX_CONTENT_TYPE, LEGACY_PAX_SOURCE_POD, PAX_CONTENT_TYPE, PAX_SOURCE_POD,
} from '../../../pod-server/portability/archiveFormat';
import type { StagedArchive } from '../../../pod-server/portability/ArchiveStager';
import { ArchiveStager } from '../../../pod-server/portability/ArchiveStager';
import { StagedArchiveChecker } from '../../../pod-server/portability/StagedArchiveChecker';
import type { TarEntry } from '../../harness/tarArchives';
import { repack, sha256 } from '../../harness/tarArchives';

const POD = 'http://localhost:3000/farmer/';
const TURTLE = 'text/turtle';

/**
 * An archive of a pod holding one Turtle document, `notes/a`, with or without the pax headers an export writes
 * (`legacy`: under the keywords exports wrote before, which kept archives and snapshots still have).
 */
async function archiveOf(document: string, pax: boolean | 'legacy'): Promise<Buffer> {
  const data = Buffer.from(document);
  const [ sourcePod, contentType ] = pax === 'legacy' ? [ LEGACY_PAX_SOURCE_POD, LEGACY_PAX_CONTENT_TYPE ] :
    [ PAX_SOURCE_POD, PAX_CONTENT_TYPE ];
  const entries: TarEntry[] = [
    { name: 'resources/', type: 'directory', data: Buffer.alloc(0), ...pax ? { pax: { [sourcePod]: POD }} : {}},
    { name: 'resources/notes/', type: 'directory', data: Buffer.alloc(0) },
    { name: 'resources/notes/a', type: 'file', data, ...pax ? { pax: { [contentType]: TURTLE }} : {}},
  ];
  const manifest: ArchiveManifest = { format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, sourcePod: POD,
    sourceWebId: `${POD}profile/card#me`, sourceServer: 'http://localhost:3000/', exportedAt: new Date().toISOString(),
    resourceCount: 3, entries: entries.map((entry): ArchiveManifest['entries'][number] => entry.type === 'directory' ?
      { path: entry.name, kind: 'container', size: 0, sha256: sha256(entry.data) } :
      { path: entry.name, kind: 'document', contentType: TURTLE, size: entry.data.length, sha256: sha256(entry.data) }) };
  return repack([ ...entries, { name: 'manifest.json', type: 'file', data: Buffer.from(JSON.stringify(manifest)) }]);
}

describe('StagedArchiveChecker', (): void => {
  let folder: string;
  const stager = new ArchiveStager(1_000_000, 100_000);
  const checker = new StagedArchiveChecker();

  async function stage(archive: Buffer): Promise<StagedArchive> {
    const input = new PassThrough();
    input.end(archive);
    return stager.stage(input, folder, checker);
  }

  beforeEach(async(): Promise<void> => {
    folder = await mkdtemp(join(tmpdir(), 'fmp-checker-'));
  });

  afterEach(async(): Promise<void> => {
    await rm(folder, { recursive: true, force: true });
  });

  for (const pax of [ true, 'legacy' ] as const) {
    const keywords = pax === 'legacy' ? `the older ${LEGACY_PAX_CONTENT_TYPE}` : PAX_CONTENT_TYPE;
    it(`checks RDF while the archive streams in when pax headers declare its media type (${keywords}); check() then trusts that.`,
      async(): Promise<void> => {
        const staged = await stage(await archiveOf('<#a> <#b> <#c>.\n', pax));
        assert.equal(staged.declaredSourcePod, POD);
        assert.equal(staged.entries.get('resources/notes/a')!.declaredContentType, TURTLE);
        assert.deepEqual(staged.entries.get('resources/notes/a')!.earlyCheck, { as: `${TURTLE} ${POD}notes/a` });
        // Not read again: check() passes even with the staged copy gone.
        await rm(staged.entries.get('resources/notes/a')!.file!);
        const manifest = await checker.check(staged);
        assert.equal(manifest.sourcePod, POD);
      });
  }

  it('refuses malformed RDF found early with the same message as once staged.', async(): Promise<void> => {
    const early = await stage(await archiveOf('<#a> <#b> "unterminated .\n', true));
    assert.ok(early.entries.get('resources/notes/a')!.earlyCheck!.error);
    const late = await stage(await archiveOf('<#a> <#b> "unterminated .\n', false));
    assert.equal(late.entries.get('resources/notes/a')!.earlyCheck, undefined);
    const messages = await Promise.all([ early, late ].map(async(staged): Promise<string> =>
      checker.check(staged).then((): string => 'accepted', (error: Error): string => error.message)));
    assert.match(messages[0], /^Entry resources\/notes\/a is not well-formed text\/turtle/u);
    assert.equal(messages[0], messages[1]);
  });

  it('wants early only RDF entries of a pod whose URL is declared: not binaries, not the dump.', async(): Promise<void> => {
    const declared = { entries: new Map(), declaredSourcePod: POD };
    assert.equal(checker.wantsEarly('resources/notes/a', TURTLE, declared), true);
    assert.equal(checker.wantsEarly('resources/notes/a.acl', undefined, declared), true);
    assert.equal(checker.wantsEarly('resources/files/photo.png', 'image/png', declared), false);
    assert.equal(checker.wantsEarly('dump.nq', 'application/n-quads', declared), false);
    assert.equal(checker.wantsEarly('resources/notes/a', TURTLE, { entries: new Map() }), false);
  });

  it('checks again when the manifest names another media type than the pax header.', async(): Promise<void> => {
    const staged = await stage(await archiveOf('<#a> <#b> <#c>.\n', true));
    staged.entries.get('resources/notes/a')!.earlyCheck = { as: `application/ld+json ${POD}notes/a` };
    await rm(staged.entries.get('resources/notes/a')!.file!);
    await assert.rejects(checker.check(staged), /ENOENT/u);
  });
});
