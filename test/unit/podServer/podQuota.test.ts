import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  AtomicFileDataAccessor, BasicRepresentation, ComposedAuxiliaryStrategy, DataAccessorBasedStore, EqualReadWriteLocker,
  ExtensionBasedMapper, MemoryResourceLocker,
  FilterMetadataDataAccessor, FilterPattern, guardStream, PIM, RDF, RepresentationMetadata, RoutingAuxiliaryStrategy,
  SingleRootIdentifierStrategy, SuffixAuxiliaryIdentifierStrategy, ValidatingDataAccessor,
} from '@solid/community-server';
import { LocalPodSizeTotals } from '../../../pod-server/cluster/LocalPodSizeTotals';
import { CachedPodQuotaStrategy } from '../../../pod-server/storage/quota/CachedPodQuotaStrategy';
import { describeWriteRefusal } from '../../../pod-server/storage/quota/describePodUsage';
import { formatBytes } from '../../../pod-server/storage/quota/formatBytes';
import { PodQuota } from '../../../pod-server/storage/quota/PodQuota';
import { PodQuotaValidator } from '../../../pod-server/storage/quota/PodQuotaValidator';
import { PodSizeReporter } from '../../../pod-server/storage/quota/PodSizeReporter';
import { ContainerMetadataLockingAccessor } from '../../../pod-server/storage/ContainerMetadataLockingAccessor';
import { PodSizeTrackingDataAccessor } from '../../../pod-server/storage/quota/PodSizeTrackingDataAccessor';

const BASE = 'http://localhost:3000/';
const POD = `${BASE}alice/`;
const LIMIT = 20_000;

/** Bytes of every regular file below `folder`, counted here independently of the reporter. */
async function bytesOnDisk(folder: string): Promise<number> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  let total = 0;
  for (const entry of entries.filter((candidate): boolean => candidate.isFile())) {
    total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

function bytes(count: number, fill = 'a'): Buffer {
  return Buffer.alloc(count, fill);
}

/** A representation whose body arrives in chunks, with no length given (as a chunked upload). */
function streamed(body: Buffer, contentType: string): BasicRepresentation {
  const chunks = [ body.subarray(0, body.length / 2), body.subarray(body.length / 2) ];
  return new BasicRepresentation(guardStream(Readable.from(chunks)), contentType);
}

/** A representation with its Content-Length, as CSS's ContentLengthParser leaves it. */
function withLength(body: Buffer, contentType: string): BasicRepresentation {
  const metadata = new RepresentationMetadata(contentType);
  metadata.contentLength = body.length;
  return new BasicRepresentation([ body ], metadata);
}

describe('The pod quota', (): void => {
  describe('formatBytes', (): void => {
    it('shows decimal units to four significant digits, and rounds up when asked.', (): void => {
      assert.equal(formatBytes(512), '512 bytes');
      assert.equal(formatBytes(1000), '1 kB');
      assert.equal(formatBytes(12_345), '12.35 kB');
      assert.equal(formatBytes(998_200_000), '998.2 MB');
      assert.equal(formatBytes(1_000_000_000), '1 GB');
      assert.equal(formatBytes(999_960_000), '1 GB');
      assert.equal(formatBytes(3_000_001, 'up'), '3.001 MB');
      assert.equal(formatBytes(3_000_001), '3 MB');
    });
  });

  describe('describeWriteRefusal', (): void => {
    it('says what the pod uses, its quota and what the write lacks.', (): void => {
      assert.equal(describeWriteRefusal({ usedBytes: 998_200_000, limitBytes: 1e9, leftBytes: 1_800_000, neededBytes: 3_000_000 }),
        'This pod uses 998.2 MB of its 1 GB quota; this write needs 3 MB more than is left.');
      assert.equal(describeWriteRefusal({ usedBytes: 1_200_000, limitBytes: 1e6, leftBytes: -200_000, neededBytes: 300_000 }),
        'This pod uses 1.2 MB of its 1 MB quota, so nothing more fits; delete something first.');
    });
  });

  describe('on CSS\'s file-backed store', (): void => {
    let folder: string;
    let mapper: ExtensionBasedMapper;
    let sizes: PodSizeReporter;
    let quota: PodQuota;
    let store: DataAccessorBasedStore;

    /** The pod's total as the reporter keeps it, which must be what is on disk. */
    async function assertTracked(): Promise<number> {
      const tracked = await sizes.findKnownTotal(POD);
      const onDisk = await bytesOnDisk(join(folder, 'alice'));
      assert.equal(tracked, onDisk);
      return onDisk;
    }

    async function assertRefused(write: Promise<unknown>, message: RegExp): Promise<void> {
      await assert.rejects(write, (error: Error & { statusCode?: number }): boolean => {
        assert.equal(error.statusCode, 413);
        assert.match(error.message, message);
        return true;
      });
    }

    beforeEach(async(): Promise<void> => {
      folder = await mkdtemp(join(tmpdir(), 'fmp-quota-'));
      mapper = new ExtensionBasedMapper(BASE, folder);
      const atomic = new AtomicFileDataAccessor(mapper, folder, '/.internal/tempFiles/');
      sizes = new PodSizeReporter(mapper, new LocalPodSizeTotals());
      quota = new PodQuota(LIMIT, sizes);
      const identifiers = new SingleRootIdentifierStrategy(BASE);
      const strategy = new CachedPodQuotaStrategy(LIMIT, sizes, identifiers, atomic);
      const accessor = new PodSizeTrackingDataAccessor(new ValidatingDataAccessor(
        new FilterMetadataDataAccessor(atomic, [ new FilterPattern(undefined, 'http://www.w3.org/2011/http-headers#content-length') ]),
        new PodQuotaValidator(strategy, quota),
      ), sizes);
      const acl = new ComposedAuxiliaryStrategy(new SuffixAuxiliaryIdentifierStrategy('.acl'));
      const meta = new ComposedAuxiliaryStrategy(new SuffixAuxiliaryIdentifierStrategy('.meta'));
      // Below the container-metadata lock, as the FMP's configuration stacks them: CSS rewrites a container's .meta
      // unlocked while children are created in it, and measuring such racing rewrites would drift.
      const locked = new ContainerMetadataLockingAccessor(accessor, new EqualReadWriteLocker(new MemoryResourceLocker()));
      store = new DataAccessorBasedStore(locked, identifiers, new RoutingAuxiliaryStrategy([ acl, meta ]), meta);
      const root = new RepresentationMetadata({ path: POD });
      root.add(RDF.terms.type, PIM.terms.Storage);
      await store.setRepresentation({ path: POD }, new BasicRepresentation([], root));
      await store.setRepresentation({ path: `${POD}.acl` }, new BasicRepresentation('<#owner> a <#Authorization>.\n', 'text/turtle'));
    });

    afterEach(async(): Promise<void> => {
      await rm(folder, { recursive: true, force: true });
    });

    it('keeps the pod\'s total equal to the bytes of its files through writes, overwrites, metadata and deletes.',
      async(): Promise<void> => {
        // The first check walks the pod; every later one uses the kept total.
        assert.equal((await sizes.getSize({ path: POD })).amount, await bytesOnDisk(join(folder, 'alice')));
        await store.setRepresentation({ path: `${POD}notes/a.txt` }, new BasicRepresentation([ bytes(3000) ], 'text/plain'));
        await assertTracked();
        await store.setRepresentation({ path: `${POD}notes/a.txt` }, new BasicRepresentation([ bytes(1000) ], 'text/plain'));
        await assertTracked();
        // Another media type: CSS renames the file (a.txt$.bin-like names) and the old one goes.
        await store.setRepresentation({ path: `${POD}notes/a.txt` }, new BasicRepresentation([ bytes(2000) ], 'application/octet-stream'));
        await assertTracked();
        await store.setRepresentation({ path: `${POD}notes/b` }, new BasicRepresentation('<#b> <#p> "b".\n', 'text/turtle'));
        const meta = new RepresentationMetadata({ path: `${POD}notes/b` });
        meta.add(RDF.terms.type, 'http://example.org/Note');
        await store.setRepresentation({ path: `${POD}notes/b.meta` }, new BasicRepresentation(meta.quads(), { path: `${POD}notes/b.meta` },
          'internal/quads'));
        await assertTracked();
        await store.setRepresentation({ path: `${POD}notes/b.acl` }, new BasicRepresentation('<#x> a <#Authorization>.\n', 'text/turtle'));
        await assertTracked();
        const added = await store.addResource({ path: `${POD}notes/` }, new BasicRepresentation([ bytes(500) ], 'text/plain'));
        await assertTracked();
        await store.deleteResource({ path: `${POD}notes/b` });
        await store.deleteResource({ path: `${POD}notes/a.txt` });
        await assertTracked();
        const child = [ ...added.keys() ].find((identifier): boolean => identifier.path.startsWith(`${POD}notes/`) &&
          identifier.path !== `${POD}notes/`)!;
        await store.deleteResource(child);
        await store.deleteResource({ path: `${POD}notes/` });
        await assertTracked();
      });

    it('keeps the total right under parallel writes.', async(): Promise<void> => {
      await sizes.getSize({ path: POD });
      await Promise.all(Array.from({ length: 12 }, async(_, index): Promise<unknown> =>
        store.setRepresentation({ path: `${POD}many/${index}` }, new BasicRepresentation([ bytes(100 + index) ], 'text/plain'))));
      await assertTracked();
    });

    it('refuses a write whose length does not fit, saying how much is used and lacking, and writes nothing.', async(): Promise<void> => {
      await store.setRepresentation({ path: `${POD}big` }, new BasicRepresentation([ bytes(12_000) ], 'text/plain'));
      const used = await assertTracked();
      await assertRefused(store.setRepresentation({ path: `${POD}more` }, withLength(bytes(9000), 'text/plain')),
        new RegExp(`^This pod uses ${formatBytes(used).replace('.', '\\.')} of its 20 kB quota; this write needs ` +
          `${formatBytes(9000 - (LIMIT - used), 'up').replace('.', '\\.')} more than is left\\.$`, 'u'));
      assert.equal(await store.hasResource({ path: `${POD}more` }), false);
      assert.equal(await assertTracked(), used);
    });

    it('counts a write without a length as it arrives, and refuses it at its end if it does not fit.', async(): Promise<void> => {
      await store.setRepresentation({ path: `${POD}big` }, new BasicRepresentation([ bytes(12_000) ], 'text/plain'));
      const used = await assertTracked();
      await assertRefused(store.setRepresentation({ path: `${POD}more` }, streamed(bytes(9000), 'text/plain')),
        new RegExp(`^This pod uses ${formatBytes(used).replace('.', '\\.')} of its 20 kB quota; this write needs ` +
          `${formatBytes(9000 - (LIMIT - used), 'up').replace('.', '\\.')} more than is left\\.$`, 'u'));
      assert.equal(await store.hasResource({ path: `${POD}more` }), false);
      assert.equal(await assertTracked(), used);
      // What fits is written.
      await store.setRepresentation({ path: `${POD}more` }, streamed(bytes(LIMIT - used), 'text/plain'));
      assert.equal(await assertTracked(), LIMIT);
    });

    it('counts what a write replaces as free, and lets a pod over its quota shrink.', async(): Promise<void> => {
      await store.setRepresentation({ path: `${POD}big` }, new BasicRepresentation([ bytes(15_000) ], 'text/plain'));
      const used = await assertTracked();
      // 15,000 replaced by 18,000: 3,000 more, which fits.
      await store.setRepresentation({ path: `${POD}big` }, withLength(bytes(LIMIT - used + 15_000), 'text/plain'));
      assert.equal(await assertTracked(), LIMIT);
      // Over its quota (as after the operator lowered it): a write that grows it is refused, one that shrinks it is not.
      const smaller = new CachedPodQuotaStrategy(10_000, sizes, new SingleRootIdentifierStrategy(BASE),
        new AtomicFileDataAccessor(mapper, folder, '/.internal/tempFiles/'));
      const validator = new PodQuotaValidator(smaller, new PodQuota(10_000, sizes));
      await assertRefused(validator.handle({ identifier: { path: `${POD}other` }, representation: withLength(bytes(10), 'text/plain') }),
        /^This pod uses 20 kB of its 10 kB quota, so nothing more fits; delete something first\.$/u);
      await validator.handle({ identifier: { path: `${POD}big` }, representation: withLength(bytes(1000), 'text/plain') });
    });

    it('lets an import or restore checked up front write past the quota into that pod only.', async(): Promise<void> => {
      const bob = `${BASE}bob/`;
      const root = new RepresentationMetadata({ path: bob });
      root.add(RDF.terms.type, PIM.terms.Storage);
      await store.setRepresentation({ path: bob }, new BasicRepresentation([], root));
      await store.setRepresentation({ path: `${bob}full` }, new BasicRepresentation([ bytes(19_000) ], 'text/plain'));
      await quota.whileCheckedUpFront(POD, async(): Promise<void> => {
        await store.setRepresentation({ path: `${POD}restored` }, new BasicRepresentation([ bytes(25_000) ], 'text/plain'));
        await assertRefused(store.setRepresentation({ path: `${bob}more` }, withLength(bytes(2000), 'text/plain')),
          /^This pod uses 19.* of its 20 kB quota; this write needs .* more than is left\.$/u);
      });
      assert.equal(await quota.findOverrun(POD), `This pod uses ${formatBytes(await assertTracked())} of its 20 kB quota`);
      await assertRefused(store.setRepresentation({ path: `${POD}after` }, withLength(bytes(10), 'text/plain')), /nothing more fits/u);
    });

    it('refuses an archive that would not fit, naming the sizes.', async(): Promise<void> => {
      const used = await assertTracked();
      assert.equal(await quota.findExcess(POD, 19_000, 'restored'), undefined);
      assert.equal(await quota.findExcess(POD, 25_000, 'imported'),
        `Once imported, this pod would use 25 kB of its 20 kB quota (it uses ${formatBytes(used)} now)`);
      assert.equal(await new PodQuota(0).findExcess(POD, 25_000, 'imported'), undefined);
    });
  });
});
