import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadWriteLocker, ResourceIdentifier } from '@solid/community-server';
import { ExtensionBasedMapper } from '@solid/community-server';
import { FilePodWalker } from '../../../pod-server/portability/FilePodWalker';
import type { PodResource } from '../../../pod-server/portability/PodWalker';

const BASE = 'https://fmp.example/';
const POD = `${BASE}alice/`;

describe('FilePodWalker', (): void => {
  let folder: string;
  let locked: string[];
  let walker: FilePodWalker;

  beforeEach(async(): Promise<void> => {
    folder = await mkdtemp(join(tmpdir(), 'fmp-file-walker-'));
    const pod = join(folder, 'alice');
    await mkdir(join(pod, 'catalog'), { recursive: true });
    await writeFile(join(pod, '.meta'), '<> a <http://www.w3.org/ns/pim/space#Storage>, <http://www.w3.org/ns/ldp#BasicContainer>.');
    await writeFile(join(pod, '.acl'), '<#owner> a <http://www.w3.org/ns/auth/acl#Authorization>.');
    await writeFile(join(pod, 'catalog', 'carrots$.ttl'), '<#it> a <http://example.org/Product>.');
    await writeFile(join(pod, 'catalog', 'carrots.acl'), '<#public> a <http://www.w3.org/ns/auth/acl#Authorization>.');
    await writeFile(join(pod, 'catalog', 'carrots.meta'),
      '<> <http://purl.org/dc/terms/title> "Carrots"; <http://purl.org/dc/terms/modified> "2026-01-01".');
    await writeFile(join(pod, 'catalog', 'blob$.unknown'), 'odd');
    await writeFile(join(pod, 'catalog', 'blob.meta'), '<> <http://www.w3.org/ns/ma-ont#format> "application/x-odd".');
    await writeFile(join(pod, 'catalog', 'orphan.acl'), '<#x> a <http://www.w3.org/ns/auth/acl#Authorization>.');
    await writeFile(join(pod, 'catalog', 'photo.png'), Buffer.from([ 0x89, 0x50 ]));
    locked = [];
    const locker = {
      withReadLock: async<T>(identifier: ResourceIdentifier, whileLocked: () => Promise<T> | T): Promise<T> => {
        locked.push(identifier.path);
        return whileLocked();
      },
    } as unknown as ReadWriteLocker;
    walker = new FilePodWalker(new ExtensionBasedMapper(BASE, folder), locker);
  });

  afterEach(async(): Promise<void> => {
    await rm(folder, { recursive: true, force: true });
  });

  async function walk(): Promise<PodResource[]> {
    const resources: PodResource[] = [];
    for await (const resource of walker.walk(POD)) {
      resources.push(resource);
    }
    return resources;
  }

  it('lists containers and documents depth first, without .acl and .meta files', async(): Promise<void> => {
    const found = (await walk()).map(({ url, path, container }): unknown => ({ url, path, container }));
    assert.deepEqual(found, [
      { url: POD, path: '', container: true },
      { url: `${POD}catalog/`, path: 'catalog/', container: true },
      { url: `${POD}catalog/blob`, path: 'catalog/blob', container: false },
      { url: `${POD}catalog/carrots`, path: 'catalog/carrots', container: false },
      { url: `${POD}catalog/photo.png`, path: 'catalog/photo.png', container: false },
    ]);
  });

  it('reads bytes, media type, kept metadata and ACL under the read lock', async(): Promise<void> => {
    const [ root, catalog, blob, carrots, photo ] = await walk();
    const rootRead = await walker.readForExport(root);
    assert.equal(rootRead.bytes.length, 0);
    assert.deepEqual(rootRead.metadata.map((quad): string => quad.object.value), [ 'http://www.w3.org/ns/pim/space#Storage' ]);
    assert.match(rootRead.acl!.toString(), /#owner/u);
    assert.deepEqual(await walker.readForExport(catalog), { bytes: Buffer.alloc(0), metadata: [], acl: undefined });

    const carrotsRead = await walker.readForExport(carrots);
    assert.equal(carrotsRead.contentType, 'text/turtle');
    assert.match(carrotsRead.bytes.toString(), /Product/u);
    assert.deepEqual(carrotsRead.metadata.map((quad): string => `${quad.subject.value} ${quad.object.value}`), [ `${POD}catalog/carrots Carrots` ]);
    assert.match(carrotsRead.acl!.toString(), /#public/u);

    const blobRead = await walker.readForExport(blob);
    assert.equal(blobRead.contentType, 'application/x-odd');
    assert.deepEqual(blobRead.metadata, []);
    const photoRead = await walker.readForExport(photo);
    assert.equal(photoRead.contentType, 'image/png');
    assert.equal(photoRead.acl, undefined);
    assert.deepEqual(locked, [ POD, `${POD}catalog/`, `${POD}catalog/carrots`, `${POD}catalog/blob`, `${POD}catalog/photo.png` ]);
  });

  it('finds a document again when it moved to another extension after the listing', async(): Promise<void> => {
    const carrots = (await walk())[3];
    await rm(join(folder, 'alice', 'catalog', 'carrots$.ttl'));
    await writeFile(join(folder, 'alice', 'catalog', 'carrots$.json'), '{}');
    const read = await walker.readForExport(carrots);
    assert.equal(read.contentType, 'application/json');
    assert.equal(read.bytes.toString(), '{}');
  });
});
