import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BridgeStatus } from '../../bridges/runtime/BridgeService';
import { listLandAssets, listPlantAssets, saveLandAsset, savePlantAsset } from '../../shapes/access/land';
import { listLogs } from '../../shapes/access/logs';
import { containerUrl } from '../../shapes/access/podIo';
import type { FarmLog, LandAsset, PlantAsset } from '../../shapes/access/types';
import { DFC_M, DFC_PT } from '../../shapes/namespaces';
import type { FakeRecord } from '../fakes/farmos/FarmosFake';
import { FarmosFake } from '../fakes/farmos/FarmosFake';
import { runFmp } from '../harness/cli';
import { getFreePort } from '../harness/freePort';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import type { TestServer } from '../harness/servers';
import { startTestServer } from '../harness/servers';
import { eventually, sleep } from '../harness/eventually';
import { spawnBridgeWorker } from '../harness/bridgeWorkerProcess';


/** The fake's records the bridge made for a pod path (it keeps the path in `data`). */
function recordsFor(fake: FarmosFake, type: string, path: string): FakeRecord[] {
  return fake.all(type).filter((record): boolean => record.attributes.data === `fmp:${path}`);
}

function connectArgs(who: TestMember, farm: FarmosFake, server: string): string[] {
  return [ 'bridge', 'farmos', 'connect', who.name, '--farmos', farm.url, '--farmos-client-id', farm.clientId,
    '--farmos-client-secret', farm.clientSecret, '--scope', 'farm_manager', '--server', server, '--client-id', who.clientId,
    '--client-secret', who.clientSecret ];
}

const NORTH: LandAsset = { slug: 'north', name: 'North field', landType: 'field', wkt: 'POLYGON((0 0, 40 0, 40 30, 0 0))' };

describe('The farmOS bridge', function(this: Mocha.Suite): void {
  this.timeout(240_000);
  let fmp: TestServer;
  let fake: FarmosFake;
  let member: TestMember;
  let auth: string[];
  let tomatoes: PlantAsset;

  async function bridgeStatus(): Promise<BridgeStatus> {
    const result = await runFmp([ 'bridge', 'farmos', 'status', member.name, '--json', ...auth ]);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as BridgeStatus;
  }

  before(async(): Promise<void> => {
    // Tokens live 3 s: the bridge must renew them (before they lapse) many times during the suite.
    fake = await new FarmosFake({ tokenLifetime: 3, farmName: 'Green Acres' }).start();
    fmp = await startTestServer(undefined, undefined, { bridges: true, bridgePollInterval: '1s' });
    member = await createTestMember(fmp.baseUrl, uniqueName('farm'));
    auth = [ '--server', fmp.baseUrl, '--client-id', member.clientId, '--client-secret', member.clientSecret ];
    await saveLandAsset(member.pod, NORTH, { fetch: member.fetch });
    await saveLandAsset(member.pod, { slug: 'bed-1', name: 'Bed 1', landType: 'bed', containedIn: `${member.pod}land/north#it` },
      { fetch: member.fetch });
    tomatoes = { slug: 'tomatoes', name: 'Tomatoes 2026', plantType: DFC_PT('tomato'), season: '2026', variety: 'Roma',
      location: `${member.pod}land/bed-1#it` };
    await savePlantAsset(member.pod, tomatoes, { fetch: member.fetch });
    const connected = await runFmp(connectArgs(member, fake, fmp.baseUrl));
    assert.equal(connected.code, 0, connected.stderr);
    assert.match(connected.stdout, /farmOS sends no webhooks/u);
  });

  after(async(): Promise<void> => {
    await fmp?.destroy();
    await fake?.stop();
  });

  it('sends land and plantings made in the pod to farmOS, with geometry, parent, plant type and season.', async(): Promise<void> => {
    const plant = await eventually('the planting in farmOS', (): FakeRecord | undefined => recordsFor(fake, 'asset--plant', 'land/tomatoes')[0]);
    const north = await eventually('the field in farmOS', (): FakeRecord | undefined => recordsFor(fake, 'asset--land', 'land/north')[0]);
    // The bed lies in the field: it is sent once the field is there, whichever job runs first.
    const bed = await eventually('the bed in farmOS', (): FakeRecord | undefined => recordsFor(fake, 'asset--land', 'land/bed-1')[0]);
    assert.deepEqual(north.attributes.intrinsic_geometry, { value: NORTH.wkt });
    assert.equal(north.attributes.land_type, 'field');
    assert.equal(north.attributes.is_location, true);
    assert.equal(north.attributes.is_fixed, true);
    assert.deepEqual(bed.relationships.parent, [{ type: 'asset--land', id: north.id }]);
    const [ plantType ] = plant.relationships.plant_type as { type: string; id: string }[];
    assert.equal(fake.get(plantType.type, plantType.id)?.attributes.name, 'tomato');
    const [ season ] = plant.relationships.season as { type: string; id: string }[];
    assert.equal(fake.get(season.type, season.id)?.attributes.name, '2026');
    const status = await bridgeStatus();
    assert.equal(status.settings.farmName, 'Green Acres');
    assert.equal(status.settings.clientSecret, undefined, 'the secret is never shown');
  });

  it('takes a harvest logged in farmOS, with a weight quantity, into the pod as a harvest log of the planting.', async(): Promise<void> => {
    const [ plant ] = recordsFor(fake, 'asset--plant', 'land/tomatoes');
    const kg = fake.createInUi('taxonomy_term--unit', { name: 'kg' });
    const quantity = fake.createInUi('quantity--standard', { measure: 'weight', value: { numerator: 125, denominator: 10 }, label: 'Tomatoes' },
      { units: { type: 'taxonomy_term--unit', id: kg }});
    const harvestId = fake.createInUi('log--harvest', { name: 'First tomatoes', timestamp: '2026-08-01T09:30:00+00:00', status: 'done',
      lot_number: 'T-1' }, { asset: [{ type: 'asset--plant', id: plant.id }], quantity: [{ type: 'quantity--standard', id: quantity }]});
    const harvest = await eventually('the harvest in the pod', async(): Promise<FarmLog | undefined> =>
      (await listLogs(member.pod, { fetch: member.fetch, type: 'harvest' })).find((log): boolean => log.slug === `farmos-${harvestId}`));
    assert.deepEqual(harvest.quantities, [{ measure: 'weight', value: 12.5, unit: DFC_M('Kilogram') }]);
    assert.deepEqual(harvest.assets, [ `${member.pod}land/tomatoes#it` ]);
    assert.equal(harvest.lotNumber, 'T-1');
    assert.equal(harvest.status, 'done');
  });

  it('converges edits made on either side, without sending farmOS its own change back.', async(): Promise<void> => {
    await saveLandAsset(member.pod, { ...NORTH, name: 'North field (east half)' }, { fetch: member.fetch });
    const [ north ] = recordsFor(fake, 'asset--land', 'land/north');
    await eventually('the new name in farmOS', (): boolean => north.attributes.name === 'North field (east half)');

    const [ plant ] = recordsFor(fake, 'asset--plant', 'land/tomatoes');
    fake.editInUi('asset--plant', plant.id, { name: 'Tomatoes 2026 (Roma)' });
    const writesBefore = fake.writes('asset--plant').length;
    const inPod = await eventually('the farmOS edit in the pod', async(): Promise<PlantAsset | undefined> =>
      (await listPlantAssets(member.pod, { fetch: member.fetch })).find((candidate): boolean => candidate.name === 'Tomatoes 2026 (Roma)'));
    assert.equal(inPod.variety, 'Roma', 'what farmOS does not hold stays as the pod has it');
    assert.equal(inPod.location, `${member.pod}land/bed-1#it`);
    await sleep(2500);
    assert.equal(fake.writes('asset--plant').length, writesBefore, 'the change that came from farmOS is not sent back to it');
  });

  it('reads a collection of more than 50 records whole.', async(): Promise<void> => {
    const ids = Array.from({ length: 55 }, (_, index): string =>
      fake.createInUi('asset--land', { name: `Paddock ${index}`, status: 'active', land_type: 'paddock', is_location: true, is_fixed: true }));
    // 55 pod writes, each with its notification channel, on a machine others share: allow minutes.
    await eventually('all 55 paddocks in the pod', async(): Promise<boolean> => {
      const slugs = new Set((await listLandAssets(member.pod, { fetch: member.fetch })).map((land): string => land.slug));
      return ids.every((id): boolean => slugs.has(`farmos-${id}`));
    }, 200_000);
    // A paddock archived in farmOS leaves the pod.
    fake.editInUi('asset--land', ids[0], { status: 'archived' });
    await eventually('the archived paddock gone from the pod', async(): Promise<boolean> =>
      (await member.fetch(`${member.pod}land/farmos-${ids[0]}`, { method: 'HEAD' })).status === 404);
  });

  it('puts a record farmOS refuses on the dead-letter list with farmOS\'s reason.', async(): Promise<void> => {
    await saveLandAsset(member.pod, { slug: 'long-name', name: `Field ${'x'.repeat(300)}`, landType: 'field' }, { fetch: member.fetch });
    const status = await eventually('a dead letter', async(): Promise<BridgeStatus | undefined> => {
      const current = await bridgeStatus();
      return current.deadLetters.length > 0 ? current : undefined;
    });
    assert.match(status.deadLetters[0].reason ?? '', /422: Unprocessable Entity: \/data\/attributes\/name: name: must NOT have more than 255 characters/u);
    assert.equal(recordsFor(fake, 'asset--land', 'land/long-name').length, 0);
  });

  it('renews an expired OAuth token without a failed sync.', async(): Promise<void> => {
    const deadBefore = (await bridgeStatus()).deadLetters.length;
    const tokenRequests = (): number => fake.requests.filter((request): boolean => request.path === '/oauth/token' && request.status === 200).length;
    // Tokens live 3 s here, so by now the bridge has fetched new ones before they lapsed many times.
    assert.ok(tokenRequests() > 3, `tokens were renewed as they lapsed (${tokenRequests()} fetched)`);
    const tokensBefore = tokenRequests();
    // And one taken back early (farmOS restarted, the token revoked): the next request is refused with 401.
    fake.expireTokens();
    await saveLandAsset(member.pod, { slug: 'after-expiry', name: 'South field', landType: 'field' }, { fetch: member.fetch });
    await eventually('the field in farmOS', (): boolean => recordsFor(fake, 'asset--land', 'land/after-expiry').length === 1);
    assert.ok(tokenRequests() > tokensBefore, 'a new token was fetched');
    // A 401 the client did not recover from would be a refusal, so a dead letter: there is none.
    assert.equal((await bridgeStatus()).deadLetters.length, deadBefore);
  });

  it('converts both ways from the CLI, and says in one line what farmOS\'s schema refuses.', async(): Promise<void> => {
    const folder = await mkdtemp(join(tmpdir(), 'fmp-farmos-convert-'));
    try {
      const turtle = join(folder, 'north.ttl');
      const exported = await member.fetch(`${member.pod}land/north`, { headers: { accept: 'text/turtle' }});
      await writeFile(turtle, (await exported.text()).replaceAll(member.pod, 'https://pod.invalid/'));
      const toFarmos = await runFmp([ 'bridge', 'farmos', 'convert', '--from', 'pod', turtle ]);
      assert.equal(toFarmos.code, 0, toFarmos.stderr);
      const document = JSON.parse(toFarmos.stdout) as { data: { type: string; attributes: Record<string, unknown> }};
      assert.equal(document.data.type, 'asset--land');
      assert.equal(document.data.attributes.name, 'North field (east half)');

      const json = join(folder, 'harvest.json');
      const [ harvest ] = fake.all('log--harvest');
      const answer = await fetch(`${fake.url}/api/log/harvest/${harvest.id}?include=asset,quantity,quantity.units`, {
        headers: { authorization: `Bearer ${await tokenOf(fake)}` }});
      await writeFile(json, await answer.text());
      const toPod = await runFmp([ 'bridge', 'farmos', 'convert', '--from', 'farmos', json ]);
      assert.equal(toPod.code, 0, toPod.stderr);
      assert.match(toPod.stdout, /fmp:HarvestLog/u);
      assert.match(toPod.stdout, /dfc-b:hasUnit dfc-m:Kilogram/u);

      const long = join(folder, 'long.ttl');
      await writeFile(long, `@prefix fmp: <https://w3id.org/fmp-vault/ns#>.\n@prefix schema: <http://schema.org/>.\n` +
        `<#it> a fmp:LandAsset; schema:name "${'y'.repeat(256)}"; fmp:landType fmp:land-field.\n`);
      const refused = await runFmp([ 'bridge', 'farmos', 'convert', '--from', 'pod', long ]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /^fmp: .*long\.ttl: farmOS's schema for asset--land refuses it: \/attributes\/name: must NOT have more than 255 characters$/mu);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

/** A token from the fake, as any farmOS client would get one. */
async function tokenOf(fake: FarmosFake): Promise<string> {
  const response = await fetch(`${fake.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: fake.clientId, client_secret: fake.clientSecret }).toString() });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('The farmOS bridge worker killed mid-sync', function(this: Mocha.Suite): void {
  this.timeout(240_000);
  let fmp: TestServer;
  let fake: FarmosFake;
  let folder: string;
  let worker: ChildProcess | undefined;
  let workerPort: number;

  function startWorker(): ChildProcess {
    // Polls an hour apart: what comes from farmOS in this test comes through `sync`.
    return spawnBridgeWorker(fmp.baseUrl, folder, workerPort, [ '--poll-interval', '1h' ]);
  }


  before(async(): Promise<void> => {
    folder = await mkdtemp(join(tmpdir(), 'fmp-farmos-worker-'));
    workerPort = await getFreePort();
    fake = await new FarmosFake().start();
    fmp = await startTestServer(undefined, undefined, { bridgeWorkerUrl: `http://127.0.0.1:${workerPort}/` });
  });

  after(async(): Promise<void> => {
    worker?.kill('SIGKILL');
    await fmp?.destroy();
    await fake?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('leaves no duplicate record in farmOS after SIGKILL and a restart; `sync` pulls from farmOS at once.', async(): Promise<void> => {
    const member = await createTestMember(fmp.baseUrl, uniqueName('killed'));
    const beds = Array.from({ length: 30 }, (_, index): LandAsset => ({ slug: `bed-${index}`, name: `Bed ${index}`, landType: 'bed' }));
    for (const bed of beds) {
      await saveLandAsset(member.pod, bed, { fetch: member.fetch });
    }
    worker = startWorker();
    await eventually('the worker to connect the member', async(): Promise<boolean> =>
      (await runFmp(connectArgs(member, fake, fmp.baseUrl))).code === 0, 60_000);
    await eventually('a few beds sent', (): boolean => fake.writes('asset--land').length >= 5, 60_000);
    worker.kill('SIGKILL');
    await new Promise((resolve): void => {
      worker!.once('exit', resolve);
    });
    const sentBeforeKill = fake.writes('asset--land').length;
    assert.ok(sentBeforeKill < beds.length, `the kill came too late to test anything (${sentBeforeKill} sent)`);

    worker = startWorker();
    await eventually('every bed in farmOS', (): boolean =>
      beds.every((bed): boolean => recordsFor(fake, 'asset--land', `land/${bed.slug}`).length >= 1), 120_000);
    for (const bed of beds) {
      assert.equal(recordsFor(fake, 'asset--land', `land/${bed.slug}`).length, 1, `${bed.slug} is in farmOS once`);
    }
    assert.equal(fake.all('asset--land').length, beds.length);
    // And nothing came back into the pod twice either.
    const response = await member.fetch(containerUrl(member.pod, 'land'), { headers: { accept: 'text/turtle' }});
    assert.doesNotMatch(await response.text(), /farmos-/u);

    const id = fake.createInUi('asset--land', { name: 'Made in farmOS', status: 'active', land_type: 'field' });
    const synced = await runFmp([ 'bridge', 'farmos', 'sync', member.name, '--server', fmp.baseUrl, '--client-id', member.clientId,
      '--client-secret', member.clientSecret ]);
    assert.equal(synced.code, 0, synced.stderr);
    await eventually('the field made in farmOS in the pod', async(): Promise<boolean> =>
      (await member.fetch(`${member.pod}land/farmos-${id}`, { method: 'HEAD' })).ok);
  });
});
