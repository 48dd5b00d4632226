import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActivityEmitter, IdentifierGenerator } from '@solid/community-server';
import type { MoveActivity } from '../../../consent';
import { LocalLeaseKeeper } from '../../../pod-server/cluster/LocalLeaseKeeper';
import { LocalPodChangeTimes } from '../../../pod-server/cluster/LocalPodChangeTimes';
import type { MemberDirectory } from '../../../pod-server/members/MemberDirectory';
import { MoveRecords } from '../../../pod-server/portability/move/MoveRecords';
import { SnapshotScheduler } from '../../../pod-server/portability/snapshots/SnapshotScheduler';
import type { SnapshotStore } from '../../../pod-server/portability/snapshots/SnapshotStore';
import type { SnapshotTaker } from '../../../pod-server/portability/snapshots/SnapshotTaker';

const SERVER = 'http://localhost:3000/';

describe('SnapshotScheduler', (): void => {
  let state: string;

  beforeEach(async(): Promise<void> => {
    state = await mkdtemp(join(tmpdir(), 'fmp-scheduler-'));
  });

  afterEach(async(): Promise<void> => {
    await rm(state, { recursive: true, force: true });
  });

  it('snapshots every member, but not a pod that moved to another FMP (a pod being moved still is).', async(): Promise<void> => {
    const members = [ 'stays', 'moving', 'gone' ].map((name): { name: string; pod: string; webId: string } =>
      ({ name, pod: `${SERVER}${name}/`, webId: `${SERVER}${name}/profile/card#me` }));
    const moves = new MoveRecords(state, new LocalLeaseKeeper());
    const [ , moving, gone ] = members;
    await moves.save({ state: 'preparing', member: moving.name, fromPod: moving.pod, fromWebId: moving.webId,
      preparedAt: new Date().toISOString() });
    await moves.save({ state: 'moved', member: gone.name, fromPod: gone.pod, fromWebId: gone.webId,
      preparedAt: new Date().toISOString(), toPod: 'http://localhost:4000/gone/', toWebId: 'http://localhost:4000/gone/profile/card#me',
      movedAt: new Date().toISOString(), forwardUntil: new Date(Date.now() + 60_000).toISOString(), activity: {} as MoveActivity });
    const taken: string[] = [];
    const scheduler = new SnapshotScheduler(
      { listMembers: async(): Promise<typeof members> => members } as unknown as MemberDirectory,
      { take: async(name: string): Promise<void> => {
        taken.push(name);
      } } as unknown as SnapshotTaker,
      { list: async(): Promise<[]> => [] } as unknown as SnapshotStore,
      '1d', SERVER, {} as IdentifierGenerator, new EventEmitter() as unknown as ActivityEmitter, moves,
      new LocalLeaseKeeper(), new LocalPodChangeTimes(),
    );
    await scheduler.handle();
    try {
      await scheduler.runRound();
    } finally {
      await scheduler.stop();
    }
    assert.deepEqual(taken, [ 'stays', 'moving' ]);
  });
});
