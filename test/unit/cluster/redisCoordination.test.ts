import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import type { ActivityEmitter, IdentifierGenerator } from '@solid/community-server';
import { ExpiringRedisLocker } from '../../../pod-server/cluster/ExpiringRedisLocker';
import { runExclusively } from '../../../pod-server/cluster/LeaseKeeper';
import { RedisConnection } from '../../../pod-server/cluster/RedisConnection';
import { RedisGrantGenerations } from '../../../pod-server/cluster/RedisGrantGenerations';
import { RedisLeaseKeeper } from '../../../pod-server/cluster/RedisLeaseKeeper';
import { RedisPodChangeTimes } from '../../../pod-server/cluster/RedisPodChangeTimes';
import { RedisPodSizeTotals } from '../../../pod-server/cluster/RedisPodSizeTotals';
import type { MemberDirectory } from '../../../pod-server/members/MemberDirectory';
import type { MoveRecords } from '../../../pod-server/portability/move/MoveRecords';
import { SnapshotScheduler } from '../../../pod-server/portability/snapshots/SnapshotScheduler';
import type { SnapshotStore } from '../../../pod-server/portability/snapshots/SnapshotStore';
import type { SnapshotTaker } from '../../../pod-server/portability/snapshots/SnapshotTaker';
import { RedisRateCounterStore } from '../../../pod-server/ratelimit/RedisRateCounterStore';
import { sleep } from '../../harness/eventually';
import { useTestRedis } from '../../harness/redisServer';

const BASE = 'http://localhost:3000/';

describe('Coordination of FMP processes through Redis', (): void => {
  const redis = useTestRedis(BASE);
  const connect = (baseUrl = BASE): RedisConnection => redis.connect(baseUrl);

  it('refuses a Redis setting that is not a redis:// URL, saying what it takes.', (): void => {
    assert.throws((): unknown => new RedisConnection('127.0.0.1:6379', BASE), /redis:\/\/ or rediss:\/\/ URL/u);
  });

  describe('ExpiringRedisLocker', (): void => {
    const resource = { path: `${BASE}alice/catalog/` };

    it('lets readers share a resource across processes and keeps a writer out until they are done.', async(): Promise<void> => {
      const first = new ExpiringRedisLocker(connect());
      const second = new ExpiringRedisLocker(connect());
      const order: string[] = [];
      let endRead!: () => void;
      const reading = first.withReadLock(resource, async(): Promise<void> => {
        order.push('read 1');
        await new Promise<void>((resolve): void => {
          endRead = resolve;
        });
        order.push('read 1 done');
      });
      await sleep(50);
      await second.withReadLock(resource, (): void => {
        order.push('read 2');
      });
      const writing = second.withWriteLock(resource, (): void => {
        order.push('write');
      });
      await sleep(100);
      endRead();
      await Promise.all([ reading, writing ]);
      assert.deepEqual(order, [ 'read 1', 'read 2', 'read 1 done', 'write' ]);
    });

    it('gives one writer at a time, in every process.', async(): Promise<void> => {
      const lockers = [ new ExpiringRedisLocker(connect()), new ExpiringRedisLocker(connect()) ];
      let inside = 0;
      let most = 0;
      await Promise.all(Array.from({ length: 20 }, async(unused, index): Promise<void> =>
        lockers[index % 2].withWriteLock(resource, async(): Promise<void> => {
          inside += 1;
          most = Math.max(most, inside);
          await sleep(5);
          inside -= 1;
        })));
      assert.equal(most, 1);
    });

    it('keeps a lock held longer than its TTL while its holder lives, and frees it soon after the holder dies.', async(): Promise<void> => {
      const dying = connect();
      const holder = new ExpiringRedisLocker(dying, 300);
      const other = new ExpiringRedisLocker(connect(), 300);
      let held = false;
      holder.withWriteLock(resource, async(): Promise<void> => {
        held = true;
        await new Promise((): void => undefined);
      }).catch((): void => undefined);
      await sleep(700);
      assert.equal(held, true);
      let got = false;
      const waiting = other.withWriteLock(resource, (): void => {
        got = true;
      });
      await sleep(300);
      assert.equal(got, false, 'the lock of a live holder was taken');
      dying.client.disconnect();
      await waiting;
      assert.equal(got, true);
    });
  });

  describe('RedisLeaseKeeper', (): void => {
    it('gives a lease to one process at a time, and to another once given up or once its holder died.', async(): Promise<void> => {
      const dying = connect();
      const first = new RedisLeaseKeeper(dying, 300);
      const second = new RedisLeaseKeeper(connect(), 300);
      const lease = await first.tryAcquire('import:alice');
      assert.ok(lease);
      assert.equal(await second.tryAcquire('import:alice'), undefined);
      assert.equal(await second.isHeld('import:alice'), true);
      await lease.release();
      const again = await second.tryAcquire('import:alice');
      assert.ok(again);
      await again.release();
      assert.ok(await first.tryAcquire('import:alice'));
      await sleep(700);
      assert.equal(await second.tryAcquire('import:alice'), undefined, 'a live holder lost its lease');
      dying.client.disconnect();
      await sleep(700);
      assert.ok(await second.tryAcquire('import:alice'));
    });

    it('runs work exclusively across processes (a shared file\'s writers).', async(): Promise<void> => {
      const keepers = [ new RedisLeaseKeeper(connect()), new RedisLeaseKeeper(connect()) ];
      let inside = 0;
      let most = 0;
      await Promise.all(Array.from({ length: 10 }, async(unused, index): Promise<void> =>
        runExclusively(keepers[index % 2], 'file:moves.json', async(): Promise<void> => {
          inside += 1;
          most = Math.max(most, inside);
          await sleep(5);
          inside -= 1;
        })));
      assert.equal(most, 1);
    });

    it('keeps the leases of two FMPs sharing one Redis apart.', async(): Promise<void> => {
      const one = new RedisLeaseKeeper(connect('http://one.example/'));
      const other = new RedisLeaseKeeper(connect('http://other.example/'));
      assert.ok(await one.tryAcquire('snapshot-schedule'));
      assert.ok(await other.tryAcquire('snapshot-schedule'));
    });
  });

  it('moves a pod\'s grant generation on for every process.', async(): Promise<void> => {
    const first = new RedisGrantGenerations(connect());
    const second = new RedisGrantGenerations(connect());
    const before = await second.current(`${BASE}alice/`);
    await first.advance(`${BASE}alice/`);
    assert.notEqual(await second.current(`${BASE}alice/`), before);
    assert.equal(await second.current(`${BASE}bob/`), before);
  });

  it('keeps pod totals for the quota that every process adds to, and forgets them when asked.', async(): Promise<void> => {
    const first = new RedisPodSizeTotals(connect());
    const second = new RedisPodSizeTotals(connect());
    const alice = `${BASE}alice/`;
    const containers = [ `${alice}notes/`, alice, BASE ];
    assert.equal(await second.findFirst(containers), undefined);
    assert.deepEqual(await first.addToKnown(containers, 100), [], 'an unknown total is not started by a change');
    await first.setIfUnknown(alice, 5_000);
    await second.setIfUnknown(alice, 1);
    assert.equal(await second.findFirst(containers), 5_000, 'the first walk counts');
    assert.deepEqual(await second.addToKnown(containers, 250), [ alice ]);
    assert.deepEqual(await first.addToKnown(containers, -50), [ alice ]);
    assert.equal(await first.findFirst(containers), 5_200);
    await second.forget(alice);
    assert.equal(await first.findFirst(containers), undefined);
  });

  it('counts rate-limited requests once for the whole FMP, and forgets the count when it expires.', async(): Promise<void> => {
    const first = new RedisRateCounterStore(connect());
    const second = new RedisRateCounterStore(connect());
    assert.equal((await first.increment('signup:10.0.0.1', 400)).value, 1);
    const counter = await second.increment('signup:10.0.0.1', 400);
    assert.equal(counter.value, 2);
    assert.ok(counter.expiresAt > Date.now() && counter.expiresAt <= Date.now() + 400);
    assert.equal((await first.get('signup:10.0.0.1'))?.value, 2);
    await sleep(500);
    assert.equal(await first.get('signup:10.0.0.1'), undefined);
    await second.set('login:alice', { value: 7, expiresAt: Date.now() + 1000 });
    assert.equal((await first.get('login:alice'))?.value, 7);
    await first.delete('login:alice');
    assert.equal(await second.get('login:alice'), undefined);
  });

  it('runs the snapshot schedule on one process only, which heard of changes made through any.', async(): Promise<void> => {
    const members = [ { name: 'alice', pod: `${BASE}alice/`, webId: `${BASE}alice/profile/card#me` } ];
    const taken: string[] = [];
    const takenAt: number[] = [];
    const makeScheduler = (connection: RedisConnection, emitter: EventEmitter): SnapshotScheduler => new SnapshotScheduler(
      { listMembers: async(): Promise<typeof members> => members } as unknown as MemberDirectory,
      // A snapshot takes a while: rounds of two processes at the same moment would both find alice unsnapshotted.
      { take: async(name: string): Promise<void> => {
        const start = Date.now();
        await sleep(300);
        taken.push(name);
        takenAt.push(start);
      } } as unknown as SnapshotTaker,
      { list: async(): Promise<{ takenAt: string }[]> => takenAt.map((time): { takenAt: string } =>
        ({ takenAt: new Date(time).toISOString() })) } as unknown as SnapshotStore,
      '1s', BASE, { extractPod: (): { path: string } => ({ path: members[0].pod }) } as unknown as IdentifierGenerator,
      emitter as unknown as ActivityEmitter, { find: async(): Promise<undefined> => undefined } as unknown as MoveRecords,
      new RedisLeaseKeeper(connection), new RedisPodChangeTimes(connection),
    );
    const emitters = [ new EventEmitter(), new EventEmitter() ];
    const schedulers = [ makeScheduler(connect(), emitters[0]), makeScheduler(connect(), emitters[1]) ];
    await Promise.all(schedulers.map(async(scheduler): Promise<void> => scheduler.handle()));
    try {
      await sleep(3500);
      // Three intervals on two processes: the first round snapshots alice, the others find her unchanged.
      assert.deepEqual(taken, [ 'alice' ]);
      // A change heard by either process (the one not leading, in one case of two) is snapshotted once.
      emitters[1].emit('changed', { path: `${BASE}alice/catalog/carrots` });
      await sleep(2500);
      assert.deepEqual(taken, [ 'alice', 'alice' ]);
    } finally {
      await Promise.all(schedulers.map(async(scheduler): Promise<void> => scheduler.stop()));
    }
  });
});
