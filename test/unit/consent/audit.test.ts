import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../../consent/audit/AuditEntry';
import { AuditLogWriter } from '../../../consent/audit/AuditLogWriter';
import { readAuditLog } from '../../../consent/audit/readAuditLog';
import { runExclusively } from '../../../pod-server/cluster/LeaseKeeper';
import { RedisConnection } from '../../../pod-server/cluster/RedisConnection';
import { RedisLeaseKeeper } from '../../../pod-server/cluster/RedisLeaseKeeper';
import type { TestRedis } from '../../harness/redisServer';
import { startTestRedis } from '../../harness/redisServer';
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
  describe('written by several FMP processes', (): void => {
    let redis: TestRedis;
    let folder: string;

    before(async(): Promise<void> => {
      redis = await startTestRedis();
    });

    after(async(): Promise<void> => {
      await redis.stop();
    });

    beforeEach(async(): Promise<void> => {
      folder = await fs.mkdtemp(join(tmpdir(), 'fmp-audit-shared-'));
    });

    afterEach(async(): Promise<void> => {
      await fs.rm(folder, { recursive: true, force: true });
    });

    it('neither interleaves nor loses entries, and keeps its size bound, when two processes append and rotate one log.', async(): Promise<void> => {
      const connections = [ new RedisConnection(redis.url, 'http://localhost/'), new RedisConnection(redis.url, 'http://localhost/') ];
      const writers = connections.map((connection): AuditLogWriter => {
        const leases = new RedisLeaseKeeper(connection);
        return new AuditLogWriter(folder, { maxFileBytes: 20_000, maxFiles: 100,
          exclusively: async<T>(work: () => Promise<T>): Promise<T> => runExclusively(leases, `file:${folder}`, work) });
      });
      for (let index = 0; index < 600; index += 1) {
        writers[index % 2].record(entry(index));
        if (index % 50 === 49) {
          await new Promise((resolve): NodeJS.Timeout => setTimeout(resolve, 1));
        }
      }
      await Promise.all(writers.map(async(writer): Promise<void> => writer.flush()));
      await Promise.all(connections.map(async(connection): Promise<void> => connection.close()));
      const files = await fs.readdir(folder);
      assert.ok(files.length > 3, `the log was not rotated: ${files.join(', ')}`);
      // Each rotated when it was full, counting what both processes wrote (the bound the log promises).
      for (const file of files) {
        const { size } = await fs.stat(join(folder, file));
        assert.ok(size <= 20_000, `${file} grew to ${size} bytes`);
      }
      const read = await readAuditLog(folder, { limit: 10_000 });
      assert.equal(read.length, 600);
      assert.deepEqual(new Set(read.map((found): string => found.resource)).size, 600);
    });
  });

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
