import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getStateFolder } from '../../src/server/dataFolders';
import type { RunningWebApp } from '../../src/webapp/listenWebApp';
import { listenWebApp } from '../../src/webapp/listenWebApp';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import type { TestServer } from '../harness/servers';
import { startTestServer } from '../harness/servers';
import { CookieJar, signInToWebApp } from '../harness/webAppSignIn';

const JSON_TYPE = { 'content-type': 'application/json', accept: 'application/json' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** The CSRF token in a page's forms. */
function csrfIn(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/u.exec(page);
  assert.ok(match, 'the page has a form');
  return match[1];
}

/**
 * What the web app keeps across processes and restarts (its sessions, the inbox's read state), and the sign-up limit
 * for sign-ups made through it. One FMP behind one trusted proxy (X-Forwarded-For says who the client is), with at
 * most 2 sign-ups an hour per client.
 */
describe('The member web app\'s state and sign-up limit', function(): void {
  this.timeout(240_000);
  let folder: string;
  let server: TestServer;
  let member: TestMember;
  const app = (): string => new URL('.fmp/', server.baseUrl).href;

  before(async(): Promise<void> => {
    folder = await mkdtemp(join(tmpdir(), 'fmp-webapp-state-'));
    server = await startTestServer(folder, undefined, { trustProxy: 1, rateLimitSignups: '2/1h' });
    // From loopback, without X-Forwarded-For: one of 127.0.0.1's two sign-ups.
    member = await createTestMember(server.baseUrl, uniqueName('kept'));
  });

  after(async(): Promise<void> => {
    await server?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  describe('sign-ups through the app', (): void => {
    /** Signs up through the app's form as a client at `address`, with any headers the client adds itself. */
    async function signUpThroughApp(address: string, headers: Record<string, string> = {}): Promise<Response> {
      const jar = new CookieJar();
      const home = await jar.fetch(app(), { headers: { 'x-forwarded-for': address, ...headers }});
      const name = uniqueName('su');
      return jar.fetch(`${app()}app/signup`, { method: 'POST', headers: { ...FORM, 'x-forwarded-for': address, ...headers },
        body: new URLSearchParams({ _csrf: csrfIn(await home.text()), name, email: `${name}@example.org`, password: `pw-${name}-long` }).toString() });
    }

    async function signUpDirectly(address: string, headers: Record<string, string> = {}): Promise<Response> {
      return fetch(new URL('.account/account/', server.baseUrl),
        { method: 'POST', headers: { ...JSON_TYPE, 'x-forwarded-for': address, ...headers }, body: '{}' });
    }

    it('counts them per client, with the same limit, and answers the one too many with a readable page.', async(): Promise<void> => {
      assert.equal((await signUpThroughApp('203.0.113.10')).status, 303);
      assert.equal((await signUpThroughApp('203.0.113.10')).status, 303);
      const refused = await signUpThroughApp('203.0.113.10');
      const page = await refused.text();
      assert.equal(refused.status, 429);
      assert.match(page, /Too many new pods were made from your network just now[\s\S]*Try again in (59|60) minutes/u);
      assert.match(page, /<h1>Sign in<\/h1>/u, 'the sign-up form is there to try again later');
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.ok(retryAfter > 3500 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
      assert.equal((await signUpThroughApp('203.0.113.11')).status, 303, 'another client is not held back');
    });

    it('counts each exactly once, on the same count as the account API.', async(): Promise<void> => {
      assert.equal((await signUpThroughApp('203.0.113.12')).status, 303);
      assert.equal((await signUpDirectly('203.0.113.12')).status, 200, 'the second of two');
      assert.equal((await signUpDirectly('203.0.113.12')).status, 429);
      assert.equal((await signUpThroughApp('203.0.113.13')).status, 303);
      assert.equal((await signUpThroughApp('203.0.113.13')).status, 303);
      assert.equal((await signUpDirectly('203.0.113.13')).status, 429, 'the app\'s sign-ups counted against the client');
    });

    it('does not let a client choose the address it is counted under, through the app or directly.', async(): Promise<void> => {
      const claims = (index: number): Record<string, string> =>
        ({ 'x-fmp-client-address': `198.51.100.${index}`, 'x-fmp-relay-key': 'a-guess-at-the-key-of-43-characters-aaaaaaa' });
      const direct = [];
      for (let index = 0; index < 3; index += 1) {
        direct.push((await signUpDirectly('203.0.113.20', claims(index))).status);
      }
      assert.deepEqual(direct, [ 200, 200, 429 ]);
      const through = [];
      for (let index = 0; index < 3; index += 1) {
        through.push((await signUpThroughApp('203.0.113.21', claims(10 + index))).status);
      }
      assert.deepEqual(through, [ 303, 303, 429 ]);
      assert.equal((await signUpDirectly('198.51.100.10')).status, 200, 'the claimed address was not counted');
    });
  });

  describe('sessions', (): void => {
    let jar: CookieJar;
    let second: RunningWebApp | undefined;

    after(async(): Promise<void> => second?.stop());

    async function homeAt(root: string): Promise<string> {
      const response = await jar.fetch(root);
      assert.equal(response.status, 200);
      return response.text();
    }

    it('serve a member signed in through one instance from another instance on the same state folder.', async(): Promise<void> => {
      jar = await signInToWebApp(server.baseUrl, member.email, member.password);
      const inFirst = await homeAt(app());
      assert.match(inFirst, /<h1>My data<\/h1>/u);
      second = await listenWebApp({ baseUrl: server.baseUrl, stateFolder: join(getStateFolder(folder), 'webapp') });
      const inSecond = await homeAt(`${second.url}.fmp/`);
      assert.match(inSecond, /<h1>My data<\/h1>/u, 'signed in there too');
      assert.match(inSecond, /catalog\//u, 'the pod read with the member\'s restored token');
      assert.equal(csrfIn(inSecond), csrfIn(inFirst), 'the same CSRF token');
    });

    it('share the inbox\'s read state.', async(): Promise<void> => {
      const posted = await member.fetch(`${member.pod}inbox/`, { method: 'POST', headers: { 'content-type': 'text/turtle' },
        body: '<> <http://schema.org/text> "Hello from the co-op".' });
      assert.equal(posted.status, 201);
      assert.match(await (await jar.fetch(`${app()}app/inbox`)).text(), /1 new/u);
      assert.doesNotMatch(await (await jar.fetch(`${second!.url}.fmp/app/inbox`)).text(), /\d+ new/u, 'seen in the other instance');
    });

    it('survive a restart of the FMP, for pages and for actions.', async(): Promise<void> => {
      const { port } = server;
      await server.stop();
      server = await startTestServer(folder, port, { trustProxy: 1, rateLimitSignups: '2/1h' });
      const page = await homeAt(app());
      assert.match(page, /<h1>My data<\/h1>/u);
      const took = await jar.fetch(`${app()}app/snapshots`, { method: 'POST', headers: FORM,
        body: new URLSearchParams({ _csrf: csrfIn(page) }).toString() });
      assert.equal(took.status, 303);
      assert.match(await (await jar.fetch(`${app()}app/undo`)).text(), /Snapshot taken\./u);
    });

    it('end everywhere when the member signs out anywhere.', async(): Promise<void> => {
      const page = await homeAt(`${second!.url}.fmp/`);
      const cookie = jar.get('fmp_app');
      const out = await jar.fetch(`${second!.url}.fmp/app/logout`, { method: 'POST', headers: FORM,
        body: new URLSearchParams({ _csrf: csrfIn(page) }).toString() });
      assert.equal(out.status, 303);
      const again = await fetch(app(), { headers: { cookie: `fmp_app=${cookie}` }});
      assert.match(await again.text(), /<h1>Sign in<\/h1>/u, 'signed out in the FMP\'s own instance too');
      const sessions = join(getStateFolder(folder), 'webapp', 'sessions');
      for (const name of await readdir(sessions)) {
        assert.ok(!name.endsWith('.auth.json'), 'no tokens are kept');
        assert.ok(!(await readFile(join(sessions, name), 'utf8')).includes(member.webId), 'nor the signed-in session');
      }
    });
  });
});
