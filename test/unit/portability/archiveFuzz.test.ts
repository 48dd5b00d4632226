import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { PAX_CONTENT_TYPE, PAX_SOURCE_POD } from '../../../pod-server/portability/archiveFormat';
import { ArchiveError } from '../../../pod-server/portability/ArchiveError';
import { ArchiveStager } from '../../../pod-server/portability/ArchiveStager';
import { StagedArchiveChecker } from '../../../pod-server/portability/StagedArchiveChecker';
import { productToQuads } from '../../../shapes/access/productRdf';
import { quadsToTurtle } from '../../../shapes/access/podIo';
import { generateProducts } from '../../../shapes/demo/catalogData';
import { damagedArchive } from '../../harness/archiveDamage';
import { fuzzCases, fuzzSeed, readableProblem, SeededRandom } from '../../harness/fuzz';
import type { TarEntry } from '../../harness/tarArchives';
import { repack, sha256 } from '../../harness/tarArchives';

const POD = 'http://localhost:3000/greenacres/';
const TURTLE = 'text/turtle';

/** A small well-formed pod archive's entries (without its manifest), as an export writes them. */
function podEntries(): TarEntry[] {
  const [ carrots, beets ] = generateProducts(2);
  const file = (name: string, data: string | Buffer, contentType?: string): TarEntry => ({ name, type: 'file',
    data: Buffer.from(data), ...contentType ? { pax: { [PAX_CONTENT_TYPE]: contentType }} : {}});
  return [
    { name: 'resources/', type: 'directory', data: Buffer.alloc(0), pax: { [PAX_SOURCE_POD]: POD }},
    file('resources/.acl', `<#owner> a <http://www.w3.org/ns/auth/acl#Authorization>; <http://www.w3.org/ns/auth/acl#agent> <${POD}profile/card#me>.`),
    { name: 'resources/catalog/', type: 'directory', data: Buffer.alloc(0) },
    file('resources/catalog/carrots', quadsToTurtle(productToQuads(`${POD}catalog/carrots`, carrots)), TURTLE),
    file('resources/catalog/beets', quadsToTurtle(productToQuads(`${POD}catalog/beets`, beets)), TURTLE),
    { name: 'resources/files/', type: 'directory', data: Buffer.alloc(0) },
    file('resources/files/photo.png', Buffer.from([ 0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 3 ]), 'image/png'),
    file('dump.nq', `<${POD}catalog/carrots> <http://ex.org/p> "1" <${POD}catalog/carrots> .\n`),
  ];
}

/** The manifest an export would write for `entries`. */
function manifestFor(entries: TarEntry[]): Record<string, unknown> {
  return {
    format: 'fmp-pod-archive', version: 1, sourcePod: POD, sourceWebId: `${POD}profile/card#me`, sourceServer: 'http://localhost:3000/',
    exportedAt: new Date(0).toISOString(), resourceCount: entries.length,
    entries: entries.map((entry): Record<string, unknown> => ({
      path: entry.name, size: entry.data.length, sha256: sha256(entry.data),
      kind: entry.name === 'dump.nq' ? 'dump' : entry.type === 'directory' ? 'container' : entry.name.endsWith('.acl') ? 'acl' : 'document',
      ...entry.type === 'file' && entry.name !== 'dump.nq' && !entry.name.endsWith('.acl') ?
        { contentType: entry.pax?.[PAX_CONTENT_TYPE] ?? 'application/octet-stream' } : {},
    })),
  };
}

async function archiveOf(entries: TarEntry[], manifest: unknown = manifestFor(entries)): Promise<Buffer> {
  return repack([ ...entries, { name: 'manifest.json', type: 'file', data: Buffer.from(JSON.stringify(manifest)) }]);
}

// Everything an importer or a restore reads goes through the stager and the checker first. Whatever the archive, they
// must end in a manifest or one ArchiveError with a 4xx status and a readable message: no other exception, no hang.
describe('Fuzzing the archive reader (stager and checker)', function(this: Mocha.Suite): void {
  this.timeout(600_000);
  const seed = fuzzSeed();
  const stager = new ArchiveStager(20_000_000, 5_000_000);
  const checker = new StagedArchiveChecker(5_000_000);
  let root: string;

  before(async(): Promise<void> => {
    root = await mkdtemp(join(tmpdir(), 'fmp-archive-fuzz-'));
  });

  after(async(): Promise<void> => {
    await rm(root, { recursive: true, force: true });
  });

  it(`refuses every damaged archive with one 4xx ArchiveError (seed ${seed}).`, async(): Promise<void> => {
    const random = new SeededRandom(seed);
    const whole = await archiveOf(podEntries());
    const cases = fuzzCases(1_000);
    const statuses = new Map<number, number>();
    for (let index = 0; index < cases; index += 1) {
      const [ label, archive ] = await damagedArchive(random, whole);
      const where = `case ${index} (${label}; replay with FMP_FUZZ_SEED=${seed})`;
      const folder = join(root, String(index));
      await mkdir(folder);
      const input = new PassThrough();
      input.end(archive);
      let hang: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          (async(): Promise<void> => {
            const staged = await stager.stage(input, folder, checker);
            await checker.check(staged);
          })(),
          new Promise((resolve, reject): void => {
            hang = setTimeout((): void => reject(new Error(`${where} took more than 30 s`)), 30_000);
          }),
        ]);
        statuses.set(200, (statuses.get(200) ?? 0) + 1);
      } catch (error: unknown) {
        assert.ok(ArchiveError.isInstance(error), `${where} threw ${(error as Error).name}: ${(error as Error).message}`);
        assert.ok(error.status >= 400 && error.status < 500, `${where}: status ${error.status}`);
        assert.equal(readableProblem(error.message), undefined, `${where}: ${error.message.slice(0, 300)}`);
        statuses.set(error.status, (statuses.get(error.status) ?? 0) + 1);
      } finally {
        clearTimeout(hang);
        await rm(folder, { recursive: true, force: true });
      }
    }
    const refused = cases - (statuses.get(200) ?? 0);
    assert.ok(refused > cases * 0.8, `most archives are refused: ${JSON.stringify(Object.fromEntries(statuses))}`);
  });

  it('accepts the undamaged archive it starts from, so the refusals above are the damage.', async(): Promise<void> => {
    const folder = join(root, 'whole');
    await mkdir(folder);
    const input = new PassThrough();
    input.end(await archiveOf(podEntries()));
    const manifest = await checker.check(await stager.stage(input, folder, checker));
    assert.equal(manifest.sourcePod, POD);
  });
});
