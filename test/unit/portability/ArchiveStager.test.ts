import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ArchiveStager } from '../../../pod-server/portability/ArchiveStager';
import { repack, sha256 } from '../../harness/tarArchives';

const PRODUCT = Buffer.from('<#it> a <http://example.org/Product> .\n');

describe('ArchiveStager', (): void => {
  let folder: string;
  const stager = new ArchiveStager(1_000_000, 100_000);

  beforeEach(async(): Promise<void> => {
    folder = await mkdtemp(join(tmpdir(), 'fmp-stager-'));
  });

  afterEach(async(): Promise<void> => {
    await rm(folder, { recursive: true, force: true });
  });

  it('stages each entry with its size and SHA-256, and keeps the manifest as text.', async(): Promise<void> => {
    const input = new PassThrough();
    input.end(await repack([
      { name: 'resources/catalog/', type: 'directory', data: Buffer.alloc(0) },
      { name: 'resources/catalog/carrots', type: 'file', data: PRODUCT },
      { name: 'manifest.json', type: 'file', data: Buffer.from('{}') },
    ]));
    const staged = await stager.stage(input, folder);
    assert.deepEqual([ ...staged.entries.keys() ], [ 'resources/catalog/', 'resources/catalog/carrots' ]);
    assert.equal(staged.entries.get('resources/catalog/carrots')!.sha256, sha256(PRODUCT));
    assert.equal(staged.entries.get('resources/catalog/carrots')!.size, PRODUCT.length);
    assert.equal(staged.manifestText, '{}');
  });

  it('refuses an upload cut off mid-entry instead of waiting for the rest.', async(): Promise<void> => {
    const archive = await repack([{ name: 'resources/catalog/carrots', type: 'file', data: Buffer.alloc(50_000, 'x') }]);
    const input = new PassThrough();
    input.write(archive.subarray(0, 20_000));
    const staging = stager.stage(input, folder);
    setTimeout((): void => {
      input.destroy();
    }, 50);
    await assert.rejects(staging, /cut off/u);
  });

  it('refuses an upload that was cut off before staging began (the client died while the pod was checked).',
    async(): Promise<void> => {
      const archive = await repack([{ name: 'resources/catalog/carrots', type: 'file', data: PRODUCT }]);
      const input = new PassThrough();
      input.write(archive.subarray(0, 600));
      input.destroy();
      await new Promise((resolve): void => {
        setImmediate(resolve);
      });
      await assert.rejects(stager.stage(input, folder), /cut off/u);
    });
});
