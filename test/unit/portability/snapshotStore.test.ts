import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pack } from 'tar-stream';
import { LocalLeaseKeeper } from '../../../pod-server/cluster/LocalLeaseKeeper';
import type { ArchiveManifest } from '../../../pod-server/portability/archiveFormat';
import type { PodArchiveWriter } from '../../../pod-server/portability/PodArchiveWriter';
import type { SnapshotInfo } from '../../../pod-server/portability/snapshots/SnapshotStore';
import { SnapshotStore } from '../../../pod-server/portability/snapshots/SnapshotStore';
import { SnapshotTaker } from '../../../pod-server/portability/snapshots/SnapshotTaker';

const POD = { pod: 'http://localhost:3000/alice/', webId: 'http://localhost:3000/alice/profile/card#me', server: 'http://localhost:3000/' };

/** A writer whose archives hold one entry of `size` bytes (so each snapshot is a little over that). */
function fakeWriter(size: () => number): PodArchiveWriter {
  return {
    list: async(): Promise<[]> => [],
    write: async(_source: unknown, _resources: unknown, pack: Pack): Promise<ArchiveManifest> => {
      await new Promise<void>((resolve, reject): void => {
        pack.entry({ name: 'resources/x' }, Buffer.alloc(size()), (error): void => error ? reject(error) : resolve());
      });
      return { resourceCount: 1, exportedAt: new Date().toISOString() } as ArchiveManifest;
    },
  } as unknown as PodArchiveWriter;
}

async function caught(promise: Promise<unknown>): Promise<{ status?: number; message: string }> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as { status?: number; message: string };
  }
  throw new Error('expected a refusal');
}

describe('SnapshotStore and SnapshotTaker', (): void => {
  let state: string;
  let store: SnapshotStore;

  beforeEach(async(): Promise<void> => {
    state = await mkdtemp(join(tmpdir(), 'fmp-snapshots-'));
    store = new SnapshotStore(state);
  });

  afterEach(async(): Promise<void> => {
    await rm(state, { recursive: true, force: true });
  });

  it('makes ids that sort by time and checks them before touching the disk.', async(): Promise<void> => {
    const early = store.newId(new Date('2026-01-01T10:00:00.000Z'));
    const later = store.newId(new Date('2026-01-01T10:00:00.001Z'));
    assert.match(early, /^2026-01-01T10-00-00-000Z-[0-9a-f]{4}$/u);
    assert.ok(early < later);
    for (const bad of [ '../x', `${early}/../..`, `${early}.json`, '' ]) {
      assert.equal((await caught(store.get('alice', bad))).status, 400, bad);
    }
    assert.equal((await caught(store.get('alice', early))).status, 404);
    assert.equal((await caught(store.list('..'))).status, 400);
    assert.equal((await caught(store.list('a/b'))).status, 400);
  });

  it('adds, lists oldest first, counts usage and deletes.', async(): Promise<void> => {
    const ids = [ store.newId(new Date('2026-01-02T00:00:00Z')), store.newId(new Date('2026-01-01T00:00:00Z')) ];
    for (const id of ids) {
      const staged = await store.stagingFile('alice', id);
      await writeFile(staged, Buffer.alloc(100));
      await store.add('alice', staged, { id, takenAt: '2026-01-01T00:00:00.000Z', kind: 'manual', bytes: 100, resources: 3 });
    }
    assert.deepEqual((await store.list('alice')).map((info): string => info.id), [ ...ids ].sort());
    assert.equal(await store.usage('alice'), 200);
    await store.delete('alice', ids[0]);
    assert.deepEqual((await store.list('alice')).map((info): string => info.id), [ ids[1] ]);
    assert.deepEqual(await store.list('bob'), []);
  });

  it('refuses a manual snapshot over the quota (507, saying what is used) and keeps nothing of it.', async(): Promise<void> => {
    // Each archive: a 512-byte header, 3072 bytes of data (padded), 1024 bytes of end marker: 4608 bytes.
    const taker = new SnapshotTaker(fakeWriter((): number => 3000), store, 10_000, 7, new LocalLeaseKeeper());
    const first = await taker.take('alice', POD, 'manual');
    await taker.take('alice', POD, 'manual');
    const refusal = await caught(taker.take('alice', POD, 'manual'));
    assert.equal(refusal.status, 507);
    assert.match(refusal.message, /this snapshot \(0\.0 MB\) would bring alice's snapshots to 0\.0 MB, and this FMP allows 0\.0 MB per member \(0\.0 MB used\)\. Delete a snapshot with fmp snapshot delete alice <id>/u);
    assert.equal((await store.list('alice')).length, 2);
    assert.deepEqual(await readdir(join(state, 'snapshot-staging')), []);
    await store.delete('alice', first.id);
    await taker.take('alice', POD, 'manual');
    assert.equal((await store.list('alice')).length, 2);
  });

  it('keeps the newest scheduled snapshots, and makes room in the quota by dropping the oldest scheduled first.', async(): Promise<void> => {
    let size = 1000;
    // Archives of 2560 bytes (1000 of data), then 5120 (3500), then 11264 (9500).
    const taker = new SnapshotTaker(fakeWriter((): number => size), store, 12_000, 3, new LocalLeaseKeeper());
    const manual = await taker.take('alice', POD, 'manual');
    const scheduled: SnapshotInfo[] = [];
    for (let round = 0; round < 5; round += 1) {
      scheduled.push(await taker.take('alice', POD, 'scheduled'));
    }
    const ids = (): Promise<string[]> => store.list('alice').then((list): string[] => list.map((info): string => info.id));
    assert.deepEqual(await ids(), [ manual.id, ...scheduled.slice(-3).map((info): string => info.id) ]);
    // Bigger now: only one older scheduled snapshot still fits beside the manual one.
    size = 3500;
    const big = await taker.take('alice', POD, 'scheduled');
    assert.ok(await store.usage('alice') <= 12_000);
    assert.deepEqual(await ids(), [ manual.id, scheduled[4].id, big.id ]);
    // Larger than the quota allows beside the manual one: refused, nothing dropped.
    size = 9500;
    assert.equal((await caught(taker.take('alice', POD, 'scheduled'))).status, 507);
    assert.deepEqual(await ids(), [ manual.id, scheduled[4].id, big.id ]);
  });
});
