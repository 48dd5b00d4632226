import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MoveJobs } from '../../../src/webapp/MoveJobs';

const WEB_ID = 'http://localhost:3000/greenacres/profile/card#me';

describe('MoveJobs', (): void => {
  let folder: string;

  beforeEach(async(): Promise<void> => {
    folder = await mkdtemp(join(tmpdir(), 'fmp-move-jobs-'));
  });

  afterEach(async(): Promise<void> => {
    await rm(folder, { recursive: true, force: true });
  });

  it('shows the progress one process writes to any other process on the same state folder.', async(): Promise<void> => {
    const running = new MoveJobs(folder);
    await running.save(WEB_ID, { steps: [ 'Copying your pod' ], progress: '40 / 120' });
    const other = new MoveJobs(folder);
    assert.deepEqual({ ...await other.get(WEB_ID), updatedAt: undefined },
      { steps: [ 'Copying your pod' ], progress: '40 / 120', updatedAt: undefined });
    await running.save(WEB_ID, { steps: [ 'Copying your pod', 'Done' ], done: { pod: 'http://b/greenacres/', webId: 'http://b/x#me' }});
    assert.deepEqual((await other.get(WEB_ID))?.done, { pod: 'http://b/greenacres/', webId: 'http://b/x#me' });
    assert.equal(await other.get('http://localhost:3000/other/profile/card#me'), undefined);
  });

  it('reports a move whose process fell silent for ten minutes as interrupted, and a finished one never.', async(): Promise<void> => {
    const jobs = new MoveJobs(folder);
    await jobs.save(WEB_ID, { steps: [ 'Copying your pod' ]});
    assert.equal((await jobs.get(WEB_ID, Date.now() + 9 * 60_000))?.interrupted, undefined);
    assert.equal((await jobs.get(WEB_ID, Date.now() + 11 * 60_000))?.interrupted, true);
    await jobs.save(WEB_ID, { steps: [ 'Copying your pod' ], error: 'the other FMP refused the login' });
    assert.equal((await jobs.get(WEB_ID, Date.now() + 11 * 60_000))?.interrupted, undefined);
  });
});
