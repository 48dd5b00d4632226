import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { Connection } from '../../../../bridges/runtime/Connection';
import type { Link } from '../../../../bridges/runtime/LinkTable';
import { linksToTurtle, parseLinks } from '../../../../bridges/runtime/LinkTable';
import { RedisLinkCache } from '../../../../bridges/runtime/RedisLinkCache';
import { RedisMutex } from '../../../../bridges/runtime/RedisMutex';
import { sleep } from '../../../harness/eventually';
import type { TestRedis } from '../../../harness/redisServer';
import { startTestRedis } from '../../../harness/redisServer';

function link(resource: string, targetId: string, syncedAt = '2026-01-01T00:00:00.000Z'): Link {
  return { resource, targetId, hash: `hash-${targetId}`, syncedAt };
}

describe('Bridge state shared on Redis', function(this: Mocha.Suite): void {
  this.timeout(30_000);
  let redis: TestRedis;
  let server: Server;
  let podTable: string | undefined;
  let puts = 0;
  let connection: Connection;
  const clients: Redis[] = [];

  function client(): Redis {
    const made = new Redis(redis.url, { maxRetriesPerRequest: null });
    clients.push(made);
    return made;
  }

  before(async(): Promise<void> => {
    redis = await startTestRedis();
    // A pod holding one link table document, as the bridge reads and writes it.
    server = createServer((request, response): void => {
      let body = '';
      request.on('data', (chunk: Buffer): void => {
        body += chunk.toString();
      });
      request.on('end', (): void => {
        if (request.method === 'PUT') {
          podTable = body;
          puts += 1;
          response.writeHead(205).end();
        } else if (podTable === undefined) {
          response.writeHead(404).end();
        } else {
          response.writeHead(200, { 'content-type': 'text/turtle' }).end(podTable);
        }
      });
    });
    await new Promise<void>((resolve): void => {
      server.listen(0, '127.0.0.1', resolve);
    });
    const pod = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alice/`;
    connection = { target: 'shopify', member: 'alice', pod, memberWebId: `${pod}profile/card#me`, grant: { id: 'g', validUntil: '2099-01-01' },
      settings: {}, subscriptions: {}, seenWebhookIds: [], connectedAt: '2026-01-01T00:00:00.000Z' };
  });

  after(async(): Promise<void> => {
    for (const made of clients) {
      await made.quit();
    }
    server?.close();
    await redis?.stop();
  });

  it('lets one holder of a lock work at a time, across connections, and frees a dead holder\'s lock after its time.', async(): Promise<void> => {
    const first = new RedisMutex(client(), 'test:lock:', 1_000);
    const second = new RedisMutex(client(), 'test:lock:', 1_000);
    let inside = 0;
    let most = 0;
    const work = async(): Promise<void> => {
      inside += 1;
      most = Math.max(most, inside);
      await sleep(20);
      inside -= 1;
    };
    await Promise.all(Array.from({ length: 10 }, async(_, index): Promise<void> =>
      (index % 2 === 0 ? first : second).withLock('connection:alice', work)));
    assert.equal(most, 1);
    // A holder that died: its key stays until its time is up, then another takes the lock.
    await client().set('test:lock:dead', 'someone-gone', 'PX', 1_000);
    const start = Date.now();
    await second.withLock('dead', async(): Promise<void> => undefined);
    assert.ok(Date.now() - start >= 800, `waited ${Date.now() - start} ms`);
  });

  it('shares links between workers: one sees what another linked, and the pod gets the whole table.', async(): Promise<void> => {
    podTable = linksToTurtle([ link(`${connection.pod}catalog/old`, 'gid://shopify/Product/1') ], 'http://x/links');
    const fetchFn = fetch;
    const one = new RedisLinkCache(client(), new RedisMutex(clients[0]), fetchFn, 0);
    const other = new RedisLinkCache(client(), new RedisMutex(clients[1]), fetchFn, 0);
    assert.deepEqual([ ...(await one.linksOf(connection)).keys() ], [ `${connection.pod}catalog/old` ], 'read from the pod');
    await one.set(connection, link(`${connection.pod}catalog/a`, 'gid://shopify/Product/2'));
    await other.set(connection, link(`${connection.pod}catalog/b`, 'gid://shopify/Product/3'));
    assert.equal((await other.find(connection, { targetId: 'gid://shopify/Product/2' }))?.resource, `${connection.pod}catalog/a`);
    await other.delete(connection, `${connection.pod}catalog/old`);
    await one.save(Date.now(), true);
    const saved = parseLinks(podTable!, `${connection.pod}bridges/shopify/links`);
    assert.deepEqual([ ...saved.keys() ].sort(), [ `${connection.pod}catalog/a`, `${connection.pod}catalog/b` ],
      'one worker\'s save holds the other\'s links too');

    // A table restored in the pod with a newer sync of a resource wins over the older one in Redis.
    podTable = linksToTurtle([ link(`${connection.pod}catalog/a`, 'gid://shopify/Product/9', '2027-01-01T00:00:00.000Z') ], 'http://x/links');
    await other.refresh(connection);
    assert.equal((await one.linksOf(connection)).get(`${connection.pod}catalog/a`)?.targetId, 'gid://shopify/Product/9');
    const putsBefore = puts;
    await other.save(Date.now(), true);
    assert.equal(puts, putsBefore + 1, 'what the pod lacked (catalog/b) is written back');
    await one.forget(connection);
    assert.deepEqual([ ...(await other.linksOf(connection)).keys() ].sort(), [ `${connection.pod}catalog/a`, `${connection.pod}catalog/b` ].sort(),
      'forgotten links are read from the pod again');
  });
});
