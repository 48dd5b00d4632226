import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataAccessor, ResourceIdentifier } from '@solid/community-server';
import {
  EqualReadWriteLocker, ExtensionBasedMapper, FileDataAccessor, MemoryResourceLocker, RepresentationMetadata,
  SuffixIdentifierGenerator,
} from '@solid/community-server';
import { DataFactory } from 'n3';
import { ConstrainedContainerAccessor } from '../../../pod-server/storage/ConstrainedContainerAccessor';
import { ContainerMetadataLockingAccessor } from '../../../pod-server/storage/ContainerMetadataLockingAccessor';

const BASE = 'https://fmp.example/';
const POD = `${BASE}alice/`;
const CONSTRAINED_BY = 'http://www.w3.org/ns/ldp#constrainedBy';
const TITLE = 'http://purl.org/dc/terms/title';

/** The objects of `predicate` in a resource's metadata. */
function valuesOf(metadata: RepresentationMetadata, predicate: string): string[] {
  return metadata.quads(metadata.identifier, DataFactory.namedNode(predicate)).map((quad): string => quad.object.value);
}

describe('ConstrainedContainerAccessor', (): void => {
  let folder: string;
  let accessor: ConstrainedContainerAccessor;

  before(async(): Promise<void> => {
    folder = await mkdtemp(join(tmpdir(), 'fmp-constrained-'));
    for (const path of [ 'alice/catalog/winter', 'alice/settings', 'alice/profile', 'alice/notes/catalog' ]) {
      await mkdir(join(folder, path), { recursive: true });
    }
    await writeFile(join(folder, 'alice', 'catalog', 'carrots$.ttl'), '<#it> a <http://example.org/Product>.');
    await writeFile(join(folder, 'alice', 'profile', '.meta'), `<> <${TITLE}> "Who we are".`);
    const files = new FileDataAccessor(new ExtensionBasedMapper(BASE, folder));
    accessor = new ConstrainedContainerAccessor(files, BASE, new SuffixIdentifierGenerator(BASE));
  });

  after(async(): Promise<void> => {
    await rm(folder, { recursive: true, force: true });
  });

  async function read(path: string): Promise<RepresentationMetadata> {
    return accessor.getMetadata({ path: `${POD}${path}` });
  }

  it('describes catalog/ even when its .meta is gone: constrainedBy its shapes, titled by its kind.', async(): Promise<void> => {
    const metadata = await read('catalog/');
    assert.deepEqual(valuesOf(metadata, CONSTRAINED_BY), [ `${BASE}.fmp/shapes/catalog` ]);
    assert.deepEqual(valuesOf(metadata, TITLE), [ 'catalog' ]);
  });

  it('marks containers below a constrained one as constrained too, without a title.', async(): Promise<void> => {
    const metadata = await read('catalog/winter/');
    assert.deepEqual(valuesOf(metadata, CONSTRAINED_BY), [ `${BASE}.fmp/shapes/catalog` ]);
    assert.deepEqual(valuesOf(metadata, TITLE), []);
  });

  it('keeps a title the owner gave.', async(): Promise<void> => {
    assert.deepEqual(valuesOf(await read('profile/'), TITLE), [ 'Who we are' ]);
  });

  it('leaves documents, other containers and the pod root alone.', async(): Promise<void> => {
    for (const path of [ 'catalog/carrots', 'settings/', 'notes/catalog/', '' ]) {
      const metadata = await read(path);
      assert.deepEqual(valuesOf(metadata, CONSTRAINED_BY), [], path);
      assert.deepEqual(valuesOf(metadata, TITLE), [], path);
    }
  });
});

describe('ContainerMetadataLockingAccessor', (): void => {
  /** An accessor whose container writes finish only when the test says so. */
  function slowWriter(): { accessor: DataAccessor; finishWrite: () => void; reads: string[] } {
    let finishWrite = (): void => undefined;
    const reads: string[] = [];
    const accessor = {
      writeContainer: async(): Promise<void> => new Promise((resolve): void => {
        finishWrite = resolve;
      }),
      writeMetadata: async(): Promise<void> => new Promise((resolve): void => {
        finishWrite = resolve;
      }),
      getMetadata: async(identifier: ResourceIdentifier): Promise<RepresentationMetadata> => {
        reads.push(identifier.path);
        return new RepresentationMetadata(identifier);
      },
    } as unknown as DataAccessor;
    return { accessor, finishWrite: (): void => finishWrite(), reads };
  }

  const locker = (): EqualReadWriteLocker => new EqualReadWriteLocker(new MemoryResourceLocker());

  for (const write of [ 'writeContainer', 'writeMetadata' ] as const) {
    it(`reads a container's metadata only once its ${write} in progress is done.`, async(): Promise<void> => {
      const slow = slowWriter();
      const accessor = new ContainerMetadataLockingAccessor(slow.accessor, locker());
      const writing = accessor[write]({ path: `${POD}catalog/` }, new RepresentationMetadata());
      const reading = accessor.getMetadata({ path: `${POD}catalog/` });
      await new Promise((resolve): void => {
        setImmediate(resolve);
      });
      assert.deepEqual(slow.reads, [], 'read while the write was under way');
      slow.finishWrite();
      await writing;
      await reading;
      assert.deepEqual(slow.reads, [ `${POD}catalog/` ]);
    });
  }

  it('does not hold up reads of other containers or of documents.', async(): Promise<void> => {
    const slow = slowWriter();
    const accessor = new ContainerMetadataLockingAccessor(slow.accessor, locker());
    const writing = accessor.writeContainer({ path: `${POD}catalog/` }, new RepresentationMetadata());
    await accessor.getMetadata({ path: `${POD}land/` });
    await accessor.getMetadata({ path: `${POD}catalog/carrots` });
    assert.deepEqual(slow.reads, [ `${POD}land/`, `${POD}catalog/carrots` ]);
    slow.finishWrite();
    await writing;
  });
});
