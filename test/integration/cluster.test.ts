import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsentApi } from '../../src/client/ConsentApi';
import { describeAccessMatrix } from '../harness/accessMatrix';
import { runFmp } from '../harness/cli';
import type { ClusterShape, TestCluster } from '../harness/cluster';
import { startTestCluster } from '../harness/cluster';
import { eventually, sleep } from '../harness/eventually';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import type { TestRedis } from '../harness/redisServer';
import { startTestRedis } from '../harness/redisServer';
import { getSharedServer } from '../harness/servers';

const TURTLE = { 'content-type': 'text/turtle' };
/** Scheduled snapshots this often, so a test can watch a few rounds. */
const SNAPSHOT_INTERVAL_S = 4;
/** A pod quota small enough for a test to reach. */
const POD_QUOTA = 400_000;

const SHAPES: [string, ClusterShape][] = [
  [ 'two FMP processes behind a round-robin proxy', { processes: 2 }],
  [ 'one FMP server with --workers 2', { workers: 2 }],
];

/** The resources a container lists. */
async function listedIn(fetchFn: typeof fetch, container: string): Promise<string[]> {
  const response = await fetchFn(container, { headers: { accept: 'text/turtle' }});
  assert.equal(response.status, 200, `listing ${container}`);
  const turtle = await response.text();
  return [ ...new Set([ ...turtle.matchAll(/<([^>]+)>/gu) ].map((match): string => new URL(match[1], container).href)
    .filter((url): boolean => url.startsWith(container) && url !== container)) ];
}

function authOf(member: TestMember, server: string): string[] {
  return [ '--server', server, '--client-id', member.clientId, '--client-secret', member.clientSecret ];
}

describe('Several FMP processes on one data folder and one Redis act as one FMP', function(this: Mocha.Suite): void {
  this.timeout(300_000);
  let redis: TestRedis;

  before(async(): Promise<void> => {
    redis = await startTestRedis();
  });

  after(async(): Promise<void> => {
    await redis?.stop();
  });

  for (const [ label, shape ] of SHAPES) {
    describe(label, (): void => {
      let cluster: TestCluster;
      let owner: TestMember;
      let grantee: TestMember;

      before(async(): Promise<void> => {
        cluster = await startTestCluster(redis, shape, [ '--snapshot-interval', `${SNAPSHOT_INTERVAL_S}s`,
          '--pod-quota', String(POD_QUOTA) ]);
        owner = await createTestMember(cluster.baseUrl, uniqueName('owner'));
        grantee = await createTestMember(cluster.baseUrl, uniqueName('grantee'));
      });

      after(async(): Promise<void> => {
        await cluster?.destroy();
      });

      // The one-process FMP of the other suites is the peer FMP.
      describeAccessMatrix(`the access matrix holds (${label})`, async(): Promise<{ fmpA: TestCluster;
        fmpB: { baseUrl: string }; stop: () => Promise<void>; }> =>
        ({ fmpA: cluster, fmpB: await getSharedServer(), stop: async(): Promise<void> => undefined }));

      describe('with every process running', (): void => {
        it('a grant given or revoked through one process counts on the other from the very next request.', async(): Promise<void> => {
          const item = `${owner.pod}shared/price-list`;
          assert.equal((await owner.fetch(item, { method: 'PUT', headers: TURTLE, body: '<#p> <http://schema.org/price> "3".' })).ok, true);
          const consent = new ConsentApi(cluster.baseUrl, owner.name, owner.fetch);
          let crossed = 0;
          for (let round = 0; round < 6; round += 1) {
            const { grant } = await consent.createGrant({ grantee: { webId: grantee.webId }, scope: [ 'shared/' ], modes: [ 'read' ],
              purpose: 'co-op price list', duration: '1h' });
            const givenOn = cluster.proxy.history.at(-1);
            const first = await grantee.fetch(item);
            await first.arrayBuffer();
            assert.equal(first.status, 200, `round ${round}: the grant did not count on the next request`);
            const second = await grantee.fetch(item);
            await second.arrayBuffer();
            assert.equal(second.status, 200, `round ${round}: the grant did not count on the other process`);
            await consent.revokeGrant(grant.id);
            const revokedOn = cluster.proxy.history.at(-1);
            const next = await grantee.fetch(item);
            await next.arrayBuffer();
            const readOn = cluster.proxy.history.at(-1);
            assert.equal(next.status, 403, `round ${round}: a revoked grant was served on the next request`);
            const after = await grantee.fetch(item);
            await after.arrayBuffer();
            assert.equal(after.status, 403, `round ${round}: a revoked grant was served later`);
            if (givenOn !== undefined && revokedOn !== readOn) {
              crossed += 1;
            }
          }
          if ('processes' in shape) {
            assert.ok(crossed > 0, 'no revocation was followed by a read on the other process');
          }
        });

        it('40 parallel writes into one container through every process are all acknowledged, listed and readable.',
          async(): Promise<void> => {
            const container = `${owner.pod}parallel/`;
            assert.ok((await owner.fetch(container, { method: 'PUT', headers: TURTLE })).ok);
            const answeredBefore = [ ...cluster.proxy.answered ];
            const written = await Promise.all(Array.from({ length: 40 }, async(unused, index): Promise<string> => {
              const body = `<#item> <http://schema.org/name> "item ${index}".`;
              const response = index % 2 === 0 ?
                await owner.fetch(`${container}item-${index}`, { method: 'PUT', headers: TURTLE, body }) :
                await owner.fetch(container, { method: 'POST', headers: { ...TURTLE, slug: `item-${index}` }, body });
              await response.arrayBuffer();
              assert.ok(response.status === 201 || response.status === 205, `write ${index}: ${response.status}`);
              return response.headers.get('location') ?? `${container}item-${index}`;
            }));
            if ('processes' in shape) {
              assert.ok(cluster.proxy.answered.every((count, index): boolean => count - answeredBefore[index] >= 15),
                `the writes did not reach both processes: ${cluster.proxy.answered.join(', ')}`);
            }
            assert.deepEqual((await listedIn(owner.fetch, container)).sort(), [ ...written ].sort());
            for (const [ index, url ] of written.entries()) {
              const response = await owner.fetch(url);
              assert.equal(response.status, 200);
              assert.match(await response.text(), new RegExp(`"item ${index}"`, 'u'));
            }
          });

        it('export, import, snapshot, restore and move work through the one URL.', async(): Promise<void> => {
          const folder = await mkdtemp(join(tmpdir(), 'fmp-cluster-cli-'));
          try {
            const member = await createTestMember(cluster.baseUrl, uniqueName('mover'));
            for (let index = 0; index < 10; index += 1) {
              const put = await member.fetch(`${member.pod}catalog/product-${index}`, { method: 'PUT', headers: TURTLE,
                body: `<#p> <http://schema.org/name> "product ${index}".` });
              assert.ok(put.ok);
            }
            const file = join(folder, 'pod.tar');
            const exported = await runFmp([ 'export', member.name, '-o', file, '--json', ...authOf(member, cluster.baseUrl) ]);
            assert.equal(exported.code, 0, exported.stderr);
            const { resources } = JSON.parse(exported.stdout) as { resources: number };

            const target = await createTestMember(cluster.baseUrl, uniqueName('imported'));
            const imported = await runFmp([ 'import', target.name, file, ...authOf(target, cluster.baseUrl) ]);
            assert.equal(imported.code, 0, imported.stderr);
            assert.match(imported.stdout, new RegExp(`^Imported ${member.pod} into ${target.pod}: ${resources} resources`, 'u'));
            assert.equal((await listedIn(target.fetch, `${target.pod}catalog/`)).length, 10);

            const taken = await runFmp([ 'snapshot', member.name, '--json', ...authOf(member, cluster.baseUrl) ]);
            assert.equal(taken.code, 0, taken.stderr);
            const snapshot = JSON.parse(taken.stdout) as { id: string };
            assert.equal((await member.fetch(`${member.pod}catalog/product-0`, { method: 'DELETE' })).status, 205);
            // By its id: a scheduled snapshot may have been taken since.
            const restored = await runFmp([ 'restore', member.name, snapshot.id, ...authOf(member, cluster.baseUrl) ]);
            assert.equal(restored.code, 0, restored.stderr);
            assert.match(restored.stdout, /^Restored .*: 0 removed, 1 restored/u);
            for (let read = 0; read < 2; read += 1) {
              assert.equal((await member.fetch(`${member.pod}catalog/product-0`)).status, 200, 'restored on every process');
            }

            const newFmp = await getSharedServer();
            const moved = await runFmp([ 'move', member.name, '--to', newFmp.baseUrl, '--server', cluster.baseUrl, '--email',
              member.email, '--password', member.password, '--json' ], { FMP_CONFIG_DIR: folder });
            assert.equal(moved.code, 0, moved.stderr);
            const newPod = new URL(`${member.name}/`, newFmp.baseUrl).href;
            // Every process forwards the old URLs.
            for (let read = 0; read < 4; read += 1) {
              const forwarded = await fetch(`${member.pod}catalog/product-1`, { redirect: 'manual' });
              assert.equal(forwarded.status, 308, `read ${read} through the old URL`);
              assert.equal(forwarded.headers.get('location'), `${newPod}catalog/product-1`);
            }
          } finally {
            await rm(folder, { recursive: true, force: true });
          }
        });

        it('sends webhooks for writes through every process, and offers no websockets (their sockets live in one process).',
          async(): Promise<void> => {
            const received: string[] = [];
            const receiver = createServer((incoming, outgoing): void => {
              let body = '';
              incoming.on('data', (chunk: Buffer): void => {
                body += chunk.toString();
              });
              incoming.on('end', (): void => {
                received.push(body);
                outgoing.writeHead(200).end();
              });
            });
            await new Promise<void>((resolve): void => {
              receiver.listen(0, '127.0.0.1', resolve);
            });
            try {
              const container = `${owner.pod}hooked/`;
              assert.ok((await owner.fetch(container, { method: 'PUT', headers: TURTLE })).ok);
              const subscribed = await owner.fetch(new URL('.notifications/WebhookChannel2023/', cluster.baseUrl), {
                method: 'POST',
                headers: { 'content-type': 'application/ld+json' },
                body: JSON.stringify({ '@context': [ 'https://www.w3.org/ns/solid/notification/v1' ],
                  type: 'http://www.w3.org/ns/solid/notifications#WebhookChannel2023', topic: container,
                  sendTo: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` }),
              });
              assert.equal(subscribed.status, 200, await subscribed.text());
              const written = Array.from({ length: 6 }, (unused, index): string => `${container}note-${index}`);
              for (const url of written) {
                assert.ok((await owner.fetch(url, { method: 'PUT', headers: TURTLE, body: '<#a> <#b> <#c>.' })).ok);
              }
              await eventually('a notification for every write', (): boolean =>
                written.every((url): boolean => received.some((body): boolean => body.includes(url))), 30_000);
              const description = await (await fetch(`${owner.pod}.well-known/solid`)).text();
              assert.match(description, /WebhookChannel2023/u);
              assert.doesNotMatch(description, /WebSocketChannel2023/u);
              const websocket = await owner.fetch(new URL('.notifications/WebSocketChannel2023/', cluster.baseUrl), {
                method: 'POST',
                headers: { 'content-type': 'application/ld+json' },
                body: JSON.stringify({ '@context': [ 'https://www.w3.org/ns/solid/notification/v1' ],
                  type: 'http://www.w3.org/ns/solid/notifications#WebSocketChannel2023', topic: container }),
              });
              await websocket.arrayBuffer();
              assert.ok(websocket.status >= 400, `a websocket channel was offered: ${websocket.status}`);
            } finally {
              receiver.closeAllConnections();
              await new Promise((resolve): unknown => receiver.close(resolve));
            }
          });

        it('holds the pod quota for the whole FMP, counting the writes of every process.', async(): Promise<void> => {
          const member = await createTestMember(cluster.baseUrl, uniqueName('quota'));
          const document = `<#doc> <http://schema.org/text> "${'x'.repeat(50_000)}".`;
          let accepted = 0;
          let refused = '';
          for (let index = 0; index < 12 && !refused; index += 1) {
            const response = await member.fetch(`${member.pod}notes/big-${index}`, { method: 'PUT', headers: TURTLE, body: document });
            const text = await response.text();
            if (response.status === 413) {
              refused = text;
            } else {
              assert.equal(response.status, 201, text);
              accepted += 1;
            }
          }
          assert.match(refused, /quota/u, 'no write was refused');
          // Each process counting only its own writes would take nearly twice as many.
          assert.ok(accepted * 50_000 <= POD_QUOTA, `${accepted} documents of 50 kB were accepted into a ${POD_QUOTA}-byte pod`);
          assert.ok(accepted >= 5, `only ${accepted} documents of 50 kB fit`);
        });

        it('takes a scheduled snapshot once per pod per interval for the whole FMP.', async(): Promise<void> => {
          const member = await createTestMember(cluster.baseUrl, uniqueName('scheduled'));
          assert.ok((await member.fetch(`${member.pod}notes/one`, { method: 'PUT', headers: TURTLE, body: '<#a> <#b> <#c>.' })).ok);
          const scheduled = async(): Promise<number> => {
            const response = await member.fetch(new URL(`.fmp/snapshots/${member.name}`, cluster.baseUrl));
            assert.equal(response.status, 200);
            const { snapshots } = await response.json() as { snapshots: { kind: string }[] };
            return snapshots.filter((snapshot): boolean => snapshot.kind === 'scheduled').length;
          };
          await eventually('a scheduled snapshot', async(): Promise<boolean> => await scheduled() >= 1, 4 * SNAPSHOT_INTERVAL_S * 1000);
          // Three more intervals without a change: still one (each process scheduling on its own would make two or more).
          await sleep(3 * SNAPSHOT_INTERVAL_S * 1000);
          assert.equal(await scheduled(), 1);
        });

      });

      // Last: it kills a process.
      describe('when a process dies', (): void => {
        it('a process SIGKILLed mid-load loses no acknowledged write, and the other keeps serving.', async(): Promise<void> => {
          const container = `${owner.pod}load/`;
          const acknowledged = new Map<string, string>();
          let killed = false;
          const victim = (await cluster.pids())[0];
          const writeOne = async(index: number): Promise<void> => {
            const url = `${container}entry-${index}`;
            const body = `<#e> <http://schema.org/name> "entry ${index}".`;
            try {
              const response = await owner.fetch(url, { method: 'PUT', headers: TURTLE, body });
              await response.arrayBuffer();
              if (response.status === 201 || response.status === 205) {
                acknowledged.set(url, body);
              } else {
                assert.ok(killed && response.status >= 500, `write ${index} answered ${response.status} with both processes alive`);
              }
            } catch (error: unknown) {
              assert.ok(killed, `write ${index} failed with both processes alive: ${(error as Error).message}`);
            }
          };
          let next = 0;
          await Promise.all(Array.from({ length: 4 }, async(): Promise<void> => {
            while (next < 80) {
              const index = next;
              next += 1;
              if (index === 30) {
                killed = true;
                process.kill(victim, 'SIGKILL');
              }
              await writeOne(index);
            }
          }));
          assert.ok(acknowledged.size >= 40, `only ${acknowledged.size} of 80 writes were acknowledged`);
          // The survivor serves: new writes and reads succeed (within the lapse of the dead process's locks).
          for (let index = 80; index < 90; index += 1) {
            const response = await owner.fetch(`${container}entry-${index}`, { method: 'PUT', headers: TURTLE, body: '<#a> <#b> <#c>.' });
            await response.arrayBuffer();
            assert.equal(response.status, 201, `write ${index} after the kill`);
          }
          for (const [ url, body ] of acknowledged) {
            const response = await owner.fetch(url);
            assert.equal(response.status, 200, `acknowledged ${url} was lost`);
            assert.match(await response.text(), new RegExp(body.match(/"entry \d+"/u)![0], 'u'));
          }
          assert.deepEqual((await cluster.pids()).includes(victim), false);
        });
      });
    });
  }
});
