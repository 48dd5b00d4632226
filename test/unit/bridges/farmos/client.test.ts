import { strict as assert } from 'node:assert';
import { FarmosClient } from '../../../../bridges/farmos/FarmosClient';
import { TargetRefusedError, TargetRetriableError } from '../../../../bridges/runtime/targetErrors';
import { FarmosFake } from '../../../fakes/farmos/FarmosFake';

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve): void => {
    setTimeout(resolve, ms);
  });
}

describe('The farmOS client against the farmOS fake', function(this: Mocha.Suite): void {
  this.timeout(30_000);
  let fake: FarmosFake;
  let client: FarmosClient;

  before(async(): Promise<void> => {
    fake = await new FarmosFake({ tokenLifetime: 2, username: 'farmer', password: 'pw' }).start();
    client = new FarmosClient({ baseUrl: fake.url, clientId: fake.clientId, clientSecret: fake.clientSecret, scope: 'farm_manager' });
  });

  after(async(): Promise<void> => {
    await fake.stop();
  });

  it('reads a collection of more than 50 records whole, page by page along links.next.', async(): Promise<void> => {
    for (let index = 0; index < 123; index += 1) {
      fake.createInUi('asset--land', { name: `Bed ${index}`, status: 'active', land_type: 'bed' });
    }
    const names: string[] = [];
    for await (const resource of client.list('asset--land')) {
      names.push(resource.attributes?.name as string);
    }
    assert.equal(names.length, 123);
    assert.equal(new Set(names).size, 123);
    const pages = fake.requests.filter((request): boolean => request.method === 'GET' && request.path === '/api/asset/land');
    assert.equal(pages.length, 3, 'pages of at most 50');
  });

  it('asks only for what changed since a time.', async(): Promise<void> => {
    await sleep(1100);
    const since = new Date().toISOString();
    const id = fake.createInUi('asset--land', { name: 'New paddock', status: 'active', land_type: 'paddock' });
    const changed: string[] = [];
    for await (const resource of client.list('asset--land', since)) {
      changed.push(resource.id);
    }
    assert.deepEqual(changed, [ id ]);
  });

  it('gets a new token before the old one lapses, and once more when farmOS says 401.', async(): Promise<void> => {
    const tokens = (): number => fake.requests.filter((request): boolean => request.path === '/oauth/token').length;
    const before = tokens();
    await client.info();
    await sleep(2100);
    await client.info();
    assert.ok(tokens() > before, 'a token was fetched after the first one lapsed');
    const afterLapse = tokens();
    fake.expireTokens();
    const info = await client.info();
    assert.equal(info.name, 'Fake farm');
    assert.equal(tokens(), afterLapse + 1, 'one new token after the 401');
    assert.equal(fake.requests.filter((request): boolean => request.status === 401).length, 1);
  });

  it('logs in with the password grant and renews with the refresh token.', async(): Promise<void> => {
    const password = new FarmosClient({ baseUrl: fake.url, clientId: fake.clientId, username: 'farmer', password: 'pw' });
    await password.info();
    fake.expireTokens();
    await password.info();
    const wrong = new FarmosClient({ baseUrl: fake.url, clientId: fake.clientId, username: 'farmer', password: 'nope' });
    await assert.rejects(wrong.info(), (error: Error): boolean => TargetRefusedError.isInstance(error) &&
      /password login \(400\): invalid_grant: The user credentials were incorrect/u.test(error.message));
  });

  it('passes farmOS\'s refusal on with its reason, and a failure it may recover from as retriable.', async(): Promise<void> => {
    await assert.rejects(client.upsert({ type: 'asset--land', id: '0b5c3b4e-1d2f-4a6b-9c8d-7e6f5a4b3c2d',
      attributes: { name: 'x'.repeat(300), status: 'active', land_type: 'field' }}, false),
    (error: Error): boolean => TargetRefusedError.isInstance(error) &&
      /422: Unprocessable Entity: \/data\/attributes\/name: name: must NOT have more than 255 characters/u.test(error.message));
    await assert.rejects(client.upsert({ type: 'asset--plant', id: '0b5c3b4e-1d2f-4a6b-9c8d-7e6f5a4b3c2e',
      attributes: { name: 'No type', status: 'active' }}, false), /plant_type: This value should not be null/u);
    await assert.rejects(client.upsert({ type: 'log--harvest', id: '0b5c3b4e-1d2f-4a6b-9c8d-7e6f5a4b3c2f',
      attributes: { status: 'done' }, relationships: { quantity: { data: [{ type: 'quantity--standard',
        id: '0b5c3b4e-1d2f-4a6b-9c8d-7e6f5a4b3c30' }]}}}, false), /referenced entity \(quantity--standard: .*\) does not exist/u);
    fake.failNext(1, 503, '2');
    await assert.rejects(client.info(), (error: Error): boolean => TargetRetriableError.isInstance(error) &&
      error.retryAfterMs === 2000);
  });

  it('makes a record once when sent twice, and finds a term by its name.', async(): Promise<void> => {
    const land = { type: 'asset--land', id: '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
      attributes: { name: 'Orchard', status: 'active', land_type: 'field' }};
    await client.upsert(land, false);
    await client.upsert({ ...land, attributes: { ...land.attributes, name: 'Old orchard' }}, false);
    assert.equal(fake.all('asset--land').filter((record): boolean => record.id === land.id).length, 1);
    assert.equal(fake.get('asset--land', land.id)?.attributes.name, 'Old orchard');
    const existing = fake.createInUi('taxonomy_term--unit', { name: 'Kg' });
    assert.equal(await client.ensureTerm({ type: 'taxonomy_term--unit', id: '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d7',
      attributes: { name: 'kg' }}), existing);
  });
});
