import { productToProductSetInput } from '../../bridges/shopify/mapping';
import { ShopifyClient } from '../../bridges/shopify/ShopifyClient';
import { saveProduct } from '../../shapes/access/products';
import { generateProducts } from '../../shapes/demo/catalogData';
import { BridgeApi } from '../../src/client/BridgeApi';
import { ConsentApi } from '../../src/client/ConsentApi';
import type { FakeProduct } from '../fakes/shopify/ShopifyFakeStore';
import { ShopifyFake } from '../fakes/shopify/ShopifyFake';
import { createTestMember } from '../harness/members';
import { startTestServer } from '../harness/servers';
import { fixed, importGeneratedProducts, median } from './benchUtil';
import { sleep } from '../harness/eventually';

const SECRET = 'bench-secret';


function percentile(values: number[], fraction: number): number {
  const sorted = [ ...values ].sort((left, right): number => left - right);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

/**
 * The Shopify bridge end to end, on a real FMP and the Shopify fake: how long a pod write takes to reach Shopify
 * (against the pod write alone), and a first sync of a 1,000-product catalog (against the same products sent to the
 * fake straight from a script, with no bridge).
 */
export async function benchBridges(): Promise<void> {
  const count = Number(process.env.FMP_BENCH_BRIDGE_PRODUCTS ?? 1000);
  const changes = Number(process.env.FMP_BENCH_BRIDGE_CHANGES ?? 40);
  process.stdout.write(`\n## Shopify bridge (issue 11): ${count}-product first sync, ${changes} single changes\n`);
  const fake = await new ShopifyFake({ currencyCode: 'EUR', bucket: { maximumAvailable: 1e9, restoreRate: 1e9 } }).start();
  const fmp = await startTestServer(undefined, undefined, { bridges: true });
  try {
    const member = await createTestMember(fmp.baseUrl, 'benchshop');
    await importGeneratedProducts(member, fmp.baseUrl, count);

    // Baseline: the same products sent straight to the fake, one after the other, as a script would.
    // A shop of its own, so the bridge does not find these products and take them into the pod.
    const directShop = await new ShopifyFake({ currencyCode: 'EUR', bucket: { maximumAvailable: 1e9, restoreRate: 1e9 } }).start();
    const direct = new ShopifyClient({ shopUrl: directShop.url, accessToken: directShop.accessToken });
    const location = await direct.primaryLocationId();
    const baselineStart = Date.now();
    for (const product of generateProducts(count)) {
      await direct.setProduct(productToProductSetInput(product,
        { shopCurrency: 'EUR', locationId: location }));
    }
    const baselineSeconds = (Date.now() - baselineStart) / 1000;
    await directShop.stop();

    // The bridge: connect (grant, channels), then the first full sync.
    fake.setWebhookTarget(new URL(`.fmp/bridges/shopify/webhooks/${member.name}`, fmp.baseUrl).href, SECRET);
    const api = new BridgeApi(fmp.baseUrl, 'shopify', member.name, member.fetch);
    const consent = new ConsentApi(fmp.baseUrl, member.name, member.fetch);
    await member.fetch(`${member.pod}bridges/shopify/`, { method: 'PUT', headers: { 'content-type': 'text/turtle' }, body: '' });
    const { grant } = await consent.createGrant({ grantee: { webId: await api.bridgeWebId() }, scope: [ 'catalog/', 'bridges/shopify/' ],
      modes: [ 'read', 'append', 'write' ], purpose: 'Shopify bridge', duration: '1d' });
    const before = fake.store.products.size;
    const syncStart = Date.now();
    await api.connect({ id: grant.id, validUntil: grant.validUntil }, { shop: fake.url, token: fake.accessToken, webhookSecret: SECRET });
    while (fake.store.products.size - before < count || (await api.status()).queue > 0) {
      await sleep(200);
    }
    const syncSeconds = (Date.now() - syncStart) / 1000;
    process.stdout.write(`direct productSet calls from a script (baseline): ${fixed(baselineSeconds)} s for ${count} products\n`);
    process.stdout.write(`first sync through the bridge (connect, read pod, map, send, link, subscribe): ${fixed(syncSeconds)} s ` +
      `(ratio to baseline ${fixed(syncSeconds / baselineSeconds)})\n`);

    // One change at a time: pod write → the product updated in the fake.
    const products = generateProducts(count);
    const writeTimes: number[] = [];
    const latencies: number[] = [];
    for (let index = 0; index < changes; index += 1) {
      const product = products[index % products.length];
      const price = 100 + index;
      const start = Date.now();
      await saveProduct(member.pod, { ...product, price: { ...product.price, value: price } }, { fetch: member.fetch });
      writeTimes.push(Date.now() - start);
      const inShop = (): FakeProduct | undefined => [ ...fake.store.products.values() ]
        .find((candidate): boolean => candidate.handle === product.slug && candidate.variants[0].price === `${price}.00`);
      while (!inShop()) {
        await sleep(5);
        if (Date.now() - start > 30_000) {
          throw new Error(`change ${index} never reached the fake`);
        }
      }
      latencies.push(Date.now() - start);
    }
    const latencyMedian = median(latencies) / 1000;
    process.stdout.write(`pod write alone (baseline): median ${fixed(median(writeTimes) / 1000, 3)} s\n`);
    process.stdout.write(`pod write → product updated in Shopify: median ${fixed(latencyMedian, 3)} s, ` +
      `p95 ${fixed(percentile(latencies, 0.95) / 1000, 3)} s (ratio to the write alone ${fixed(median(latencies) / median(writeTimes))}) ` +
      `(goal: median <= 0.5 s) ${latencyMedian <= 0.5 ? 'MET' : 'NOT MET'}\n`);
  } finally {
    await fmp.destroy();
    await fake.stop();
  }
}
