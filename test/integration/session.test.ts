import { strict as assert } from 'node:assert';
import { ClientCredentialsSession } from '../../src/client/ClientCredentialsSession';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import { getSharedServer } from '../harness/servers';

describe('A client-credentials session', (): void => {
  let member: TestMember;

  before(async(): Promise<void> => {
    member = await createTestMember((await getSharedServer()).baseUrl, uniqueName('scripted'));
  });

  it('logs in again before its 600 s token expires, and keeps working.', async(): Promise<void> => {
    let clock = Date.now();
    const session = new ClientCredentialsSession(
      { clientId: member.clientId, clientSecret: member.clientSecret, issuer: new URL('/', member.pod).href },
      (): number => clock,
    );
    assert.equal((await session.fetch(`${member.pod}catalog/`)).status, 200);
    const firstExpiry = session.expiresAt!;
    assert.ok(firstExpiry - Date.now() <= 600_000 && firstExpiry - Date.now() > 500_000, 'CSS tokens last 600 s');

    // Just before the renewal margin nothing changes.
    clock = firstExpiry - 61_000;
    assert.equal((await session.fetch(`${member.pod}catalog/`)).status, 200);
    assert.equal(session.expiresAt, firstExpiry);

    // Within a minute of expiry the session logs in again and gets a later token.
    await new Promise((resolve): void => {
      setTimeout(resolve, 1100);
    });
    clock = firstExpiry - 30_000;
    assert.equal((await session.fetch(`${member.pod}catalog/`)).status, 200);
    assert.ok(session.expiresAt! > firstExpiry, 'a new token was issued');
    await session.logout();
  });

  it('says which issuer refused wrong credentials.', async(): Promise<void> => {
    const issuer = new URL('/', member.pod).href;
    const session = new ClientCredentialsSession({ clientId: member.clientId, clientSecret: 'wrong', issuer });
    await assert.rejects(session.getWebId(), new RegExp(`could not log in at ${issuer}`, 'u'));
  });
});
