import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FarmosClient } from '../../../../bridges/farmos/FarmosClient';
import type { JsonApiDocument } from '../../../../bridges/farmos/jsonApi';
import { farmosToPod, recordsOf } from '../../../../bridges/farmos/mapping';
import { quadsToLog } from '../../../../shapes/access/logRdf';
import { ResourceGraph } from '../../../../shapes/access/rdf';
import { validateDataset } from '../../../../shapes/validateDataset';
import { PROJECT_ROOT } from '../../../../src/server/FmpServer';

/** A payload farmOS publishes in its documentation (test/fixtures/farmos-real/SOURCES.md). */
function realPayload(name: string): string {
  return readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'farmos-real', name), 'utf8');
}

const POD = 'https://fmp.example/greenacres/';

describe('The farmOS bridge on payloads farmOS publishes', (): void => {
  it('reads farmOS\'s token answers (expires_in as a string) and renews with the refresh token before the token lapses.', async():
  Promise<void> => {
    let now = 1_000_000;
    const forms: URLSearchParams[] = [];
    const fetchFn = async(url: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const path = new URL(String(url)).pathname;
      if (path === '/oauth/token') {
        const form = new URLSearchParams(String(init?.body));
        forms.push(form);
        return new Response(realPayload(form.get('grant_type') === 'refresh_token' ? 'oauth-token-refresh.json' : 'oauth-token-password.json'),
          { headers: { 'content-type': 'application/json' }});
      }
      assert.match(new Headers(init?.headers).get('authorization') ?? '', /^Bearer [\da-f]{40}$/u);
      return new Response(realPayload('api-root.json'), { headers: { 'content-type': 'application/vnd.api+json' }});
    };
    const client = new FarmosClient({ baseUrl: 'https://farm.example', clientId: 'farm', username: 'username', password: 'test',
      scope: 'farm_manager', fetch: fetchFn as typeof fetch, now: (): number => now });
    assert.deepEqual(await client.info(), { name: 'My farm name', url: 'http://localhost', version: '2.x', system_of_measurement: 'metric' });
    now += 200_000;
    await client.info();
    assert.equal(forms.length, 1, '"300" seconds are 300 seconds: still valid after 200');
    now += 60_000;
    await client.info();
    assert.deepEqual(forms.map((form): string | null => form.get('grant_type')), [ 'password', 'refresh_token' ]);
    assert.equal(forms[1].get('refresh_token'), 'cead7d46d18d74daea83f114bc0b512ec4cc31c3');
  });

  it('takes farmOS\'s example observation log (a 1.x-era Unix timestamp, an animal asset) into a valid pod log.', (): void => {
    const [ record ] = recordsOf(JSON.parse(realPayload('log-observation.json')) as JsonApiDocument);
    const item = farmosToPod(record, undefined, POD);
    assert.equal(item.url, `${POD}logs/farmos-9bc49ffd-76e8-4f86-b811-b721cb771327`);
    assert.deepEqual(quadsToLog('x', new ResourceGraph(item.quads)), { slug: 'x', type: 'observation', name: 'Test observation',
      timestamp: '2018-05-17T19:11:11Z', status: 'pending', assets: [ `${POD}land/farmos-75116e3e-c45e-431d-8b58-1fce6bb315cf#it` ],
      quantities: []});
    assert.equal(validateDataset('logs', item.quads).conforms, true);
  });
});
