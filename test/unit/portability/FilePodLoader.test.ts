import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BasicRepresentation, ComposedAuxiliaryStrategy, DataAccessorBasedStore, EqualReadWriteLocker, ExtensionBasedMapper,
  FileDataAccessor, MemoryResourceLocker, readableToString, RoutingAuxiliaryStrategy, SingleRootIdentifierStrategy,
  SuffixAuxiliaryIdentifierStrategy,
} from '@solid/community-server';
import { FilePodLoader } from '../../../pod-server/portability/FilePodLoader';

const BASE = 'http://localhost:3000/';
const TURTLE = '<#carrots> a <http://example.org/Product> .\n';

/** Every file below `folder`, relative, sorted. */
async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry): boolean => entry.isFile())
    .map((entry): string => join(entry.parentPath, entry.name).slice(folder.length + 1)).sort();
}

/** CSS's file-backed store over `folder`, as the server sets it up (`.meta` and `.acl` auxiliaries). */
function cssStore(folder: string): DataAccessorBasedStore {
  const acl = new ComposedAuxiliaryStrategy(new SuffixAuxiliaryIdentifierStrategy('.acl'));
  const meta = new ComposedAuxiliaryStrategy(new SuffixAuxiliaryIdentifierStrategy('.meta'));
  return new DataAccessorBasedStore(new FileDataAccessor(new ExtensionBasedMapper(BASE, folder)),
    new SingleRootIdentifierStrategy(BASE), new RoutingAuxiliaryStrategy([ acl, meta ]), meta);
}

describe('FilePodLoader', (): void => {
  let folder: string;
  let locker: EqualReadWriteLocker;
  let loader: FilePodLoader;

  beforeEach(async(): Promise<void> => {
    folder = await mkdtemp(join(tmpdir(), 'fmp-loader-'));
    await mkdir(join(folder, 'catalog'));
    locker = new EqualReadWriteLocker(new MemoryResourceLocker());
    loader = new FilePodLoader(new ExtensionBasedMapper(BASE, folder), locker);
  });

  afterEach(async(): Promise<void> => {
    await rm(folder, { recursive: true, force: true });
  });

  it('writes the files CSS writes for the same documents, which CSS then reads back.', async(): Promise<void> => {
    const documents: [string, string, Buffer][] = [
      [ 'catalog/carrots', 'text/turtle', Buffer.from(TURTLE) ],
      [ 'catalog/photo.png', 'image/png', Buffer.from([ 0x89, 0x50, 0x4e, 0x47 ]) ],
      [ 'catalog/notes.txt', 'text/turtle', Buffer.from(TURTLE) ],
      [ 'catalog/leeks.json', 'application/ld+json', Buffer.from('{"@id":"#leeks"}') ],
    ];
    const viaCss = await mkdtemp(join(tmpdir(), 'fmp-loader-css-'));
    try {
      const store = cssStore(viaCss);
      for (const [ path, contentType, bytes ] of documents) {
        await store.setRepresentation({ path: `${BASE}${path}` }, new BasicRepresentation([ bytes ], contentType));
        assert.equal(await loader.accepts(`${BASE}${path}`, contentType), true, path);
        await loader.writeDocument(`${BASE}${path}`, contentType, bytes);
      }
      const files = await listFiles(folder);
      assert.deepEqual(files, [ 'catalog/carrots$.ttl', 'catalog/leeks.json$.jsonld', 'catalog/notes.txt$.ttl', 'catalog/photo.png' ]);
      assert.deepEqual(files, await listFiles(viaCss), 'no .meta files: CSS keeps no metadata for these either');
      const reader = cssStore(folder);
      for (const [ path, contentType, bytes ] of documents) {
        assert.deepEqual(await readFile(join(folder, files.find((file): boolean => file.startsWith(path))!)), bytes);
        const read = await reader.getRepresentation({ path: `${BASE}${path}` });
        assert.equal(read.metadata.contentType, contentType, path);
        assert.equal(await readableToString(read.data), bytes.toString(), path);
      }
    } finally {
      await rm(viaCss, { recursive: true, force: true });
    }
  });

  it('writes a string body, replacing the document and removing a stale .meta.', async(): Promise<void> => {
    await writeFile(join(folder, 'catalog', 'carrots$.ttl'), 'old');
    await writeFile(join(folder, 'catalog', 'carrots.meta'), '<> <http://example.org/p> "stale".');
    await loader.writeDocument(`${BASE}catalog/carrots`, 'text/turtle', TURTLE);
    assert.deepEqual(await listFiles(folder), [ 'catalog/carrots$.ttl' ]);
    assert.equal(await readFile(join(folder, 'catalog', 'carrots$.ttl'), 'utf8'), TURTLE);
  });

  it('leaves media types a file name cannot carry, and parameters, to the store.', async(): Promise<void> => {
    assert.equal(await loader.accepts(`${BASE}catalog/x`, 'application/x-fmp-unheard-of'), false);
    assert.equal(await loader.accepts(`${BASE}catalog/x`, 'text/turtle; charset=utf-8'), false);
    assert.equal(await loader.accepts(`${BASE}catalog/`, 'text/turtle'), false);
    await assert.rejects(loader.writeDocument(`${BASE}catalog/x`, 'application/x-fmp-unheard-of', 'x'), /through the store/u);
    assert.deepEqual(await listFiles(folder), []);
  });

  it('writes under the write lock on the document.', async(): Promise<void> => {
    let writing: Promise<void> | undefined;
    await locker.withReadLock({ path: `${BASE}catalog/carrots` }, async(): Promise<void> => {
      writing = loader.writeDocument(`${BASE}catalog/carrots`, 'text/turtle', TURTLE);
      await new Promise((resolve): void => {
        setTimeout(resolve, 50);
      });
      assert.deepEqual(await listFiles(folder), [], 'nothing written while the lock is held');
    });
    await writing;
    assert.deepEqual(await listFiles(folder), [ 'catalog/carrots$.ttl' ]);
  });

  it('fails without leaving a temporary file when the folder is missing.', async(): Promise<void> => {
    await assert.rejects(loader.writeDocument(`${BASE}land/field`, 'text/turtle', TURTLE), /ENOENT/u);
    await assert.rejects(loader.writeDocument(`${BASE}catalog/sub/x`, 'text/turtle', TURTLE), /ENOENT/u);
    assert.deepEqual(await listFiles(folder), []);
  });
});
