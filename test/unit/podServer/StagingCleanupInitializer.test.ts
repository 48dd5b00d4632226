import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    await new StagingCleanupInitializer(state, [ 'export-staging', 'import-staging' ]).handle();
    assert.deepEqual(await readdir(state), [ 'operator-token' ]);
  });
});
