import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCredentialsSession } from '../../src/client/ClientCredentialsSession';
import { createTestMember, uniqueName } from '../harness/members';
import type { TestServer } from '../harness/servers';
import { startTestServer } from '../harness/servers';

describe('An FMP restarted on the same data folder', (): void => {
  let folder: string;
  let server: TestServer | undefined;

  before(async(): Promise<void> => {
    folder = await mkdtemp(join(tmpdir(), 'fmp-restart-'));
  });

  after(async(): Promise<void> => {
    await server?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('keeps members, their data, their privacy and their client credentials.', async(): Promise<void> => {
    server = await startTestServer(folder);
    const { port } = server;
    const member = await createTestMember(server.baseUrl, uniqueName('keeper'));
    const url = `${member.pod}catalog/eggs`;
    const body = '<#eggs> <http://schema.org/name> "Eggs, a dozen".';
    assert.equal((await member.fetch(url, { method: 'PUT', headers: { 'content-type': 'text/turtle' }, body })).status, 201);
    await member.session.logout();
    await server.stop();

    server = await startTestServer(folder, port);
    const session = new ClientCredentialsSession({ clientId: member.clientId, clientSecret: member.clientSecret, issuer: server.baseUrl });
    const read = await session.fetch(url, { headers: { accept: 'text/turtle' } });
    assert.equal(read.status, 200);
    assert.match(await read.text(), /Eggs, a dozen/u);
    assert.equal((await fetch(url)).status, 401, 'still private');
    const health = await (await fetch(new URL('.fmp/health', server.baseUrl))).json() as { members: number };
    assert.equal(health.members, 1);
    await session.logout();
  });
});
