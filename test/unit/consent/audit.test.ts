import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../../consent/audit/AuditEntry';
import { AuditLogWriter } from '../../../consent/audit/AuditLogWriter';
import { readAuditLog } from '../../../consent/audit/readAuditLog';
import { BOB, NOW, POD } from './fixtures';

function entry(index: number): AuditEntry {
  return {
    time: new Date(NOW.getTime() + index * 1_000),
    grantee: BOB,
    client: 'https://market.example/id',
    resource: `${POD}catalog/item${index}`,
    access: 'read',
    grantId: `${POD}consent/g1`,
  };
}

describe('Audit log', (): void => {
  let folder: string;

  beforeEach(async(): Promise<void> => {
    folder = await fs.mkdtemp(join(tmpdir(), 'fmp-audit-'));
  });

  afterEach(async(): Promise<void> => {
    await fs.rm(folder, { recursive: true, force: true });
  });

  it('records without writing synchronously, then reads newest first.', async(): Promise<void> => {
    const log = new AuditLogWriter(folder);
    const first = entry(1);
    log.record(first);
    first.resource = 'changed after recording';
    log.record(entry(2));
    assert.deepEqual(await fs.readdir(folder), []);
    await log.flush();
    const entries = await readAuditLog(folder);
    assert.deepEqual(entries, [ entry(2), entry(1) ]);
  });

  it('stays within maxFiles × maxFileBytes with a few thousand entries.', async(): Promise<void> => {
    const maxFileBytes = 8 * 1024;
    const maxFiles = 3;
    const log = new AuditLogWriter(folder, { maxFileBytes, maxFiles });
    for (let index = 0; index < 4_000; index += 1) {
      log.record(entry(index));
      if (index % 1_000 === 999) {
        await log.flush();
      }
    }
    await log.flush();
    const files = await fs.readdir(folder);
    assert.deepEqual(files.sort(), [ 'access.1.log', 'access.2.log', 'access.log' ]);
    let total = 0;
    for (const file of files) {
      const { size } = await fs.stat(join(folder, file));
      assert.ok(size <= maxFileBytes, `${file} has ${size} bytes`);
      total += size;
    }
    assert.ok(total <= maxFiles * maxFileBytes);
    const entries = await readAuditLog(folder);
    assert.equal(entries[0].resource, `${POD}catalog/item3999`);
    const indexes = entries.map((found): number => Number(/item(\d+)$/u.exec(found.resource)![1]));
    assert.deepEqual(indexes, [ ...indexes ].sort((a, b): number => b - a));
    assert.equal(indexes[indexes.length - 1], 4_000 - entries.length);
    assert.equal(log.dropped, 0);
    assert.equal((await readAuditLog(folder, { limit: 5 })).length, 5);
  });

  it('drops instead of growing memory when the queue is full.', async(): Promise<void> => {
    const log = new AuditLogWriter(folder, { maxQueue: 10 });
    for (let index = 0; index < 15; index += 1) {
      log.record(entry(index));
    }
    await log.flush();
    assert.equal(log.dropped, 5);
    assert.equal((await readAuditLog(folder)).length, 10);
  });

  it('reports write failures instead of throwing, and skips damaged lines when reading.', async(): Promise<void> => {
    const errors: unknown[] = [];
    const blocked = join(folder, 'file-not-folder');
    await fs.writeFile(blocked, '');
    const log = new AuditLogWriter(blocked, { onError: (error): number => errors.push(error) });
    log.record(entry(1));
    await log.flush();
    assert.equal(errors.length, 1);
    assert.equal(log.dropped, 1);
    await fs.writeFile(join(folder, 'access.log'), `${JSON.stringify({ ...entry(1), time: NOW })}\n{"time": "cut sho`);
    assert.equal((await readAuditLog(folder)).length, 1);
    assert.deepEqual(await readAuditLog(join(folder, 'missing')), []);
  });
});
