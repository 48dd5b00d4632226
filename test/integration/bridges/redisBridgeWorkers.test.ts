import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BridgeStatus } from '../../../bridges/runtime/BridgeService';
import { saveProduct } from '../../../shapes/access/products';
import { generateProducts } from '../../../shapes/demo/catalogData';
import type { FakeProduct } from '../../fakes/shopify/ShopifyFakeStore';
import { ShopifyFake } from '../../fakes/shopify/ShopifyFake';
import { spawnBridgeWorker } from '../../harness/bridgeWorkerProcess';
import { runFmp } from '../../harness/cli';
import { eventually } from '../../harness/eventually';
import { getFreePort } from '../../harness/freePort';
import { createTestMember, uniqueName } from '../../harness/members';
import type { TestRedis } from '../../harness/redisServer';
import { startTestRedis } from '../../harness/redisServer';
import type { TestServer } from '../../harness/servers';
import { startTestServer } from '../../harness/servers';

const SECRET = 'whsec-test-secret';

/** A bridge worker process and what it said it sent. */
interface RunningWorker {
  readonly child: ChildProcess;
  readonly sent: string[];
}

describe('Two bridge workers on one Redis and one data folder', function(this: Mocha.Suite): void {
  this.timeout(240_000);
  let redis: TestRedis;
  let fmp: TestServer;
  let fake: ShopifyFake;
  let folder: string;
  let relayed: RunningWorker;
  let other: RunningWorker | undefined;
  let relayedPort: number;

  function startWorker(port: number): RunningWorker {
    const child = spawnBridgeWorker(fmp.baseUrl, folder, port, [ '--redis', redis.url, '--lease', '2s', '--log-level', 'info' ]);
    const sent: string[] = [];
    child.stderr!.on('data', (chunk: Buffer): void => {
      sent.push(...chunk.toString().split('\n').filter((line): boolean => / sent .* as gid:/u.test(line)));
    });
    return { child, sent };
  }

  async function killed(worker: RunningWorker): Promise<void> {
    const exit = new Promise((resolve): void => {
      worker.child.once('exit', resolve);
    });
    worker.child.kill('SIGKILL');
    await exit;
  }

  function productsWithHandle(handle: string): FakeProduct[] {
    return [ ...fake.store.products.values() ].filter((product): boolean => product.handle === handle);
  }

  before(async(): Promise<void> => {
    redis = await startTestRedis();
    folder = await mkdtemp(join(tmpdir(), 'fmp-bridge-workers-'));
    relayedPort = await getFreePort();
    fake = await new ShopifyFake({ currencyCode: 'EUR' }).start();
    // The FMP relays webhooks and notifications to one of them; both work the queue.
    fmp = await startTestServer(undefined, undefined, { bridgeWorkerUrl: `http://127.0.0.1:${relayedPort}/` });
  });

  after(async(): Promise<void> => {
    for (const worker of [ relayed, other ]) {
      worker?.child.kill('SIGKILL');
    }
    await fmp?.destroy();
    await fake?.stop();
    await redis?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('sends each of 40 products once, and the survivor finishes when the other is killed mid-sync.', async(): Promise<void> => {
    const member = await createTestMember(fmp.baseUrl, uniqueName('twoworkers'));
    const auth = [ '--server', fmp.baseUrl, '--client-id', member.clientId, '--client-secret', member.clientSecret ];
    const products = generateProducts(40);
    for (const product of products) {
      await saveProduct(member.pod, product, { fetch: member.fetch });
    }
    // Started together on an empty data folder: they must agree on one identity per bridge.
    relayed = startWorker(relayedPort);
    other = startWorker(await getFreePort());
    fake.setWebhookTarget(new URL(`.fmp/bridges/shopify/webhooks/${member.name}`, fmp.baseUrl).href, SECRET);
    await eventually('the workers to connect the member', async(): Promise<boolean> => {
      const result = await runFmp([ 'bridge', 'shopify', 'connect', member.name, '--shop', fake.url, '--token', fake.accessToken,
        '--webhook-secret', SECRET, ...auth ]);
      return result.code === 0;
    }, 60_000);
    assert.deepEqual(await readdir(join(folder, 'bridges', 'shopify')), [ 'identity.json', `${member.name}.json` ].sort(),
      'one identity, one connection');

    await eventually('both workers to send products', (): boolean =>
      relayed.sent.length > 0 && other!.sent.length > 0 && fake.applied('productSet').length >= 8, 60_000);
    await killed(other);
    const sentBeforeKill = fake.applied('productSet').length;
    assert.ok(sentBeforeKill < products.length, `the kill came too late to test anything (${sentBeforeKill} sent)`);

    await eventually('every product in Shopify', (): boolean =>
      products.every((product): boolean => productsWithHandle(product.slug).length >= 1), 120_000);
    const status = await eventually('the queue to be empty', async(): Promise<BridgeStatus | undefined> => {
      const result = await runFmp([ 'bridge', 'shopify', 'status', member.name, '--json', ...auth ]);
      const parsed = JSON.parse(result.stdout) as BridgeStatus;
      return parsed.queue === 0 ? parsed : undefined;
    }, 60_000);
    assert.deepEqual(status.deadLetters, []);
    for (const product of products) {
      assert.equal(productsWithHandle(product.slug).length, 1, `${product.slug} is in Shopify once`);
    }
    assert.equal(fake.store.products.size, products.length);
  });
});
