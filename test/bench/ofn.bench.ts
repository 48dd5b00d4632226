import { ofnToProduct, productToOfn, readOfnRecords, withId } from '../../bridges/ofn/mapping';
import { OfnClient } from '../../bridges/ofn/OfnClient';
import { DFC_CONTEXT } from '../../bridges/ofn/vocabulary';
import { saveProduct } from '../../shapes/access/products';
import type { Product } from '../../shapes/access/types';
import { generateProducts } from '../../shapes/demo/catalogData';
import { parseRdf } from '../../shapes/parseRdf';
import { BridgeApi } from '../../src/client/BridgeApi';
import { ConsentApi } from '../../src/client/ConsentApi';
import { OfnFake } from '../fakes/ofn/OfnFake';
import { createTestMember } from '../harness/members';
import { startTestServer } from '../harness/servers';
import { fixed, importGeneratedProducts, median } from './benchUtil';
import { sleep } from '../harness/eventually';

const ROUNDS = 7;


/** Items per second of `work` over all items, the median of ROUNDS rounds (after one warm-up round). */
async function throughput<T>(items: T[], work: (item: T) => unknown, rounds = ROUNDS): Promise<number> {
  const rates: number[] = [];
  for (let round = 0; round <= rounds; round += 1) {
    const start = process.hrtime.bigint();
    for (const item of items) {
      await work(item);
    }
    if (round > 0) {
      rates.push(items.length / (Number(process.hrtime.bigint() - start) / 1e9));
    }
  }
  return median(rates);
}

/** OFN's answer for one variant (catalog item, supplied product, offer), as the fake and OFN write it. */
function ofnAnswer(product: Product, id: number): string {
  const base = `http://ofn.test/api/dfc/enterprises/1`;
  return JSON.stringify({ '@context': DFC_CONTEXT, '@graph': [
    { '@id': `${base}/catalog_items/${id}`, '@type': 'dfc-b:CatalogItem', 'dfc-b:references': `${base}/supplied_products/${id}`,
      'dfc-b:sku': product.sku, 'dfc-b:stockLimitation': product.stock, 'dfc-b:offeredThrough': `${base}/offers/${id}` },
    { '@id': `${base}/supplied_products/${id}`, '@type': 'dfc-b:SuppliedProduct', 'dfc-b:name': `${product.name} - 1kg`,
      'dfc-b:description': product.description, 'dfc-b:hasType': product.productType,
      'dfc-b:hasQuantity': { '@type': 'dfc-b:QuantitativeValue', 'dfc-b:hasUnit': product.quantity.unit, 'dfc-b:value': product.quantity.value },
      'ofn:spree_product_id': 90000 + id },
    { '@id': `${base}/offers/${id}`, '@type': 'dfc-b:Offer',
      'dfc-b:hasPrice': { '@type': 'dfc-b:Price', 'dfc-b:value': product.price.value, 'dfc-b:hasUnit': 'dfc-m:Euro' }},
  ]});
}

/**
 * Issue 12: the OFN bridge's mapping throughput (pod products → the DFC JSON-LD bodies it sends; OFN's answers → pod
 * products), against `JSON.stringify` of the same products in the same run; then on a real FMP and the OFN fake, the
 * time from a pod write to the change at OFN, against the pod write alone.
 */
export async function benchOfn(): Promise<void> {
  const count = Number(process.env.FMP_BENCH_OFN_PRODUCTS ?? 10_000);
  const products = generateProducts(count);
  process.stdout.write(`\n## Open Food Network bridge (issue 12), ${count} generated products, median of ${ROUNDS} rounds\n`);
  const baseline = await throughput(products, (product): string => JSON.stringify(product));
  const mapped = await throughput(products, (product): string =>
    JSON.stringify(productToOfn(product, `https://pod.example/catalog/${product.slug}#product`)));
  const sample = products.slice(0, Math.min(1000, count));
  const answers = sample.map((product, index): [Product, string] => [ product, ofnAnswer(product, index + 1) ]);
  const back = await throughput(answers, async([ base, text ]): Promise<Product> =>
    ofnToProduct(readOfnRecords(await parseRdf(text, 'application/ld+json', 'http://ofn.test/'))[0], base), 3);
  // What a refresh reads: the enterprise's whole catalog in one document (the context is parsed once).
  const catalog = JSON.stringify({ '@context': DFC_CONTEXT, '@graph': answers.flatMap(([ , text ]): unknown[] =>
    (JSON.parse(text) as { '@graph': unknown[] })['@graph']) });
  const catalogStart = process.hrtime.bigint();
  const records = readOfnRecords(await parseRdf(catalog, 'application/ld+json', 'http://ofn.test/'));
  records.forEach((record, index): Product => ofnToProduct(record, sample[index]));
  const catalogRate = records.length / (Number(process.hrtime.bigint() - catalogStart) / 1e9);
  process.stdout.write([
    `baseline: JSON.stringify(product):                               ${fixed(baseline, 0)} products/s`,
    `pod product → DFC JSON-LD bodies (supplied product, item, offer): ${fixed(mapped, 0)} products/s (${fixed(mapped / baseline, 3)} × baseline)`,
    `OFN answer (JSON-LD → RDF → pod product), one document each, ${answers.length}: ${fixed(back, 0)} products/s (${fixed(back / baseline, 4)} × baseline)`,
    `OFN catalog of ${records.length} in one document (what a refresh reads):   ${fixed(catalogRate, 0)} products/s (${fixed(catalogRate / baseline, 4)} × baseline)`,
    '',
  ].join('\n'));
  await benchOfnSync();
}

async function benchOfnSync(): Promise<void> {
  const count = Number(process.env.FMP_BENCH_OFN_SYNC_PRODUCTS ?? 200);
  const changes = Number(process.env.FMP_BENCH_OFN_CHANGES ?? 30);
  const fake = await new OfnFake().start();
  const fmp = await startTestServer(undefined, undefined, { bridges: true });
  try {
    const member = await createTestMember(fmp.baseUrl, 'benchofn');
    await importGeneratedProducts(member, fmp.baseUrl, count);
    // Baseline: the same products sent straight to another fake by a script (POST, then the item and offer PUTs).
    const directFake = await new OfnFake().start();
    const direct = new OfnClient({ baseUrl: directFake.url, enterpriseId: directFake.enterpriseId, token: directFake.token });
    const baselineStart = Date.now();
    for (const product of generateProducts(count)) {
      const documents = productToOfn(product, `https://pod.example/catalog/${product.slug}#product`);
      const id = await direct.createSuppliedProduct(documents.suppliedProduct);
      await direct.updateCatalogItem(id, withId(documents.catalogItem, direct.url('catalog_items', id)));
      await direct.updateOffer(id, withId(documents.offer, direct.url('offers', id)));
    }
    const baselineSeconds = (Date.now() - baselineStart) / 1000;
    await directFake.stop();

    const api = new BridgeApi(fmp.baseUrl, 'ofn', member.name, member.fetch);
    const consent = new ConsentApi(fmp.baseUrl, member.name, member.fetch);
    await member.fetch(`${member.pod}bridges/ofn/`, { method: 'PUT', headers: { 'content-type': 'text/turtle' }, body: '' });
    const { grant } = await consent.createGrant({ grantee: { webId: await api.bridgeWebId() }, scope: [ 'catalog/', 'bridges/ofn/' ],
      modes: [ 'read', 'append', 'write' ], purpose: 'Open Food Network bridge', duration: '1d' });
    const syncStart = Date.now();
    await api.connect({ id: grant.id, validUntil: grant.validUntil },
      { ofn: fake.url, enterprise: fake.enterpriseId, token: fake.token, webhookToken: 'bench' });
    while (fake.variants.size < count || (await api.status()).queue > 0) {
      await sleep(200);
    }
    const syncSeconds = (Date.now() - syncStart) / 1000;
    process.stdout.write(`direct DFC API calls from a script (baseline): ${fixed(baselineSeconds)} s for ${count} products\n`);
    process.stdout.write(`first sync through the bridge (connect, read pod, map, find, send, link, subscribe): ${fixed(syncSeconds)} s ` +
      `(ratio to baseline ${fixed(syncSeconds / baselineSeconds)})\n`);

    const products = generateProducts(count);
    const writeTimes: number[] = [];
    const latencies: number[] = [];
    for (let index = 0; index < changes; index += 1) {
      const product = products[index % products.length];
      const price = 100 + index;
      const start = Date.now();
      await saveProduct(member.pod, { ...product, price: { ...product.price, value: price } }, { fetch: member.fetch });
      writeTimes.push(Date.now() - start);
      while (fake.variantsWithSku(product.sku)[0]?.price !== price) {
        await sleep(5);
        if (Date.now() - start > 30_000) {
          throw new Error(`change ${index} never reached the fake`);
        }
      }
      latencies.push(Date.now() - start);
    }
    process.stdout.write(`pod write alone (baseline): median ${fixed(median(writeTimes) / 1000, 3)} s\n`);
    process.stdout.write(`pod write → price changed at OFN: median ${fixed(median(latencies) / 1000, 3)} s ` +
      `(ratio to the write alone ${fixed(median(latencies) / median(writeTimes))})\n`);
  } finally {
    await fmp.destroy();
    await fake.stop();
  }
}
