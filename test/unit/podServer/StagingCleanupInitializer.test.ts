import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalLeaseKeeper } from '../../../pod-server/cluster/LocalLeaseKeeper';
import type { LeaseKeeper } from '../../../pod-server/cluster/LeaseKeeper';
import { StagingCleanupInitializer } from '../../../pod-server/portability/StagingCleanupInitializer';

describe('StagingCleanupInitializer', (): void => {
  let state: string;

  beforeEach(async(): Promise<void> => {
    state = await mkdtemp(join(tmpdir(), 'fmp-state-'));
  });

  afterEach(async(): Promise<void> => {
    await rm(state, { recursive: true, force: true });
  });

  it('removes leftover staging folders and leaves the rest of the state alone.', async(): Promise<void> => {
    await mkdir(join(state, 'export-staging'));
    await writeFile(join(state, 'export-staging', 'half.nq'), '<a> <b> <c> .');
    await writeFile(join(state, 'operator-token'), 'secret');
    await new StagingCleanupInitializer(state, [ 'export-staging', 'import-staging' ], new LocalLeaseKeeper()).handle();
    assert.deepEqual(await readdir(state), [ 'operator-token' ]);
  });

  it('on a data folder shared with other processes, removes only what nobody touched for a day.', async(): Promise<void> => {
    await mkdir(join(state, 'import-staging', 'alice-running'), { recursive: true });
    await mkdir(join(state, 'import-staging', 'bob-abandoned'), { recursive: true });
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3_600_000);
    await utimes(join(state, 'import-staging', 'bob-abandoned'), twoDaysAgo, twoDaysAgo);
    const shared = { ...new LocalLeaseKeeper(), sharedWithOtherProcesses: true } as unknown as LeaseKeeper;
    await new StagingCleanupInitializer(state, [ 'export-staging', 'import-staging' ], shared).handle();
    assert.deepEqual(await readdir(join(state, 'import-staging')), [ 'alice-running' ]);
  });
});
