import { farmosToPod, podToFarmos } from '../../bridges/farmos/mapping';
import type { FarmosRecord } from '../../bridges/farmos/mapping';
import type { Resource } from '../../bridges/farmos/jsonApi';
import type { PodItem } from '../../bridges/runtime/TargetAdapter';
import { saveLandAsset } from '../../shapes/access/land';
import { landAssetToQuads, plantAssetToQuads } from '../../shapes/access/landRdf';
import { logToQuads } from '../../shapes/access/logRdf';
import type { FarmLog, LandAsset, PlantAsset } from '../../shapes/access/types';
import { DFC_M, DFC_PT } from '../../shapes/namespaces';
import { BridgeApi } from '../../src/client/BridgeApi';
import { ConsentApi } from '../../src/client/ConsentApi';
import { FarmosFake } from '../fakes/farmos/FarmosFake';
import { createTestMember } from '../harness/members';
import { startTestServer } from '../harness/servers';
import { fixed, median, throughput } from './benchUtil';
import { sleep } from '../harness/eventually';

const RECORDS = Number(process.env.FMP_BENCH_FARMOS_RECORDS ?? 3000);
const ROUNDS = 7;
const POD = 'https://pod.example/greenacres/';

/** A season's worth of generated pod records: a third each land assets, plantings and harvests. */
function generateRecords(count: number): { objects: unknown[]; items: PodItem[] } {
  const objects: unknown[] = [];
  const items: PodItem[] = [];
  for (let index = 0; index < count; index += 1) {
    if (index % 3 === 0) {
      const land: LandAsset = { slug: `bed-${index}`, name: `Bed ${index}`, landType: 'bed', wkt: `POLYGON((0 0, ${index} 0, ${index} 1, 0 0))`,
        containedIn: `${POD}land/bed-0#it` };
      objects.push(land);
      items.push({ url: `${POD}land/${land.slug}`, quads: landAssetToQuads(`${POD}land/${land.slug}`, land) });
    } else if (index % 3 === 1) {
      const plant: PlantAsset = { slug: `plant-${index}`, name: `Tomatoes ${index}`, plantType: DFC_PT('tomato'), season: '2026',
        location: `${POD}land/bed-${index - 1}#it` };
      objects.push(plant);
      items.push({ url: `${POD}land/${plant.slug}`, quads: plantAssetToQuads(`${POD}land/${plant.slug}`, plant) });
    } else {
      const log: FarmLog = { slug: `harvest-${index}`, type: 'harvest', timestamp: '2026-08-01T09:30:00Z', status: 'done',
        assets: [ `${POD}land/plant-${index - 1}#it` ], lotNumber: `L-${index}`,
        quantities: [{ measure: 'weight', value: 12.5 + index, unit: DFC_M('Kilogram') }]};
      objects.push(log);
      items.push({ url: `${POD}logs/${log.slug}`, quads: logToQuads(`${POD}logs/${log.slug}`, log) });
    }
  }
  return { objects, items };
}

/**
 * Issue 13: the farmOS bridge. Mapping throughput (pod records → farmOS JSON:API request bodies, and farmOS records
 * with their `included` → pod quads) against plain `JSON.stringify` of the same records, measured in the same run; then
 * end to end on a real FMP and the farmOS fake, how long a pod write takes to reach farmOS against the pod write alone.
 */
export async function benchFarmos(): Promise<void> {
  const { objects, items } = generateRecords(RECORDS);
  const baseline = throughput(objects, (object): string => JSON.stringify(object));
  const mapped = throughput(items, (item): string => JSON.stringify(podToFarmos(item, POD)));
  const records: FarmosRecord[] = items.map((item): FarmosRecord => {
    const payload = podToFarmos(item, POD)!;
    return { data: { ...payload.record, attributes: { ...payload.record.attributes, changed: '2026-08-01T10:00:00+00:00' }} as Resource,
      included: [ ...payload.terms, ...payload.quantities ]};
  });
  const back = throughput(records, (record): PodItem => farmosToPod(record, undefined, POD));
  process.stdout.write([
    `\n## farmOS mapping (issue 13), ${RECORDS} generated records (land, plantings, harvests), median of ${ROUNDS} rounds`,
    `baseline: JSON.stringify(record):                                ${fixed(baseline, 0)} records/s`,
    `pod quads → farmOS JSON:API bodies (mapping + JSON):             ${fixed(mapped, 0)} records/s (${fixed(mapped / baseline, 3)} × baseline)`,
    `farmOS record + included → pod quads:                            ${fixed(back, 0)} records/s (${fixed(back / baseline, 3)} × baseline)`,
    '',
  ].join('\n'));
  await benchFarmosLatency();
}


async function benchFarmosLatency(): Promise<void> {
  const changes = Number(process.env.FMP_BENCH_FARMOS_CHANGES ?? 30);
  const fake = await new FarmosFake().start();
  const fmp = await startTestServer(undefined, undefined, { bridges: true });
  try {
    const member = await createTestMember(fmp.baseUrl, 'benchfarm');
    const api = new BridgeApi(fmp.baseUrl, 'farmos', member.name, member.fetch);
    const consent = new ConsentApi(fmp.baseUrl, member.name, member.fetch);
    await member.fetch(`${member.pod}bridges/farmos/`, { method: 'PUT', headers: { 'content-type': 'text/turtle' }, body: '' });
    const { grant } = await consent.createGrant({ grantee: { webId: await api.bridgeWebId() }, scope: [ 'land/', 'logs/', 'bridges/farmos/' ],
      modes: [ 'read', 'append', 'write' ], purpose: 'farmOS bridge', duration: '1d' });
    await api.connect({ id: grant.id, validUntil: grant.validUntil },
      { farmos: fake.url, clientId: fake.clientId, clientSecret: fake.clientSecret });
    const writeTimes: number[] = [];
    const latencies: number[] = [];
    for (let index = 0; index < changes; index += 1) {
      const name = `Field ${index % 5} v${index}`;
      const start = Date.now();
      await saveLandAsset(member.pod, { slug: `field-${index % 5}`, name, landType: 'field' }, { fetch: member.fetch });
      writeTimes.push(Date.now() - start);
      while (!fake.all('asset--land').some((record): boolean => record.attributes.name === name)) {
        await sleep(5);
        if (Date.now() - start > 30_000) {
          throw new Error(`change ${index} never reached the fake`);
        }
      }
      latencies.push(Date.now() - start);
    }
    process.stdout.write(`pod write alone (baseline): median ${fixed(median(writeTimes) / 1000, 3)} s\n`);
    process.stdout.write(`pod write → asset--land in farmOS: median ${fixed(median(latencies) / 1000, 3)} s ` +
      `(ratio to the write alone ${fixed(median(latencies) / median(writeTimes))}), ${changes} changes\n`);
  } finally {
    await fmp.destroy();
    await fake.stop();
  }
}
