import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import type { TestServer } from '../harness/servers';
import { startTestServer } from '../harness/servers';

const JSON_TYPE = { 'content-type': 'application/json', accept: 'application/json' };
const TURTLE = { 'content-type': 'text/turtle' };

/** A request that says, through the one proxy the server trusts, that it comes from `address`. */
function from(address: string, headers: Record<string, string> = {}): Record<string, string> {
  return { ...headers, 'x-forwarded-for': address };
}

/** Asserts a 429 with a readable text and a `Retry-After` in whole seconds; answers those seconds. */
async function assertTooMany(response: Response, text: RegExp): Promise<number> {
  const body = await response.text();
  assert.equal(response.status, 429, body);
  assert.match(body, text);
  const retryAfter = Number(response.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After ${response.headers.get('retry-after')}`);
  return retryAfter;
}

describe('Rate limits', function(): void {
  // Each part starts its own server, which takes long on a busy machine.
  this.timeout(180_000);

  describe('with small limits, behind one trusted proxy', (): void => {
    let server: TestServer;
    let owner: TestMember;
    let other: TestMember;

    before(async(): Promise<void> => {
      server = await startTestServer(undefined, undefined, {
        logLevel: 'error',
        trustProxy: 1,
        rateLimitLogins: '8/15m',
        rateLimitLoginFailures: '3/15m',
        rateLimitLoginDelay: '2s',
        rateLimitLoginMaxDelay: '8s',
        rateLimitConsent: '3/1h',
        rateLimitInbox: '3/1h',
      });
      // Members sign up from 127.0.0.1 (no X-Forwarded-For): 2 of the default 30 an hour.
      [ owner, other ] = await Promise.all([ createTestMember(server.baseUrl, uniqueName('limited')),
        createTestMember(server.baseUrl, uniqueName('neighbour')) ]);
    });

    after(async(): Promise<void> => {
      await Promise.all([ owner, other ].map(async(member): Promise<void> => member?.session.logout()));
      await server?.destroy();
    });

    async function signUp(address: string): Promise<Response> {
      return fetch(new URL('.account/account/', server.baseUrl), { method: 'POST', headers: from(address, JSON_TYPE), body: '{}' });
    }

    async function logIn(address: string, email: string, password: string): Promise<Response> {
      return fetch(new URL('.account/login/password/', server.baseUrl),
        { method: 'POST', headers: from(address, JSON_TYPE), body: JSON.stringify({ email, password }) });
    }

    it('answers the 31st sign-up from one address within an hour with 429 (the default), and serves another address.',
      async(): Promise<void> => {
        for (let index = 0; index < 30; index += 1) {
          const response = await signUp('203.0.113.1');
          assert.equal(response.status, 200, `sign-up ${index + 1}: ${await response.text()}`);
        }
        const retryAfter = await assertTooMany(await signUp('203.0.113.1'), /Too many account creations from this address: at most 30 per hour/u);
        assert.ok(retryAfter > 3500 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
        assert.equal((await signUp('203.0.113.2')).status, 200, 'someone else signs up');
      });

    it('limits login attempts per address, whatever the e-mail address.', async(): Promise<void> => {
      for (let index = 0; index < 8; index += 1) {
        assert.equal((await logIn('203.0.113.3', `nobody-${index}@example.org`, 'guess')).status, 403);
      }
      await assertTooMany(await logIn('203.0.113.3', owner.email, owner.password), /Too many login attempts from this address/u);
      assert.equal((await logIn('203.0.113.4', owner.email, owner.password)).status, 200, 'the owner elsewhere');
    });

    it('after 3 failures for one e-mail address, makes further attempts wait a growing delay before the password is ' +
      'checked, and keeps the owner\'s known address open.', async(): Promise<void> => {
      const home = '198.51.100.7';
      const victim = await createTestMember(server.baseUrl, uniqueName('victim'));
      assert.equal((await logIn(home, victim.email, victim.password)).status, 200, 'the owner logs in from home');
      for (const address of [ '192.0.2.11', '192.0.2.12', '192.0.2.13' ]) {
        assert.equal((await logIn(address, victim.email, 'guess')).status, 403);
      }
      // Even the right password is not checked now, from any address the owner never logged in from.
      const firstWait = await assertTooMany(await logIn('192.0.2.14', victim.email, victim.password),
        /Too many failed logins for this e-mail address: the password is not checked for another \d+ seconds/u);
      assert.ok(firstWait <= 2, `first wait ${firstWait} s`);
      assert.equal((await logIn('192.0.2.14', other.email, other.password)).status, 200, 'another e-mail address is served');
      assert.equal((await logIn(home, victim.email, victim.password)).status, 200, 'the owner is served at home');

      await sleep(firstWait * 1000);
      assert.equal((await logIn('192.0.2.15', victim.email, 'guess')).status, 403, 'checked again once the wait is over');
      const secondWait = await assertTooMany(await logIn('192.0.2.15', victim.email, 'guess'), /Too many failed logins/u);
      assert.ok(secondWait >= 3 && secondWait <= 4, `the wait doubled: ${secondWait} s`);

      await sleep(secondWait * 1000);
      assert.equal((await logIn('192.0.2.16', victim.email, victim.password)).status, 200, 'the owner from a new address');
      await victim.session.logout();
    });

    it('a success clears the failures: the next failures start counting again.', async(): Promise<void> => {
      const member = await createTestMember(server.baseUrl, uniqueName('forgetful'));
      for (let index = 0; index < 2; index += 1) {
        assert.equal((await logIn('192.0.2.21', member.email, 'wrong')).status, 403);
      }
      assert.equal((await logIn('192.0.2.21', member.email, member.password)).status, 200);
      for (let index = 0; index < 2; index += 1) {
        assert.equal((await logIn('192.0.2.22', member.email, 'wrong')).status, 403, 'not the third failure in a row');
      }
      assert.equal((await logIn('192.0.2.22', member.email, member.password)).status, 200);
      await member.session.logout();
    });

    it('limits consent API writes per account, wherever they come from, and per address.', async(): Promise<void> => {
      const grant = (member: TestMember, address: string): Promise<Response> => member.fetch(
        new URL(`.fmp/consent/${member.name}/grants`, server.baseUrl),
        { method: 'POST', headers: from(address, JSON_TYPE), body: JSON.stringify({ grantee: { webId: other.webId }, scope: [ 'catalog/' ],
          modes: [ 'read' ], purpose: 'runaway app', duration: '1h' }) },
      );
      for (let index = 0; index < 3; index += 1) {
        const response = await grant(owner, `192.0.2.${31 + index}`);
        assert.equal(response.status, 201, await response.text());
      }
      await assertTooMany(await grant(owner, '192.0.2.34'), /Too many consent API writes from this account or this address: at most 3 per hour/u);
      assert.equal((await owner.fetch(new URL(`.fmp/consent/${owner.name}/grants`, server.baseUrl))).status, 200, 'reading goes on');
      assert.equal((await grant(other, '192.0.2.34')).status, 201, 'another account is served');

      const anonymous = (): Promise<Response> => fetch(new URL(`.fmp/consent/${owner.name}/grants`, server.baseUrl),
        { method: 'POST', headers: from('192.0.2.40', JSON_TYPE), body: '{}' });
      for (let index = 0; index < 3; index += 1) {
        assert.equal((await anonymous()).status, 401);
      }
      await assertTooMany(await anonymous(), /Too many consent API writes from this address/u);
    });

    it('limits posts to members\' inboxes per sending account and to the FMP\'s inbox per address.', async(): Promise<void> => {
      const post = (address: string): Promise<Response> => other.fetch(`${owner.pod}inbox/`,
        { method: 'POST', headers: from(address, TURTLE), body: '<> a <https://www.w3.org/ns/activitystreams#Offer>.' });
      for (let index = 0; index < 3; index += 1) {
        assert.equal((await post(`192.0.2.${51 + index}`)).status, 201);
      }
      await assertTooMany(await post('192.0.2.54'), /Too many inbox posts from this account or this address/u);
      const byOwner = await owner.fetch(`${other.pod}inbox/`,
        { method: 'POST', headers: from('192.0.2.54', TURTLE), body: '<> a <https://www.w3.org/ns/activitystreams#Offer>.' });
      assert.equal(byOwner.status, 201, 'another account is served');

      const deliver = (address: string): Promise<Response> => fetch(new URL('.fmp/inbox', server.baseUrl),
        { method: 'POST', headers: from(address, JSON_TYPE), body: JSON.stringify({ type: 'Note', content: 'hello' }) });
      for (let index = 0; index < 3; index += 1) {
        assert.equal((await deliver('192.0.2.60')).status, 202);
      }
      await assertTooMany(await deliver('192.0.2.60'), /Too many inbox posts from this address/u);
      assert.equal((await deliver('192.0.2.61')).status, 202, 'another address is served');
    });

    it('lets browser apps read Retry-After (CORS).', async(): Promise<void> => {
      const response = await fetch(new URL('.account/', server.baseUrl), { headers: { origin: 'https://app.example' } });
      assert.match(response.headers.get('access-control-expose-headers') ?? '', /Retry-After/iu);
    });
  });

  describe('with the default settings', (): void => {
    let server: TestServer;

    before(async(): Promise<void> => {
      server = await startTestServer(undefined, undefined, { logLevel: 'error' });
    });

    after(async(): Promise<void> => server?.destroy());

    it('ignores X-Forwarded-For without --trust-proxy: claiming other addresses gets no more sign-ups.', async(): Promise<void> => {
      const statuses: number[] = [];
      for (let index = 0; index < 31; index += 1) {
        const response = await fetch(new URL('.account/account/', server.baseUrl),
          { method: 'POST', headers: from(`203.0.113.${100 + index}`, JSON_TYPE), body: '{}' });
        statuses.push(response.status);
        await response.arrayBuffer();
      }
      assert.deepEqual(statuses, [ ...Array.from({ length: 30 }, (): number => 200), 429 ]);
    });
  });

  describe('turned off', (): void => {
    let server: TestServer;

    before(async(): Promise<void> => {
      server = await startTestServer(undefined, undefined,
        { logLevel: 'error', rateLimits: 'off', rateLimitSignups: '1/1h', rateLimitLogins: '1/1h', rateLimitLoginFailures: '1/1h' });
    });

    after(async(): Promise<void> => server?.destroy());

    it('refuses nothing, however small the limits.', async(): Promise<void> => {
      const member = await createTestMember(server.baseUrl, uniqueName('unlimited'));
      for (let index = 0; index < 3; index += 1) {
        assert.equal((await fetch(new URL('.account/account/', server.baseUrl), { method: 'POST', headers: JSON_TYPE, body: '{}' })).status, 200);
        const login = await fetch(new URL('.account/login/password/', server.baseUrl),
          { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ email: member.email, password: 'wrong' }) });
        assert.equal(login.status, 403);
      }
      await member.session.logout();
    });
  });
});
